"""The demo bureau of API-v1.md: the units of 曾都区市场监督管理局 and one account per role."""

from __future__ import annotations

from django.db import transaction

from xiaobao.units.models import Role, Staff, Unit, UnitKind

UNITS = [
    ("xiaobao", "消费者权益保护股", "消保股", UnitKind.OFFICE),
    ("leaders", "局领导", "局领导", UnitKind.LEADERS),
    ("jicha", "稽查分局", "稽查分局", UnitKind.INSPECTION),
    ("st-dongcheng", "东城市场监督管理所", "东城所", UnitKind.STATION),
    ("st-xicheng", "西城市场监督管理所", "西城所", UnitKind.STATION),
    ("st-nanjiao", "南郊市场监督管理所", "南郊所", UnitKind.STATION),
    ("st-beijiao", "北郊市场监督管理所", "北郊所", UnitKind.STATION),
    ("st-wandian", "万店市场监督管理所", "万店所", UnitKind.STATION),
    ("st-hedian", "何店市场监督管理所", "何店所", UnitKind.STATION),
    ("st-luoyang", "洛阳市场监督管理所", "洛阳所", UnitKind.STATION),
    ("st-fuhe", "府河市场监督管理所", "府河所", UnitKind.STATION),
    ("st-kaifaqu", "开发区市场监督管理所", "开发区所", UnitKind.STATION),
    ("sec-office", "办公室", "办公室", UnitKind.SECTION),
    ("sec-legal", "法规股", "法规股", UnitKind.SECTION),
    ("sec-registration", "登记注册股", "登记注册股", UnitKind.SECTION),
    ("sec-food", "食品安全监督管理股", "食品股", UnitKind.SECTION),
    ("sec-catering", "餐饮股", "餐饮股", UnitKind.SECTION),
    ("sec-drugs", "药械化妆品股", "药械股", UnitKind.SECTION),
    ("sec-quality", "产品质量股", "质量股", UnitKind.SECTION),
    ("sec-equipment", "特种设备股", "特设股", UnitKind.SECTION),
    ("sec-price", "价格监督股", "价格股", UnitKind.SECTION),
    ("sec-online", "网络交易合同监管股", "网监股", UnitKind.SECTION),
    ("sec-ads", "广告监督管理股", "广告股", UnitKind.SECTION),
]

ACCOUNTS = [
    ("xiaobao", "王晓", "xiaobao", [Role.DISPATCHER]),
    ("fenguan", "李建国", "leaders", [Role.DEPUTY_DIRECTOR]),
    ("juzhang", "张华", "leaders", [Role.BUREAU_HEAD]),
    ("nanjiao", "陈明", "st-nanjiao", [Role.HANDLER]),
    ("dongcheng", "刘洋", "st-dongcheng", [Role.HANDLER]),
    ("jicha", "赵刚", "jicha", [Role.HANDLER]),
    ("shipin", "周敏", "sec-food", [Role.HANDLER]),
    ("archivist", "孙丽", "xiaobao", [Role.ARCHIVIST]),
    ("auditor", "吴静", "leaders", [Role.AUDITOR]),
    ("admin", "系统管理员", None, [Role.ADMIN]),
]


@transaction.atomic
def create_bureau(password: str, *, must_change_password: bool = False) -> dict[str, Staff]:
    """The units and accounts. The demo loader marks the accounts' shared password as one to change
    (must_change_password): outside demo mode each user replaces it at the first login (issue 8: accounts)."""
    units = {}
    for sort, (code, name, short, kind) in enumerate(UNITS):
        units[code], _ = Unit.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "kind": kind, "sort": sort})
    staff = {}
    for username, full_name, unit_code, roles in ACCOUNTS:
        user, _ = Staff.objects.update_or_create(
            username=username,
            defaults={"full_name": full_name, "unit": units.get(unit_code), "roles": list(roles),
                      "is_staff": Role.ADMIN in roles, "is_superuser": Role.ADMIN in roles,
                      "must_change_password": must_change_password},
        )
        user.set_password(password)
        user.save()
        staff[username] = user
    return staff
