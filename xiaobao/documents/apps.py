from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xiaobao.documents"
    verbose_name = "文书"

    def ready(self) -> None:
        # A claim for gain or extortion referred to the police gets its 移送书 with the decision (same transaction).
        from xiaobao.cases import actions

        from . import services

        actions.on_event(services.issue_on_referral)
