from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "xiaobao.archive"
    verbose_name = "归档"

    def ready(self) -> None:
        # This family's actions join the lifecycle (cases.actions); the spine dispatches them.
        from xiaobao.cases import actions

        from . import bodies, services

        actions.register_all(services.ACTIONS)
        actions.add_bodies(bodies.BODIES)
