from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "xiaobao.cases"
    verbose_name = "投诉举报咨询件"

    def ready(self) -> None:
        from . import actions, bodies, services

        actions.register_all(services.ACTIONS, services.PRECONDITIONS)
        actions.add_bodies(bodies.BODIES)
