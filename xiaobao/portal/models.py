"""What the public portal keeps beside an item: the submitter's query code (hashed) and the
counters that hold back floods. Client addresses are kept only as keyed hashes."""

from __future__ import annotations

from django.db import models

from xiaobao.lib import timeutil


class Submission(models.Model):
    """An item submitted by a member of the public through the portal."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="portal_submission",
                                verbose_name="件")
    query_code_hash = models.CharField("查询码（散列）", max_length=128)
    created_ip_hash = models.CharField("来源地址（散列）", max_length=64, db_index=True)
    # None where the kind does not ask (reports and inquiries).
    created_at = models.DateTimeField("提交时间", default=timeutil.now)

    class Meta:
        verbose_name = verbose_name_plural = "公众提交"

    def __str__(self) -> str:
        return str(self.case)


class ThrottleBucket(models.Model):
    """One row per (scope, client), locked while that client's recent hits are counted, so that several
    application servers never let a burst through between the count and the insert."""

    scope = models.CharField(max_length=20)
    client = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "client"], name="one_bucket_per_client")]

    def __str__(self) -> str:
        return f"{self.scope} {self.client[:8]}"


class Hit(models.Model):
    """One counted request: an accepted submission, or a failed lookup."""

    scope = models.CharField(max_length=20)
    client = models.CharField(max_length=64)
    at = models.DateTimeField(default=timeutil.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "client", "at"], name="portal_hit_client_at"),
                   models.Index(fields=["at"], name="portal_hit_at")]

    def __str__(self) -> str:
        return f"{self.scope} {self.client[:8]} {self.at:%Y-%m-%d %H:%M}"


class UsedChallenge(models.Model):
    """Nonces of form challenges already answered: each challenge is good for one try."""

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(default=timeutil.now, db_index=True)

    def __str__(self) -> str:
        return self.nonce
