"""Online platforms and their operators' domiciles. An online shop is under the bureau of its published address
(公示地址); where the shop shows none, under that of the platform's domicile (SAMR-2026,
《市场监督管理投诉举报处理办法》, on online shops; DOMAIN.md). Configuration: a platform domiciled in the district gets
its station's code."""

# (name as callers say it, other names, domicile, station code when the domicile is in 曾都区)
PLATFORMS = [
    ("淘宝", ("天猫", "淘宝网"), "浙江省杭州市", ""),
    ("京东", ("京东商城",), "北京市", ""),
    ("拼多多", (), "上海市", ""),
    ("抖音", ("抖店",), "北京市", ""),
    ("快手", (), "北京市", ""),
    ("小红书", (), "上海市", ""),
    ("唯品会", (), "广东省广州市", ""),
]
