from django.core.management.base import BaseCommand, CommandError

from xiaobao.records.audit import verify


class Command(BaseCommand):
    help = "校验审计记录的哈希链；发现被篡改的行时以非零状态退出。"

    def handle(self, *args, **options):
        result = verify()
        if not result["ok"]:
            raise CommandError(f"审计链在第 {result['first_bad_row']} 行断开（之前 {result['rows']} 行完好）。")
        self.stdout.write(self.style.SUCCESS(f"审计链完好，共 {result['rows']} 行。"))
