from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "xiaobao.mediation"
    verbose_name = "调解与查处跟进"

    def ready(self) -> None:
        # This family's actions join the lifecycle (cases.actions); the spine dispatches them.
        from xiaobao.cases import actions

        from . import bodies, services

        actions.register_all(services.ACTIONS, services.PRECONDITIONS)
        actions.add_bodies(bodies.BODIES)
        # A 立案 approved by the head records its penalty case here (rules 二.2).
        actions.on_event(services.on_filing_approved)
