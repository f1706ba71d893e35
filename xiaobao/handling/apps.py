from django.apps import AppConfig


class HandlingConfig(AppConfig):
    name = "xiaobao.handling"
    verbose_name = "办理过程"
