from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "xiaobao.mediation"
    verbose_name = "调解与查处跟进"

    def ready(self) -> None:
        # This family's actions join the lifecycle (cases.actions); the spine dispatches them.
        from xiaobao.cases import actions

        from . import bodies, purpose, services

        actions.register_all(services.ACTIONS, services.PRECONDITIONS)
        actions.add_bodies(bodies.BODIES)
        # A 立案 approved by the head records its penalty case here (rules 二.2).
        actions.on_event(services.on_filing_approved)
        # Claims for gain and extortion (SAMR-2026): the factors of 生活消费需要, termination with the referral
        # to the police, and the referral's dispatch — rows of their own in the lifecycle table.
        for action, function in purpose.ACTIONS.items():
            actions.register(action, function, transition=purpose.TRANSITIONS[action],
                             precondition=purpose.PRECONDITIONS.get(action))
        actions.add_field("consumer_purpose", purpose.view)
