from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xiaobao.documents"
    verbose_name = "文书"

    def ready(self) -> None:
        from xiaobao.cases import actions

        # Timeline lines of xiaobao.documents.delivery that are not actions of the lifecycle table.
        actions.add_labels({"delivery_outcome": "送达结果", "confirm_delivery_address": "送达地址确认"})
