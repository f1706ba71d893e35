from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xiaobao.archive.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "备份：数据库、上传文件和带 SHA-256 的 manifest.json，打包为一个 tar.gz。"

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"), help="备份文件存放目录")

    def handle(self, *args, output: str, **options):
        try:
            path, manifest = make_backup(Path(output))
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(self.style.SUCCESS(
            f"备份完成：{path}（{manifest['database']['vendor']}，{manifest['item_count']} 件，"
            f"{manifest['file_count']} 个文件）"))
        # The archive names the keys but never holds them (xiaobao.archive.backup.key_fingerprints).
        self.stdout.write("备份不含密钥：恢复时须使用原来的 SECRET_KEY 和 XIAOBAO_AUDIT_KEY，请另行妥善保管。")
