from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xiaobao.web"
    verbose_name = "工作台页面"
