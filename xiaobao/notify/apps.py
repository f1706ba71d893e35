from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "xiaobao.notify"
    verbose_name = "通知"
