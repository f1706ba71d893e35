"""The registry of lifecycle actions (xiaobao/cases/actions.py): a family of actions plugs in from its app and is
dispatched by the spine, through the API, like the actions of the table."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.conftest import complaint_body
from xiaobao.cases import actions, services
from xiaobao.cases.lifecycle import TRANSITIONS, Transition
from xiaobao.units.models import Role


@pytest.fixture
def registry(monkeypatch):
    """The registry and the lifecycle table as they are, given back after the test."""
    monkeypatch.setattr(actions, "_functions", dict(actions._functions))
    monkeypatch.setattr(actions, "_preconditions", dict(actions._preconditions))
    monkeypatch.setattr(actions, "_listeners", list(actions._listeners))
    rows = dict(TRANSITIONS)
    yield actions
    TRANSITIONS.clear()
    TRANSITIONS.update(rows)


NOTE_ORDER = Transition("note_order", "记录工单", frozenset({"complaint"}), frozenset({"registered"}),
                        frozenset({Role.DISPATCHER}), "bureau", "测试：一类新的操作")


@transaction.atomic
def note_order(*, actor, case_id: int, body: dict):
    case = services._lock(actor, case_id)
    services._check(actor, case, "note_order")
    services._event(case, actor, "note_order", from_state=case.state, to_state=case.state,
                    note=str(body.get("note", "")))
    return case


def test_each_family_registers_its_actions_from_its_app():
    functions = actions.functions()
    assert functions["assign"] is services.assign
    assert functions["mediate"].__module__ == "xiaobao.mediation.services"
    assert functions["sign"].__module__ == "xiaobao.handling.services"
    assert functions["archive"].__module__ == "xiaobao.archive.services"


def test_a_second_function_for_an_action_is_refused(registry):
    with pytest.raises(actions.AlreadyRegistered):
        registry.register("assign", note_order)
    assert registry.functions()["assign"] is services.assign


def test_registering_the_same_function_again_is_harmless(registry):
    registry.register("assign", services.assign)
    assert registry.functions()["assign"] is services.assign


def test_an_action_outside_the_table_needs_its_row(registry):
    with pytest.raises(KeyError):
        registry.register("note_order", note_order)
    assert "note_order" not in registry.functions()


def test_a_new_family_plugs_in_and_the_api_dispatches_it(registry, api):
    case_id = api("xiaobao").post("/api/v1/cases", complaint_body()).json()["id"]
    listened = []
    registry.on_event(lambda event: listened.append(event.action))
    registry.register("note_order", note_order, transition=NOTE_ORDER,
                      precondition=lambda case: case.kind == "complaint")

    r = api("xiaobao").post(f"/api/v1/cases/{case_id}/actions/note_order", {"note": "12345 工单已记录"})

    assert r.status_code == 200, r.json()
    assert "note_order" in r.json()["actions"]
    assert r.json()["events"][-1]["action"] == "note_order"
    assert r.json()["events"][-1]["note"] == "12345 工单已记录"
    assert listened == ["note_order"]


def test_a_new_family_keeps_the_role_check_of_its_row(registry, api):
    case_id = api("xiaobao").post("/api/v1/cases", complaint_body()).json()["id"]
    registry.register("note_order", note_order, transition=NOTE_ORDER)

    r = api("auditor").post(f"/api/v1/cases/{case_id}/actions/note_order", {})

    assert r.status_code == 403


def test_a_precondition_naming_the_actor_is_asked_with_the_actor(registry, api):
    case_id = api("xiaobao").post("/api/v1/cases", complaint_body()).json()["id"]
    registry.register("note_order", note_order, transition=NOTE_ORDER,
                      precondition=lambda case, actor: actor.username != "xiaobao")

    assert "note_order" not in api("xiaobao").get(f"/api/v1/cases/{case_id}").json()["actions"]
    registry._preconditions["note_order"] = lambda case, actor: actor.username == "xiaobao"
    assert "note_order" in api("xiaobao").get(f"/api/v1/cases/{case_id}").json()["actions"]
