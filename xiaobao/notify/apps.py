from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "xiaobao.notify"
    verbose_name = "通知"

    def ready(self) -> None:
        from xiaobao.cases import actions
        from xiaobao.units import throttle

        from . import services

        # Every timeline line the services write reaches on_event after its transaction commits.
        actions.on_event(services.after_commit_event)
        throttle.throttled.connect(services.on_login_throttled, dispatch_uid="notify.login_throttled")
