"""`manage.py check --deploy`: the audit trail's key must be set apart from SECRET_KEY in production."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

from . import keys


@register(Tags.security, deploy=True)
def audit_key_is_configured(app_configs, **kwargs) -> list[Warning]:
    if not keys.configured():
        return [Warning(
            "XIAOBAO_AUDIT_KEY (or XIAOBAO_AUDIT_KEY_FILE) is not set: the audit trail is sealed with a key derived "
            "from SECRET_KEY.",
            hint="Set a random key of at least 32 characters, keep it outside the database and its backups, and "
                 "never change it (the rows sealed with it would no longer verify).",
            id="records.W001")]
    if len(settings.XIAOBAO_AUDIT_KEY) < keys.MIN_KEY_LENGTH:
        return [Warning(f"XIAOBAO_AUDIT_KEY is shorter than {keys.MIN_KEY_LENGTH} characters.", id="records.W002")]
    return []
