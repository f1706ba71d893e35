from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "xiaobao.disclosure"
    verbose_name = "信息公示"
