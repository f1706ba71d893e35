"""Import a 12315 platform export from the command line or cron: the same function the page runs."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xiaobao.intake.importer import import_file
from xiaobao.intake.models import ImportRun
from xiaobao.units.models import Staff


class Command(BaseCommand):
    help = "导入全国12315平台导出的 Excel 文件（.xlsx/.xls）；重复导入不会重复登记。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="username", default=None,
                            help="以该工作人员身份登记（默认：系统，件归消保股）")

    def handle(self, *args, file: Path, username: str | None, **options):
        actor = None
        if username:
            actor = Staff.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"没有用户 {username}。")
        if not file.is_file():
            raise CommandError(f"找不到文件 {file}。")
        run = import_file(actor=actor, file_name=file.name, data=file.read_bytes())
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(f"导入失败：{run.message}")
        self.stdout.write(f"{file.name}：共 {run.total_rows} 行，新登记 {run.created}，更新 {run.updated}，"
                          f"未变化 {run.unchanged}，失败 {run.failed}（导入记录 #{run.pk}）")
        for e in run.errors:
            self.stdout.write(f"  第 {e['row']} 行 {e.get('column') or e['field']}：{e['message']}")
        for n in run.notes:
            self.stdout.write(f"  第 {n['row']} 行 {n['number']}：{n['message']}")
