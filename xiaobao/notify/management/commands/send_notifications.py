from django.core.management.base import BaseCommand

from xiaobao.notify.services import flush_outbox


class Command(BaseCommand):
    help = "发送待发的邮件和短信通知（夜间不发送；可由 cron 每5分钟运行）。"

    def handle(self, *args, **options):
        self.stdout.write(f"已发送 {flush_outbox()} 条通知。")
