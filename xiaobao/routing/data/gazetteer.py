"""Places of 曾都区 and the station whose territory they are in (属地管辖, rules 二.1(1)).

Configuration: administrators edit these in the admin; every change is audited.
"""

# (name as it appears in addresses, kind, station code)
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
    ("曾都经济开发区", "street", "st-kaifaqu"), ("开发区", "street", "st-kaifaqu"), ("交通大道", "road", "st-kaifaqu"),
    ("汉东路", "road", "st-kaifaqu"),
]
