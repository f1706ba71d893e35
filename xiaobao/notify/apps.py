from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "xiaobao.notify"
    verbose_name = "通知"

    def ready(self) -> None:
        # Every timeline line the services write reaches on_event after its transaction commits.
        from xiaobao.cases import actions

        from . import services

        actions.on_event(services.after_commit_event)
