"""The demo bureau that `make run` loads into an empty database."""

from io import StringIO

import pytest
from django.core.management import call_command

from xiaobao.cases.models import Case
from xiaobao.records.audit import verify
from xiaobao.units.models import Staff, Unit

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_bureau_has_every_unit_and_account_of_the_api_contract(monkeypatch):
    monkeypatch.setenv("XIAOBAO_DEMO_PASSWORD", "Demo-pass-2026")
    load("--if-empty", "--items", "40")
    codes = set(Unit.objects.values_list("code", flat=True))
    assert {"xiaobao", "leaders", "jicha", "st-nanjiao", "st-kaifaqu", "sec-food", "sec-ads"} <= codes
    assert len([c for c in codes if c.startswith("st-")]) == 9
    for username in ("xiaobao", "fenguan", "juzhang", "nanjiao", "dongcheng", "jicha", "shipin", "archivist",
                     "auditor", "admin"):
        assert Staff.objects.get(username=username).check_password("Demo-pass-2026")
    states = set(Case.objects.values_list("state", flat=True))
    assert Case.objects.count() == 40
    assert {"concluded", "archived"} <= states and len(states) >= 4
    assert all(c.events.exists() for c in Case.objects.all())
    # A third of them came in as 12345 work orders (DOMAIN.md "Scale"), through the bridge.
    hotline = Case.objects.filter(channel="hotline")
    assert hotline.exists() and all(hasattr(c, "hotline_order") for c in hotline)
    assert verify()["ok"]


def test_without_a_password_one_is_generated_and_printed_and_a_second_load_changes_nothing(monkeypatch):
    monkeypatch.delenv("XIAOBAO_DEMO_PASSWORD", raising=False)
    first = load("--if-empty", "--items", "5")
    password = first.strip().splitlines()[-1].split("：")[-1]
    assert Staff.objects.get(username="xiaobao").check_password(password)
    second = load("--if-empty", "--items", "5")
    assert "跳过" in second and Case.objects.count() == 5


def test_no_demo_item_is_received_later_than_the_moment_it_is_loaded(monkeypatch):
    # Issue 18 (10): loaded at 08:30 on a Monday, items of the weekend move to "today" with times up to 16:59.
    import time_machine
    from django.utils import timezone

    monkeypatch.setenv("XIAOBAO_DEMO_PASSWORD", "Demo-pass-2026")
    with time_machine.travel("2026-03-02 08:30 +0800", tick=False):
        load("--if-empty", "--items", "60")
        now = timezone.now()
    assert Case.objects.count() == 60
    assert all(c.received_at < now for c in Case.objects.all())
    assert all(e.at <= now for c in Case.objects.all() for e in c.events.all())
