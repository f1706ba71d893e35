from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xiaobao.documents"
    verbose_name = "文书"

    def ready(self) -> None:
        from xiaobao.cases import actions

        from . import services

        # A claim for gain or extortion referred to the police gets its 移送书 with the decision (same transaction).
        actions.on_event(services.issue_on_referral)
        # Timeline lines of xiaobao.documents.delivery that are not actions of the lifecycle table.
        actions.add_labels({"delivery_outcome": "送达结果", "confirm_delivery_address": "送达地址确认"})
