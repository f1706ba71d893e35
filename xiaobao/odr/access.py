"""Where an ODR business's account may go (issue 22, point 2: "it sees nothing else"). A business is an outside
user: on the web it reaches its own pages under /business/ and the account pages (login, logout, password, the
second factor) and nothing else — every other path answers 404, as an item one may not see does; on the API it
reaches the operations below and the token endpoints, and every other operation answers 404.

The business's own pages and operations (the complaints forwarded to it) are added to these allowlists where
they are built; tests/odr/test_business_isolation.py walks every route against them."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

# The business's own pages (xiaobao/odr/business_urls.py; its home is the view named odr_business:home).
BUSINESS_WEB_PREFIXES = ("/business/",)
# The account pages every signed-in user needs (by URL name: login, its second step, logout, password, TOTP).
ACCOUNT_PAGES = ("web:login", "web:login_otp", "web:logout", "web:password_change", "web:totp")
# The API operations of a business (by path prefix under /api/v1/); /auth/ answers without a token anyway.
BUSINESS_API_PREFIXES = ("/api/v1/odr/inbox",)
# Its answer, the one action a business takes, on an item forwarded to it (the action finds the item for it alone
# and answers 404 for any other; xiaobao/api/odr_business.py).
BUSINESS_API_PATHS = re.compile(r"^/api/v1/cases/[0-9]+/actions/business_answer$")
API_V1 = "/api/v1/"
BUSINESS_HOME = "/business/"

NOT_FOUND = "未找到，或企业账号无权使用该接口。"


def is_business(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_business", False))


def business_home() -> str:
    """The business's own page: the view named odr_business:home when it is installed, else its path."""
    try:
        return reverse("odr_business:home")
    except NoReverseMatch:
        return BUSINESS_HOME


def _account_paths() -> set[str]:
    return {reverse(name) for name in ACCOUNT_PAGES}


def web_path_allowed(path: str) -> bool:
    """Whether a business's account may open this web path (the API is gated apart: may_use_api)."""
    if path.startswith(settings.STATIC_URL) or path.startswith(API_V1):
        return True
    home = business_home()
    return path.startswith((*BUSINESS_WEB_PREFIXES, home)) or path in _account_paths()


def may_use_api(user, path: str) -> bool:
    """Whether this API v1 path is open to the user: everything for staff, the allowlist for a business."""
    if not is_business(user):
        return True
    return (path.startswith(BUSINESS_API_PREFIXES) or path.startswith(f"{API_V1}auth/")
            or BUSINESS_API_PATHS.match(path) is not None)


def safe_next(path: str | None) -> str:
    """Where a business goes after logging in: the page it asked for when it may open it, else its home."""
    if path and path.startswith("/") and not path.startswith("//") and web_path_allowed(path.split("?")[0]) \
            and not path.startswith(API_V1) and path.split("?")[0] not in _account_paths():
        return path
    return business_home()


class BusinessOnlyMiddleware:
    """A signed-in business reaches its own pages and the account pages; any other web path is 404 (the site's
    root sends it to its home). Staff and anonymous visitors pass untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_business(request.user):
            path = request.path_info
            if path == "/":
                return redirect(business_home())
            if not web_path_allowed(path):
                raise Http404("未找到该页面。")
        return self.get_response(request)
