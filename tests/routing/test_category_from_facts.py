"""With no category picked, the category is read from the facts and the section that owns it is suggested, with
the facts quoted; the suggestion carries the category for the clerk to confirm (issue 19, point 2)."""

from django.core.management import call_command


def units(suggestions: list[dict]) -> list[str]:
    return [s["unit"] for s in suggestions]


def reason_of(suggestions: list[dict], unit: str) -> str:
    return next(s["reason"] for s in suggestions if s["unit"] == unit)


def test_an_elevator_that_keeps_trapping_residents_goes_to_the_special_equipment_section(in_triage):
    _, suggestions = in_triage(name="锦绣花园物业服务中心", address="东城街道青年路锦绣花园小区",
                               facts="我们小区3栋的电梯这个月已经困人三次了，物业只说报修了，根本没人管。")
    assert suggestions[0]["unit"] == "sec-equipment"
    assert suggestions[0]["reason"].startswith("根据事实“") and "判断为特种设备安全类，由特设股主管" in suggestions[0]["reason"]
    assert "st-dongcheng" in units(suggestions)
    assert {s["category"] for s in suggestions} == {"special_equipment"}


def test_a_shelf_price_that_differs_from_the_till_adds_the_price_section_beside_the_station(in_triage):
    _, suggestions = in_triage(name="中百仓储", address="开发区交通大道",
                               facts="货架上标的洗衣液29.9元一桶，结账的时候收了39.9元，服务台只退差价。")
    assert suggestions[0]["unit"] == "st-kaifaqu"
    assert "判断为价格违法类，由价格股主管" in reason_of(suggestions, "sec-price")
    assert suggestions[0]["category"] == "price"


def test_a_face_cream_from_a_pharmacy_that_caused_a_rash_is_a_cosmetics_matter(in_triage):
    _, suggestions = in_triage(name="仁和大药房", address="西城街道季梁大道",
                               facts="在药店买了一瓶店员推荐的面霜，用了三天脸上起了一片红疹子，要求赔偿医药费。")
    assert suggestions[0]["unit"] == "st-xicheng"
    assert "判断为化妆品类，由药械股主管" in reason_of(suggestions, "sec-drugs")
    assert suggestions[0]["category"] == "cosmetics"


def test_a_leaflet_claiming_a_health_product_cures_diabetes_goes_to_the_advertising_section(in_triage):
    _, suggestions = in_triage(kind="report", name="康寿健康养生馆", address="东城街道文化路",
                               facts="这家店在小区门口发传单，说他们卖的保健品能治好糖尿病，吃了可以停胰岛素。")
    assert suggestions[0]["unit"] == "sec-ads" and "判断为虚假广告类，由广告股主管" in suggestions[0]["reason"]


def test_a_food_safety_guess_says_the_deputy_director_must_approve(in_triage):
    _, suggestions = in_triage(kind="report", name="某作坊", address="开发区汉东路",
                               facts="这个小作坊在家里做辣条，没有任何证照，卫生条件很差。")
    assert "分派后报分管局长审批" in reason_of(suggestions, "sec-food")


def test_a_category_the_clerk_picked_is_kept_and_not_read_again(in_triage):
    _, suggestions = in_triage(category="appliances", address="南郊街道白云大道",
                               facts="我们小区的电梯这个月已经困人三次了。")
    assert {s["category"] for s in suggestions} == {"appliances"}
    assert "类别“家用电器” → 质量股" in reason_of(suggestions, "sec-quality")
    assert not any("根据事实" in s["reason"] for s in suggestions)


def test_the_learned_model_reads_a_category_the_words_do_not_know(api, in_triage):
    facts = "购买的蓝莓果干开封后发现结块粘连，口感发苦。"
    for _ in range(3):
        in_triage(category="food", address="南郊街道白云大道", facts=facts)
    _, before = in_triage(address="南郊街道白云大道", facts=facts)
    assert before[0]["category"] == ""
    call_command("train_routing", stdout=open("/dev/null", "w"))
    _, after = in_triage(address="南郊街道白云大道", facts=facts)
    assert after[0]["category"] == "food" and "判断为食品类，由食品股主管" in reason_of(after, "sec-food")
