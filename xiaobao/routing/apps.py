from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "xiaobao.routing"
    verbose_name = "分流与管辖"
