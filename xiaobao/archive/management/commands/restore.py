import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xiaobao.archive.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从 backup 生成的 tar.gz 恢复数据库和上传文件（先校验 manifest 中的 SHA-256）。会覆盖现有数据。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（.tar.gz）")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接覆盖现有数据库和上传文件")
        parser.add_argument("--allow-other-keys", action="store_true",
                            help="当前 SECRET_KEY 或审计密钥与备份时不同也恢复（两步验证须由管理员重置，审计链将无法校验）")

    def handle(self, *args, archive: str, yes: bool, allow_other_keys: bool, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"找不到备份文件：{path}")
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("恢复会覆盖现有数据库和上传文件；非交互运行时请加 --yes。")
            db = settings.DATABASES["default"]["NAME"]
            answer = input(f"将用 {path} 覆盖数据库 {db} 和 {settings.MEDIA_ROOT}。输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消。")
        try:
            manifest = restore_backup(path, allow_other_keys=allow_other_keys)
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(self.style.SUCCESS(
            f"恢复完成：备份时间 {manifest['created_at']}，{manifest['item_count']} 件，"
            f"{manifest['file_count']} 个文件。"))
