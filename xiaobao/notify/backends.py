"""Pluggable delivery. E-mail goes through Django's EMAIL_BACKEND (console by default; SMTP by settings).
SMS goes through the class named in settings.XIAOBAO_SMS_BACKEND, which must offer
`send(phone: str, text: str)` and raise on failure (it may return the gateway's message id). A gateway adapter
for the bureau's SMS platform implements that one method (see README). The backends live in
xiaobao.lib.outbound, shared with the delivery of documents (xiaobao.documents)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from xiaobao.lib.outbound import ConsoleSmsBackend, sms_backend

__all__ = ["ConsoleSmsBackend", "deliver", "sms_backend"]


def deliver(notification) -> None:
    user = notification.recipient
    text = f"【{settings.XIAOBAO_BUREAU_NAME}】{notification.title}"
    if user.email:
        send_mail(notification.title, notification.body or notification.title, None, [user.email])
    if user.phone:
        sms_backend().send(user.phone, text)
