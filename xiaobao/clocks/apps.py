from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "xiaobao.clocks"
    verbose_name = "工作日历与期限"
