from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "xiaobao.hotline"
    verbose_name = "12345工单"

    def ready(self) -> None:
        # This family's actions join the lifecycle (cases.actions); the spine dispatches them and never imports
        # this app. The listener hears every timeline line: a hotline item's sign, return, extension request and
        # reply become outbox rows in the same transaction.
        from xiaobao.cases import actions

        from . import bodies, services

        for name, function in services.ACTIONS.items():
            actions.register(name, function, transition=services.TRANSITIONS[name],
                             precondition=services.PRECONDITIONS.get(name))
        actions.add_bodies(bodies.BODIES)
        actions.on_event(services.on_event)
        # The 三率 with their trend on the statistics dashboard (its charts are a table apps add to).
        from xiaobao.stats import dashboard

        from .stats import dashboard_chart

        dashboard.CHARTS.setdefault("hotline", dashboard_chart)
