from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "xiaobao.cases"
    verbose_name = "投诉举报咨询件"
