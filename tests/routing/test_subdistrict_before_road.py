"""A named 街道, 镇 or 开发区 decides the territory; a road only when nothing else is named (issue 19, point 1)."""

NEUTRAL = "2026年2月20日在该店购物，商家拒绝退换。"


def test_a_subdistrict_named_with_a_road_of_another_station_decides(in_triage):
    _, suggestions = in_triage(address="南郊街道烈山大道200号", facts=NEUTRAL)
    assert suggestions[0]["unit"] == "st-nanjiao"
    assert "含“南郊街道” → 南郊所" in suggestions[0]["reason"] and "“烈山大道”不作依据" in suggestions[0]["reason"]
    _, suggestions = in_triage(address="西城街道舜井大道30号", facts=NEUTRAL)
    assert suggestions[0]["unit"] == "st-xicheng"


def test_a_short_or_mistyped_subdistrict_still_decides(in_triage):
    _, suggestions = in_triage(address="何店真何店大道", facts=NEUTRAL)
    assert suggestions[0]["unit"] == "st-hedian"
    _, suggestions = in_triage(address="东城办事处对面", facts=NEUTRAL)
    assert suggestions[0]["unit"] == "st-dongcheng"


def test_a_road_through_several_subdistricts_names_every_station_instead_of_guessing(in_triage):
    _, suggestions = in_triage(address="烈山大道200号", facts=NEUTRAL)
    assert [s["unit"] for s in suggestions] == ["st-dongcheng", "st-nanjiao", "st-beijiao"]
    assert all("该路跨东城所、南郊所、北郊所辖区，请按门牌号核实属地" in s["reason"] for s in suggestions)


def test_a_road_in_one_subdistrict_decides_when_nothing_else_is_named(in_triage):
    _, suggestions = in_triage(address="白云大道18号", facts=NEUTRAL)
    assert suggestions[0]["unit"] == "st-nanjiao" and "含“白云大道”" in suggestions[0]["reason"]


def test_with_no_address_the_place_in_the_facts_decides_before_the_callers_own_address(in_triage):
    _, suggestions = in_triage(address="不详", complainant_address="曾都区北郊街道龙门街",
                               facts="在路边无招牌的小店买了东西，店在南郊街道两水路和清河路交叉口，商家拒绝退换。")
    assert suggestions[0]["unit"] == "st-nanjiao" and "事实中的地点含“南郊街道”" in suggestions[0]["reason"]


def test_a_business_outside_the_district_is_flagged_for_telling_the_right_authority(in_triage):
    _, suggestions = in_triage(address="河南省洛阳市某路1号", facts=NEUTRAL)
    assert all("不在本区" in s["reason"] and "告知他部门" in s["reason"] for s in suggestions)
