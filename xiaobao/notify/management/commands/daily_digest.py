from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from xiaobao.lib import timeutil
from xiaobao.notify.services import digest_for, in_quiet_hours, yesterday_start
from xiaobao.units.models import Staff


class Command(BaseCommand):
    help = "向每位工作人员发送前一天的通知摘要（有邮箱者；夜间不发送）。"

    def handle(self, *args, **options):
        if in_quiet_hours(timeutil.now()):
            self.stdout.write("现在是夜间，不发送摘要。")
            return
        since = yesterday_start()
        sent = 0
        for user in Staff.objects.filter(is_active=True).exclude(email=""):
            items = digest_for(user, since=since)
            if items:
                body = "\n".join(f"{n.created_at:%m-%d %H:%M} {n.title}" for n in items)
                send_mail(f"消保每日摘要：{len(items)} 条通知", body, None, [user.email])
                sent += 1
        self.stdout.write(f"已发送 {sent} 份摘要。")
