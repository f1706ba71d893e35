"""Which rule set an item keeps: the one in force on the day it was received (DOMAIN.md, "Rule sets"), the same
answer from the database, the registration cache and the bulk import's list."""

from datetime import date

import pytest

from xiaobao.cases import reference
from xiaobao.rules.models import RuleSet, in_force_among

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", [date(2015, 1, 1), date(2020, 6, 1), date(2025, 12, 31), date(2026, 7, 1),
                                 date(2027, 3, 1)])
def test_the_database_the_cache_and_a_list_agree_on_the_rule_set_in_force(day):
    family = RuleSet.objects.values_list("family", flat=True).first()
    sets = list(RuleSet.objects.filter(family=family))
    expected = in_force_among(sets, day, family=family)
    assert RuleSet.in_force(day, family) == expected == reference.rule_set_in_force(day, family)
    started = [r for r in sets if r.effective_from <= day]
    if started:
        assert expected.effective_from == max(r.effective_from for r in started)
    else:  # before any took effect: the earliest
        assert expected.effective_from == min(r.effective_from for r in sets)


def test_no_rule_set_is_an_error_naming_the_family():
    with pytest.raises(LookupError, match="samr-x"):
        in_force_among([], date(2026, 1, 1), family="samr-x")
