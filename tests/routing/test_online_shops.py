"""Online shops: the shop's published address (公示地址) decides; the platform's domicile where the shop shows
none (SAMR-2026, issue 19 point 3)."""


def test_a_shop_whose_published_address_is_in_the_district_goes_to_that_station(in_triage):
    _, suggestions = in_triage(name="随州某网店（淘宝）", address="不详", complainant_address="曾都区南郊街道",
                               facts="淘宝上买的布鞋尺码不对，卖家不理，卖家店铺公示的地址是曾都区何店镇何店大道。")
    assert suggestions[0]["unit"] == "st-hedian"
    assert "网店公示地址含“何店镇” → 何店所" in suggestions[0]["reason"]


def test_a_shop_showing_no_address_is_under_the_platforms_domicile(in_triage):
    _, suggestions = in_triage(name="某女装旗舰店（抖音直播间）", address="不详", complainant_address="曾都区北郊街道",
                               facts="在抖音直播间买了一件羽绒服，收到后全是飞丝和碎毛，商家拖着不退。店铺页面没有写地址。")
    assert all("网店未公示地址，按平台“抖音”住所地（北京市）管辖" in s["reason"] and "告知他部门" in s["reason"]
               for s in suggestions)
    assert suggestions[0]["category"] == "online_shopping"


def test_goods_of_any_kind_bought_online_follow_the_shops_address_not_the_buyers(in_triage):
    _, suggestions = in_triage(name="京东自营", address="北京市大兴区", complainant_address="曾都区东城街道",
                               facts="在京东买的笔记本电脑，开机就蓝屏，申请换货被拒。")
    assert all("网店公示地址“北京市大兴区”不在本区" in s["reason"] for s in suggestions)
    assert "st-dongcheng" not in [s["unit"] for s in suggestions]
