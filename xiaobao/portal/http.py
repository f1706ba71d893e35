"""Who is asking, as far as the throttles need to know."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from . import services


def client_key(request: HttpRequest) -> str:
    """The hashed client address. Behind a reverse proxy set XIAOBAO_PORTAL_CLIENT_ADDRESS_HEADER to the
    header the proxy sets (e.g. HTTP_X_REAL_IP); by default the socket address is used."""
    header = getattr(settings, "XIAOBAO_PORTAL_CLIENT_ADDRESS_HEADER", "REMOTE_ADDR")
    address = request.META.get(header) or request.META.get("REMOTE_ADDR", "")
    # X-Forwarded-For lists every hop; only the last one, added by our own proxy, cannot be forged.
    return services.client_key(address.split(",")[-1].strip())
