from django.apps import AppConfig


class HandlingConfig(AppConfig):
    name = "xiaobao.handling"
    verbose_name = "办理过程"

    def ready(self) -> None:
        # This family's actions join the lifecycle (cases.actions); the spine dispatches them.
        from xiaobao.cases import actions

        from . import bodies, services

        actions.register_all(services.ACTIONS, services.PRECONDITIONS)
        actions.add_bodies(bodies.BODIES)
