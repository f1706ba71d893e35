"""Forget what the portal's flood guards no longer need: counted requests older than the longest window,
answered questions that have expired anyway, and empty per-address buckets. Run daily (cron)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef

from xiaobao.lib import timeutil
from xiaobao.portal import challenge, services
from xiaobao.portal.models import Hit, ThrottleBucket


class Command(BaseCommand):
    help = "删除过期的公众提交限流记录和已用验证题"

    def handle(self, *args, **options) -> None:
        longest = max(seconds for _, seconds in services.submit_limits() + services.lookup_limits())
        hits = Hit.objects.filter(at__lt=timeutil.now() - timedelta(seconds=longest)).delete()[0]
        nonces = challenge.prune()
        live = Hit.objects.filter(scope=OuterRef("scope"), client=OuterRef("client"))
        buckets = ThrottleBucket.objects.exclude(Exists(live)).delete()[0]
        self.stdout.write(f"hits {hits}, questions {nonces}, buckets {buckets}")
