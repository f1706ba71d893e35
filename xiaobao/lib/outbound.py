"""Messages that leave the system: SMS through the gateway class named in settings.XIAOBAO_SMS_BACKEND, e-mail
through Django's EMAIL_BACKEND. Both answer with a message id, the proof that a message was handed over
(xiaobao.documents records it on a delivery; xiaobao.notify sends its notifications here).

An SMS gateway adapter offers `send(phone: str, text: str) -> str | None`: it raises on failure and returns the
gateway's message id when it gives one (without one, a local id is made so that every message has one)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.utils.module_loading import import_string

log = logging.getLogger("xiaobao.notify")

DEFAULT_SMS_BACKEND = "xiaobao.lib.outbound.ConsoleSmsBackend"


class ConsoleSmsBackend:
    """Writes messages to the log instead of sending them (the default: no gateway configured)."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> str:
        self.sent.append((phone, text))
        log.info("SMS to %s: %s", phone, text)
        return f"console-{uuid.uuid4().hex[:16]}"


def sms_backend():
    return import_string(getattr(settings, "XIAOBAO_SMS_BACKEND", "") or DEFAULT_SMS_BACKEND)()


def send_sms(phone: str, text: str) -> str:
    """Hand one SMS to the gateway; its message id. Raises what the gateway raises."""
    message_id = sms_backend().send(phone, text)
    return str(message_id) if message_id else f"local-{uuid.uuid4().hex[:16]}"


def send_email(to: str, subject: str, body: str, attachments: Iterable[tuple[str, bytes, str]] = ()) -> str:
    """Send one e-mail (with attachments: name, content, type); its Message-ID. Raises on failure."""
    domain = (getattr(settings, "DEFAULT_FROM_EMAIL", "") or "xiaobao@localhost").rpartition("@")[2] or None
    message_id = make_msgid(domain=domain)
    message = EmailMessage(subject, body, None, [to], headers={"Message-ID": message_id})
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send(fail_silently=False)
    return message_id
