from django.conf import settings

from xiaobao.cases import selectors
from xiaobao.clocks.calendar import unpublished_horizon_warning
from xiaobao.units.models import Role


def calendar_warning(request):
    """Administrators see a banner while any deadline, or today + 90 days, reaches an unpublished year."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_role(Role.ADMIN):
        return {}
    return {"calendar_warning": unpublished_horizon_warning()}


def work_count(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "is_business", False):
        return {}  # an ODR business has no work queue of the bureau's
    count, cap = selectors.waiting_count(user), selectors.WAITING_CAP
    return {"work_count": count if count < cap else f"{cap - 1}+"}


def demo_mode(request):
    """Demo mode (XIAOBAO_DEMO_MODE, on in `make run`): the demo accounts share one known password, so every
    page says so — nobody should mistake the demo for the bureau's system and enter real complaints."""
    return {"demo_mode": settings.XIAOBAO_DEMO_MODE}
