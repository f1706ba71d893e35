from django.apps import AppConfig


class OdrConfig(AppConfig):
    name = "xiaobao.odr"
    verbose_name = "在线消费纠纷解决（ODR）"

    def ready(self) -> None:
        from . import scorecard

        scorecard.plug_in()
