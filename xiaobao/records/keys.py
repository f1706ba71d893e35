"""The audit trail's MAC key (issue 16, point 9). It lives outside the database (XIAOBAO_AUDIT_KEY or the file
XIAOBAO_AUDIT_KEY_FILE), so that someone who can write to the database cannot re-seal rows they changed."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings

MIN_KEY_LENGTH = 32  # characters of a configured key; the derived one is 32 bytes


def configured() -> bool:
    return bool(settings.XIAOBAO_AUDIT_KEY)


@lru_cache(maxsize=4)
def _keyed(key_text: str, secret_key: str) -> hmac.HMAC:
    # Without a configured key (development, tests) one is derived from SECRET_KEY, which is also kept outside
    # the database; production sets its own so that it can be kept apart from SECRET_KEY (check --deploy warns).
    key = key_text.encode() if key_text else hmac.new(secret_key.encode(), b"xiaobao.audit.mac-key",
                                                      hashlib.sha256).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def mac(data: bytes) -> str:
    """HMAC-SHA256 of data under the audit key, as 64 hex digits."""
    h = _keyed(settings.XIAOBAO_AUDIT_KEY, settings.SECRET_KEY).copy()
    h.update(data)
    return h.hexdigest()


def fingerprint() -> str:
    """Names the key without giving it away: what a backup's manifest records, so a restore can tell whether
    this installation still has the key that sealed the restored trail."""
    return mac(b"xiaobao.audit.key-fingerprint")[:16]
