from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "xiaobao.rules"
    verbose_name = "规则与类别"
