from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "xiaobao.intake"
    verbose_name = "受理登记"
