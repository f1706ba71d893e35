from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "xiaobao.records"
    verbose_name = "审计与档案"
