import os
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

from xiaobao.cases.models import Case
from xiaobao.demo.bureau import UNITS, create_bureau
from xiaobao.demo.history import Replay
from xiaobao.units.models import Role, Staff, Unit


class Command(BaseCommand):
    help = "载入演示局（曾都区）：单位、演示账号和约200件历史数据。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="数据库已有单位时什么也不做")
        parser.add_argument("--items", type=int, default=200)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, if_empty: bool, items: int, seed: int, **options):
        if if_empty and Unit.objects.exists():
            self.stdout.write("数据库已有数据，跳过演示局载入。")
            return
        password = os.environ.get("XIAOBAO_DEMO_PASSWORD")
        printed = password is None
        password = password or secrets.token_urlsafe(9)
        with transaction.atomic():
            staff = create_bureau(password, must_change_password=True)
            # One handler for every other handling unit, so that every unit's work can be shown.
            for code, _, short, _ in UNITS:
                unit = Unit.objects.get(code=code)
                if unit.handles_items and not any(Role.HANDLER in s.roles for s in unit.staff.all()):
                    user = Staff.objects.create(username=f"h-{code}", full_name=f"{short}承办人", unit=unit,
                                                roles=[Role.HANDLER], must_change_password=True)
                    user.set_password(password)
                    user.save()
                    staff[user.username] = user
        made = Replay(staff, seed=seed).run(items, progress=lambda i, n: self.stdout.write(f"  {i}/{n} 件"))
        self.stdout.write(self.style.SUCCESS(f"演示局已载入：{Unit.objects.count()} 个单位，"
                                             f"{Staff.objects.count()} 个账号，{Case.objects.count()} 件（本次 {made}）。"))
        if printed:
            self.stdout.write(self.style.WARNING(f"演示账号密码（未设置 XIAOBAO_DEMO_PASSWORD，随机生成）：{password}"))
