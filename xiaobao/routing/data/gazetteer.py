"""Places of 曾都区 and the station whose territory they are in (属地管辖, rules 二.1(1)).

Configuration: administrators edit these in the admin; every change is audited.
"""

# (name as it appears in addresses, kind, station code). A named subdistrict (街道, 镇, 开发区) decides the territory;
# a village, market or landmark next; a road only when nothing else is named (issue 19).
PLACES = [
    ("东城街道", "street", "st-dongcheng"), ("烈山大道", "road", "st-dongcheng"), ("青年路", "road", "st-dongcheng"),
    ("文化路", "road", "st-dongcheng"), ("舜井大道", "road", "st-dongcheng"), ("东城菜市场", "market", "st-dongcheng"),
    ("西城街道", "street", "st-xicheng"), ("沿江大道", "road", "st-xicheng"), ("季梁大道", "road", "st-xicheng"),
    ("明珠路", "road", "st-xicheng"), ("西城农贸市场", "market", "st-xicheng"),
    ("南郊街道", "street", "st-nanjiao"), ("清河路", "road", "st-nanjiao"), ("白云大道", "road", "st-nanjiao"),
    ("两水路", "road", "st-nanjiao"), ("南郊农贸市场", "market", "st-nanjiao"),
    ("北郊街道", "street", "st-beijiao"), ("擂鼓墩大道", "road", "st-beijiao"), ("龙门街", "road", "st-beijiao"),
    ("擂鼓墩", "landmark", "st-beijiao"),
    ("万店镇", "town", "st-wandian"), ("万店街", "road", "st-wandian"), ("三合店村", "community", "st-wandian"),
    ("何店镇", "town", "st-hedian"), ("何店大道", "road", "st-hedian"), ("花园村", "community", "st-hedian"),
    ("洛阳镇", "town", "st-luoyang"), ("洛阳街", "road", "st-luoyang"), ("永兴村", "community", "st-luoyang"),
    ("府河镇", "town", "st-fuhe"), ("府河街", "road", "st-fuhe"), ("东湾村", "community", "st-fuhe"),
    ("曾都经济开发区", "zone", "st-kaifaqu"), ("开发区", "zone", "st-kaifaqu"), ("交通大道", "road", "st-kaifaqu"),
    ("汉东路", "road", "st-kaifaqu"),
    ("解放路", "road", "st-dongcheng"),
    # Short names callers use for the subdistricts ("南郊那边", "东城办事处", "何店真" typed for 何店镇); a
    # longer name wins where both match.
    ("东城", "street", "st-dongcheng"), ("西城", "street", "st-xicheng"), ("南郊", "street", "st-nanjiao"),
    ("北郊", "street", "st-beijiao"), ("万店", "town", "st-wandian"), ("何店", "town", "st-hedian"),
    ("洛阳", "town", "st-luoyang"), ("府河", "town", "st-fuhe"),
]

# Roads that run through several subdistricts: the station of the first is where most of the road lies. A road
# alone does not decide these; the suggestion names every station and asks for the house number to be checked.
ROADS_ACROSS = {
    "烈山大道": ["st-dongcheng", "st-nanjiao", "st-beijiao"],
    "舜井大道": ["st-dongcheng", "st-xicheng"],
    "沿江大道": ["st-xicheng", "st-dongcheng"],
    "交通大道": ["st-kaifaqu", "st-nanjiao"],
}
