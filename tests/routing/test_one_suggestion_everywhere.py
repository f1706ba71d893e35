"""The item page's 分派 form starts where the triage queue and the API do (issue 19, point 4)."""

import re

from tests.web.test_pages import login

ELEVATOR = "我们小区3栋的电梯这个月已经困人三次了，物业只说报修了，根本没人管。"


def selected_unit(html: str, name: str = "unit") -> str:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="([^"]+)"[^>]*selected', select).group(1)


def test_the_assign_form_chooses_the_best_suggestion_and_shows_the_reasons(in_triage):
    case, suggestions = in_triage(name="锦绣花园物业", address="南郊街道烈山大道200号", facts=ELEVATOR)
    page = login("xiaobao")
    html = page.get(f"/cases/{case['id']}/actions/assign/").content.decode()
    assert selected_unit(html) == suggestions[0]["unit"] == "sec-equipment"
    assert '<optgroup label="建议">' in html and "判断为特种设备安全类，由特设股主管" in html
    assert "含“南郊街道” → 南郊所" in html
    queue = page.get("/triage/").content.decode()
    row = queue[queue.index(case["number"]):]
    assert re.search(r'<option value="sec-equipment" selected>', row)
    assert "类别：特种设备安全（据事实推断，分派时请确认）" in row


def test_routing_from_the_item_page_with_the_preselected_unit_reaches_it(in_triage, api):
    case, suggestions = in_triage(address="西城街道舜井大道30号", facts="买的空调不制冷，商家拒绝退换。")
    page = login("xiaobao")
    html = page.get(f"/cases/{case['id']}/actions/assign/").content.decode()
    assert selected_unit(html) == suggestions[0]["unit"]
    # The category read from the facts is chosen too, for the clerk to confirm (a complaint needs one, 规则 二.1（2）).
    category = selected_unit(html, "category")
    r = page.post(f"/cases/{case['id']}/actions/assign/",
                  {"unit": selected_unit(html), "category": category, "note": "按建议"})
    assert r.status_code == 302
    routed = api("xiaobao").get(f"/api/v1/cases/{case['id']}").json()
    assert routed["unit"] == "st-xicheng" and routed["category"] == category


def test_the_queue_chooses_the_category_read_from_the_facts_and_a_refused_row_keeps_the_clerks(in_triage):
    case, _ = in_triage(name="锦绣花园物业", address="南郊街道烈山大道200号", facts=ELEVATOR)
    page = login("xiaobao")
    queue = page.get("/triage/").content.decode()
    row = queue[queue.index(case["number"]):]
    # The per-row category picker starts on the category read from the facts, for the clerk to confirm.
    assert selected_unit(row, f"category-{case['id']}") == "special_equipment"
    r = page.post("/triage/", {"case": [case["id"]], f"unit-{case['id']}": "", f"category-{case['id']}": "food"})
    assert r.status_code == 422
    row = r.content.decode()[r.content.decode().index(case["number"]):]
    assert selected_unit(row, f"category-{case['id']}") == "food"
    assert "请填写承办单位" in row and f'value="{case["id"]}" aria-label="选择 {case["number"]}" checked' in r.content.decode()
