"""Subject categories after the national 12315 platform's goods/services split, each with the business
section that owns it (业务管辖, rules 一.2). Configuration: administrators edit them in the admin."""

# (code, name, kind, section code, food/drug safety per rules 二.1(2))
CATEGORIES = [
    ("clothing", "服装鞋帽", "goods", "sec-quality", False),
    ("food", "食品", "goods", "sec-food", True),
    ("health_food", "保健食品", "goods", "sec-food", True),
    ("household", "家居用品", "goods", "sec-quality", False),
    ("appliances", "家用电器", "goods", "sec-quality", False),
    ("telecom_devices", "通讯器材", "goods", "sec-quality", False),
    ("vehicles", "交通工具", "goods", "sec-quality", False),
    ("drugs", "药品", "goods", "sec-drugs", True),
    ("medical_devices", "医疗器械", "goods", "sec-drugs", True),
    ("cosmetics", "化妆品", "goods", "sec-drugs", False),
    ("catering", "餐饮服务", "service", "sec-catering", True),
    ("lodging", "住宿服务", "service", "sec-catering", False),
    ("sales_service", "销售服务", "service", "sec-quality", False),
    ("beauty", "美容美发洗浴", "service", "sec-registration", False),
    ("education", "教育培训服务", "service", "sec-registration", False),
    ("repair", "修理服务", "service", "sec-quality", False),
    ("online_shopping", "网络购物", "service", "sec-online", False),
    ("prepaid", "预付式消费", "service", "sec-online", False),
    ("price", "价格违法", "violation", "sec-price", False),
    ("advertising", "虚假广告", "violation", "sec-ads", False),
    ("special_equipment", "特种设备安全", "violation", "sec-equipment", False),
    ("unlicensed", "无照经营", "violation", "sec-registration", False),
    ("counterfeit", "假冒伪劣", "violation", "sec-quality", False),
    ("food_safety", "食品安全违法", "violation", "sec-food", True),
]
