"""A client generated from API v1's OpenAPI document with a standard generator (openapi-python-client) runs the
12345 hotline round trip against the live server (issue 21, point 8): a work order in, routed, signed, answered,
replied to with its 公开答复内容, the outbox read with the cursor, the 回访 in, the 三率 out — every call through the
generated, typed functions and models.

The generator is not a dependency of the project: the test uses the command named by XIAOBAO_OPENAPI_CLIENT_GENERATOR
or `openapi-python-client` on PATH, and runs the generated client with the Python beside that command (or
XIAOBAO_OPENAPI_CLIENT_PYTHON), which has the client's own dependencies (httpx, attrs). Without them the test is
skipped and says why. To run it:

    python3 -m venv /tmp/gen && /tmp/gen/bin/pip install openapi-python-client
    XIAOBAO_OPENAPI_CLIENT_GENERATOR=/tmp/gen/bin/openapi-python-client python -m pytest tests/api/test_generated_client.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from xiaobao.hotline.models import OutboxEntry, Visit

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GENERATOR_ENV, PYTHON_ENV = "XIAOBAO_OPENAPI_CLIENT_GENERATOR", "XIAOBAO_OPENAPI_CLIENT_PYTHON"


def _generator() -> tuple[str, str]:
    generator = os.environ.get(GENERATOR_ENV) or shutil.which("openapi-python-client")
    if not generator:
        pytest.skip(f"no OpenAPI client generator: install openapi-python-client (in a venv of its own) and put it "
                    f"on PATH or name it in {GENERATOR_ENV}")
    python = os.environ.get(PYTHON_ENV) or str(Path(generator).parent / "python")
    probe = subprocess.run([python, "-c", "import httpx, attrs"], capture_output=True, text=True, timeout=60)  # noqa: S603
    if probe.returncode != 0:
        pytest.skip(f"{python} cannot run a generated client (it needs httpx and attrs): set {PYTHON_ENV}")
    return generator, python


ROUND_TRIP = '''
import json, sys
from datetime import datetime, timedelta, timezone

from xiaobao_client import AuthenticatedClient, Client
from xiaobao_client.api.actions import (action_answer, action_assign, action_reply, action_sign,
                                         action_submit_for_triage)
from xiaobao_client.api.default import v1_token
from xiaobao_client.api.hotline import hotline_outbox, hotline_receive_order, hotline_stats_hotline, hotline_visit
from xiaobao_client.models import (AnswerBody, AssignBody, NoteBody, OrderIn, OrderInCategory, OrderInRequester,
                                   OrderInRespondent, ReplyBody, ReplyBodyChannel, TokenIn, VisitBody,
                                   VisitBodySatisfaction)

base, password, order_no = sys.argv[1:4]
beijing = timezone(timedelta(hours=8))
now = datetime.now(beijing)


def login(username):
    token = v1_token.sync(client=Client(base_url=base), body=TokenIn(username=username, password=password))
    return AuthenticatedClient(base_url=base, token=token.token)


clerk, nanjiao = login("xiaobao"), login("nanjiao")
order = OrderIn(order_no=order_no, received_at=now - timedelta(hours=1), category=OrderInCategory("咨询"),
                title="预付卡退费咨询", content="来电人咨询：健身房闭店，预付卡余额如何退还？",
                requester=OrderInRequester.from_dict({"name": "张伟", "phone": "13800000001", "address": "曾都区南郊街道"}),
                respondent=OrderInRespondent.from_dict({"name": "曾都区某健身房", "address": "曾都区南郊街道"}),
                sign_due=now + timedelta(days=1), finish_due=(now + timedelta(days=15)).date())
created = hotline_receive_order.sync_detailed(client=clerk, body=order)
item = created.parsed
again = hotline_receive_order.sync_detailed(client=clerk, body=order)
steps = [action_submit_for_triage.sync(item.id, client=clerk, body=NoteBody()),
         action_assign.sync(item.id, client=clerk, body=AssignBody(unit="st-nanjiao", note="请南郊所答复")),
         action_sign.sync(item.id, client=nanjiao, body=NoteBody(note="已签收")),
         action_answer.sync(item.id, client=nanjiao, body=AnswerBody(answer="可凭合同向经营者主张退还余额。"))]
bad = action_reply.sync_detailed(item.id, client=nanjiao, body=ReplyBody(channel=ReplyBodyChannel("sms"), content=""))
steps += [action_reply.sync(item.id, client=nanjiao, body=ReplyBody(
             channel=ReplyBodyChannel("phone"), content="已电话告知来电人退费途径。",
             public_reply="经核实，已告知来电人可凭合同主张退还预付卡余额。"))]
page = hotline_outbox.sync(client=clerk, after=0)
visited = hotline_visit.sync(order_no, client=clerk, body=VisitBody(
    resolved=True, satisfaction=VisitBodySatisfaction("satisfied"), comment="满意"))
rates = hotline_stats_hotline.sync(client=clerk, month=now.strftime("%Y-%m"), unit="st-nanjiao")
print(json.dumps({
    "created": [created.status_code, item.channel, item.hotline.order_no, item.kind],
    "again": [again.status_code, again.parsed.id == item.id],
    "states": [type(s).__name__ + ":" + getattr(s, "state", "") for s in steps],
    "clocks": sorted(c.name for c in steps[0].clocks) if steps[0].clocks else [],
    "bad": [bad.status_code, [(e.field, e.message) for e in bad.parsed.errors]],
    "outbox": [[e.cursor, e.order_no, e.type_, e.data.additional_properties] for e in page.results],
    "next": page.next_,
    "visited": [type(visited).__name__, visited.state, visited.hotline.order_no],
    "rates": [[u.unit, u.orders, u.signed_on_time, u.response_rate, u.visited, u.resolved, u.satisfied]
              for u in rates.units],
}, ensure_ascii=False))
'''


def test_a_generated_client_runs_the_hotline_round_trip(bureau, live_server, tmp_path):
    generator, python = _generator()
    document = tmp_path / "openapi.json"
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    document.write_text(json.dumps(r.json(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "xiaobao_client"
    generated = subprocess.run(  # noqa: S603 (the generator named by the environment)
        [generator, "generate", "--path", str(document), "--output-path", str(out), "--meta", "none"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert generated.returncode == 0 and (out / "client.py").exists(), generated.stdout + generated.stderr
    script = tmp_path / "round_trip.py"
    script.write_text(textwrap.dedent(ROUND_TRIP), encoding="utf-8")
    run = subprocess.run([python, str(script), live_server.url, PASSWORD, "ZD12345-CLIENT-0001"],  # noqa: S603
                         capture_output=True, text=True, timeout=300, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert run.returncode == 0, run.stdout + run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])

    assert seen["created"] == [201, "hotline", "ZD12345-CLIENT-0001", "inquiry"]
    assert seen["again"] == [200, True]
    assert seen["states"] == ["CaseOut:triage", "CaseOut:assigned", "CaseOut:assigned", "CaseOut:concluded",
                              "CaseOut:concluded"]
    # The hotline's reply needs its 公开答复内容; the generated client gets the 422 as a typed answer.
    assert seen["bad"][0] == 422
    assert ("content", "请填写回复内容。") in [tuple(e) for e in seen["bad"][1]]
    types = [e[2] for e in seen["outbox"]]
    assert types == ["signed", "finished"] and seen["next"] == seen["outbox"][-1][0]
    signed, finished = (e[3] for e in seen["outbox"])
    assert signed["on_time"] is True and signed["unit"] == "南郊市场监督管理所"
    assert finished["public_reply"] == "经核实，已告知来电人可凭合同主张退还预付卡余额。"
    assert seen["visited"] == ["HotlineCaseOut", "concluded", "ZD12345-CLIENT-0001"]
    assert seen["rates"] == [["st-nanjiao", 1, 1, 1.0, 1, 1, 1]]
    assert OutboxEntry.objects.filter(order_no="ZD12345-CLIENT-0001").count() == 2
    assert Visit.objects.get().satisfaction == "satisfied"
    assert timezone.now() - timedelta(minutes=10) < Visit.objects.get().at <= timezone.now()
