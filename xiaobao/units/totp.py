"""Time-based one-time passwords (RFC 6238 on HOTP, RFC 4226), and sealing of the shared secrets at rest.

Standard library only. The login second factor uses the RFC 6238 defaults that every authenticator app
understands: SHA-1, 30-second steps from the Unix epoch, 6 digits, and a window of one step either side for
clock drift (RFC 6238 §5.2).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import struct
from urllib.parse import quote, urlencode

from django.conf import settings

STEP_SECONDS = 30  # RFC 6238 §4.1 X, the recommended default
DIGITS = 6  # RFC 4226 §5.3: at least 6 digits
WINDOW = 1  # RFC 6238 §5.2: accept one step of drift either side


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """RFC 4226 §5.3: HMAC over the 8-byte counter, dynamic truncation, modulo 10^digits."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    binary = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def step_at(unix_time: float, *, step: int = STEP_SECONDS) -> int:
    """RFC 6238 §4.2: T = floor((Current Unix time - T0) / X), T0 = 0."""
    return int(unix_time // step)


def totp(key: bytes, unix_time: float, *, digits: int = DIGITS, digest=hashlib.sha1, step: int = STEP_SECONDS) -> str:
    return hotp(key, step_at(unix_time, step=step), digits=digits, digest=digest)


def new_secret() -> str:
    """160 random bits (RFC 4226 §4 R6 recommends 160), base32 without padding as authenticator apps expect."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def secret_bytes(secret_b32: str) -> bytes:
    s = secret_b32.replace(" ", "").upper()
    return base64.b32decode(s + "=" * (-len(s) % 8))


def matching_step(secret_b32: str, code: str, unix_time: float, *, after_step: int = 0) -> int | None:
    """The time step whose code equals `code` within the drift window, or None. Steps at or before
    `after_step` (the last one accepted) are refused, so a code cannot be replayed (RFC 6238 §5.2)."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = secret_bytes(secret_b32)
    now = step_at(unix_time)
    found = None
    for candidate in range(now - WINDOW, now + WINDOW + 1):
        # Compare every candidate in constant time and keep going, so timing does not tell which one matched.
        if hmac.compare_digest(hotp(key, candidate), code) and candidate > after_step:
            found = candidate
    return found


def otpauth_uri(secret_b32: str, account: str, issuer: str) -> str:
    """The Key Uri Format of Google Authenticator, which other authenticator apps read as well."""
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret_b32, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS,
                       "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"


# ---------------------------------------------------------------- sealing at rest
# The secret is stored encrypted with a key derived from SECRET_KEY (HMAC-SHA256 in counter mode as the
# keystream, then HMAC-SHA256 over nonce and ciphertext), so that a database dump, a backup or the admin does
# not show it. SECRET_KEY_FALLBACKS are tried when opening, so a key rotation keeps enrolments working.

_PREFIX = "s1:"


def _keys(secret_key: str) -> tuple[bytes, bytes]:
    base = secret_key.encode()
    return (hmac.new(base, b"xiaobao.totp.seal.enc", hashlib.sha256).digest(),
            hmac.new(base, b"xiaobao.totp.seal.mac", hashlib.sha256).digest())


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < length:
        out += hmac.new(key, nonce + struct.pack(">I", counter), hashlib.sha256).digest()
        counter += 1
    return out[:length]


def seal(plain: str) -> str:
    enc, mac = _keys(settings.SECRET_KEY)
    nonce = os.urandom(16)
    data = plain.encode()
    cipher = bytes(a ^ b for a, b in zip(data, _stream(enc, nonce, len(data)), strict=True))
    tag = hmac.new(mac, nonce + cipher, hashlib.sha256).digest()
    return _PREFIX + base64.urlsafe_b64encode(nonce + cipher + tag).decode()


def unseal(sealed: str) -> str | None:
    """The plain secret, or None when no current or fallback SECRET_KEY opens it."""
    if not sealed.startswith(_PREFIX):
        return None
    raw = base64.urlsafe_b64decode(sealed[len(_PREFIX):])
    nonce, cipher, tag = raw[:16], raw[16:-32], raw[-32:]
    for secret_key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        enc, mac = _keys(secret_key)
        if hmac.compare_digest(hmac.new(mac, nonce + cipher, hashlib.sha256).digest(), tag):
            return bytes(a ^ b for a, b in zip(cipher, _stream(enc, nonce, len(cipher)), strict=True)).decode()
    return None
