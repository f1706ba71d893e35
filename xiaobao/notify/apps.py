from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "xiaobao.notify"
    verbose_name = "通知"

    def ready(self) -> None:
        from xiaobao.units import throttle

        from . import services

        throttle.throttled.connect(services.on_login_throttled, dispatch_uid="notify.login_throttled")
