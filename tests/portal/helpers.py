"""Shared helpers of the portal tests: the public JSON client, and answering the form's question."""

from __future__ import annotations

import json
import re

from django.test import Client

NUMERALS = "零一二三四五六七八九"


def public(address: str = "198.51.100.10") -> Client:
    """A member of the public at one address (REMOTE_ADDR), as the throttles see them."""
    return Client(REMOTE_ADDR=address)


def submit(client: Client, body: dict):
    return client.post("/api/public/v1/submissions", json.dumps(body), content_type="application/json")


def track(client: Client, number: str, query_code: str):
    return client.get("/api/public/v1/track", {"number": number, "query_code": query_code})


def challenge_of(page: str) -> tuple[str, str]:
    """The signed token and the right answer of the question on a form page."""
    token = re.search(r'name="challenge" value="([^"]+)"', page).group(1)
    a, b = re.search(rf"([{NUMERALS}])加([{NUMERALS}])等于几", page).groups()
    return token, str(NUMERALS.index(a) + NUMERALS.index(b))


def csrf_of(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
