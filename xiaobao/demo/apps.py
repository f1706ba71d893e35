from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "xiaobao.demo"
    verbose_name = "演示数据"
