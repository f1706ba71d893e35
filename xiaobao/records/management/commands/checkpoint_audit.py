from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from xiaobao.records import checkpoints


class Command(BaseCommand):
    help = ("把审计链当前的末行哈希和行数追加到数据库之外的检查点文件（XIAOBAO_AUDIT_CHECKPOINT_FILE），"
            "verify_audit 据此发现被删除的末尾记录。可用 --mail 同时发送给指定邮箱留存。")

    def add_arguments(self, parser):
        parser.add_argument("--mail", default="", help="同时发送检查点的邮箱，逗号分隔")

    def handle(self, *args, mail: str, **options):
        checkpoint = checkpoints.current()
        if checkpoint is None:
            self.stdout.write("审计记录为空，未写检查点。")
            return
        line = checkpoints.append(checkpoint)
        if recipients := [a.strip() for a in mail.split(",") if a.strip()]:
            send_mail(f"{settings.XIAOBAO_BUREAU_NAME} 消保系统审计检查点", line + "\n", None, recipients)
        self.stdout.write(self.style.SUCCESS(f"已写入检查点：{line}"))
