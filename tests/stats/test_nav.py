"""The statistics links that base.html includes (stats/_nav.html), by role."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from xiaobao.units.models import Staff


@pytest.mark.parametrize(("username", "links"), [
    ("xiaobao", ["/stats/monthly/", "/stats/dashboard/", "/stats/submissions/", "/odr/scorecard/",
                 "/stats/warnings/", "/stats/warnings/alerts/"]),
    ("fenguan", ["/stats/monthly/", "/stats/dashboard/", "/stats/submissions/", "/odr/scorecard/",
                 "/stats/warnings/alerts/"]),
    ("juzhang", ["/stats/monthly/", "/stats/dashboard/", "/stats/submissions/", "/odr/scorecard/",
                 "/stats/warnings/alerts/"]),
    ("nanjiao", ["/stats/monthly/", "/stats/dashboard/", "/stats/submission/"]),
    ("admin", []),
])
def test_each_role_sees_its_own_links(bureau, username, links):
    html = render_to_string("stats/_nav.html", {"user": Staff.objects.get(username=username)})
    assert [part.split('"')[0] for part in html.split('href="')[1:]] == links
