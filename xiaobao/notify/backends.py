"""Pluggable delivery. E-mail goes through Django's EMAIL_BACKEND (console by default; SMTP by settings).
SMS goes through the class named in settings.XIAOBAO_SMS_BACKEND, which must offer
`send(phone: str, text: str) -> None` and raise on failure. A gateway adapter for the bureau's SMS
platform implements that one method (see README)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

log = logging.getLogger("xiaobao.notify")


class ConsoleSmsBackend:
    """Writes messages to the log instead of sending them (the default: no gateway configured)."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))
        log.info("SMS to %s: %s", phone, text)


def sms_backend():
    return import_string(getattr(settings, "XIAOBAO_SMS_BACKEND", "xiaobao.notify.backends.ConsoleSmsBackend"))()


def deliver(notification) -> None:
    user = notification.recipient
    text = f"【{settings.XIAOBAO_BUREAU_NAME}】{notification.title}"
    if user.email:
        send_mail(notification.title, notification.body or notification.title, None, [user.email])
    if user.phone:
        sms_backend().send(user.phone, text)
