from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "xiaobao.mediation"
    verbose_name = "调解与查处跟进"
