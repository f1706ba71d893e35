from django.apps import AppConfig


class OdrConfig(AppConfig):
    name = "xiaobao.odr"
    verbose_name = "在线消费纠纷解决（ODR）"

    def ready(self) -> None:
        # Settling first (xiaobao.odr.settling): forward_to_business, business_answer and escalate join the
        # lifecycle (cases.actions) with their bodies and the timeline lines they write that are not actions.
        from xiaobao.cases import actions

        from . import bodies, settling

        for action, function in settling.ACTIONS.items():
            actions.register(action, function, transition=settling.TRANSITIONS[action],
                             precondition=settling.PRECONDITIONS.get(action))
        actions.add_bodies(bodies.BODIES)
        actions.add_labels(settling.LABELS)
        # A complaint the business did not answer within its 10 working days goes back to triage in the daily run
        # (DOMAIN.md "Settling first").
        from xiaobao.notify.daily import add_before_overdue

        add_before_overdue("ODR企业逾期未答复、转入正常程序", lambda day: settling.time_out(on=day))

        # The scorecard's block of the monthly statistics and its chart (xiaobao.odr.scorecard).
        from . import scorecard

        scorecard.plug_in()
