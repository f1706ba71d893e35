"""The client's address as the login throttle sees it (issue 16, point 8).

Behind the documented reverse proxy every request comes from the proxy's address. X-Forwarded-For names the
client, but anyone can send that header: it is read only when the request comes from a proxy listed in
XIAOBAO_TRUSTED_PROXIES, and then from the right, skipping listed proxies, because the hops left of the last
proxy's entry are whatever the client chose to send."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(listed: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in listed)


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None, proxies: tuple[Network, ...]) -> bool:
    return address is not None and any(address in net for net in proxies)


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = _networks(tuple(settings.XIAOBAO_TRUSTED_PROXIES))
    if not _trusted(_parse(remote), proxies):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # a listed proxy never writes this: what is left of here is the client's own invention
        if not _trusted(address, proxies):
            return str(address)
    return remote
