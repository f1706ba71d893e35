from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "xiaobao.records"
    verbose_name = "审计与档案"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the deploy check of the audit key)
