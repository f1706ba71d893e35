from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xiaobao.portal"
    verbose_name = "公众服务"
