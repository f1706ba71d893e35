from django.apps import AppConfig


class MergingConfig(AppConfig):
    name = "xiaobao.merging"
    verbose_name = "并案与重复举报"

    def ready(self) -> None:
        # This family's actions join the lifecycle (cases.actions); the spine dispatches them, holds a merged
        # item back from every other action, and tells us of each timeline line (the primary's moves).
        from xiaobao.cases import actions

        from . import bodies, selectors, services

        for action, function in services.ACTIONS.items():
            actions.register(action, function, transition=services.TRANSITIONS[action],
                             precondition=services.PRECONDITIONS.get(action))
        actions.add_bodies(bodies.BODIES)
        actions.add_hold(selectors.hold)
        actions.add_field("merged_into", selectors.merged_into)
        actions.add_labels(services.LABELS)
        actions.on_event(services.follow_primary)
