from xiaobao.cases.selectors import waiting_count
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
    if user is None or not user.is_authenticated:
        return {}
    return {"work_count": waiting_count(user)}
