"""The account gate (issue 8: accounts): a signed-in user whose password is known to others must change it, and
one whose role must use a second factor must enrol, before reaching any other page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from xiaobao.units import accounts

# Never gated: files, the health check, and the API (bearer tokens; its token endpoint applies the same rules).
OPEN_PREFIXES = ("/healthz", "/api/")


class AccountGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith((settings.STATIC_URL, *OPEN_PREFIXES)):
            return self.get_response(request)
        if path == reverse("admin:login"):
            if request.user.is_authenticated and not admin.site.has_permission(request):
                # Signed in but not an administrator: our login page would send them straight back here (and the
                # admin back to its login page) for ever. Say so instead (issue 16, point 10).
                return render(request, "403.html", {"exception": "系统管理只对系统管理员开放，您的账号没有这项权限。"},
                              status=403)
            # The admin's own login form would skip the second factor: every staff login goes through ours.
            return redirect(f"{reverse('web:login')}?{urlencode({'next': request.GET.get('next') or reverse('admin:index')})}")
        user = request.user
        if user.is_authenticated:
            target = self._gate(user)
            if target and path not in {target, reverse("web:logout")}:
                if request.headers.get("HX-Request") == "true":
                    return HttpResponseClientRedirect(target)
                return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _gate(user) -> str | None:
        if user.password_change_pending:
            return reverse("web:password_change")
        if settings.XIAOBAO_REQUIRE_TOTP_FOR and accounts.needs_enrolment(user):
            return reverse("web:totp")
        return None
