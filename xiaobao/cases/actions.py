"""The registry of the lifecycle's actions: the spine dispatches through it and knows none of the apps that fill it.

Each family of actions is an app of its own (handling, mediation, archive, and later the 12345 hotline orders,
ODR, merges, rewards). In its `AppConfig.ready()` it registers one service function per action, and
optionally a precondition that keeps a useless button off the item's page:

    from xiaobao.cases import actions

    class HotlineConfig(AppConfig):
        name = "xiaobao.hotline"

        def ready(self) -> None:
            from . import services

            actions.register("return_order", services.return_order, transition=services.RETURN_ORDER,
                             precondition=lambda case: case.channel == "12345")

A precondition takes the item, or the item and the actor when it names an `actor` parameter
(`lambda case, actor: ...`): some actions are offered only to those who may see what they need.

A `transition` is the action's row of the lifecycle table (cases.lifecycle.Transition): a new family brings
its own rows; the rows of the families present when the table was written are in cases.lifecycle. Every row
of the table has exactly one function (tests/cases/test_transitions.py); registering a second function for
an action is refused.

Apps that must hear of every timeline line (notifications) subscribe with `on_event`; the spine calls the
listeners inside the transaction that wrote the line, so a listener that acts later uses
`transaction.on_commit`.

Each action declares its body as a pydantic model (`add_bodies`, models built on cases.bodies.Body): API v1's
OpenAPI document is generated from it and `services.perform` validates every body with it first.

An app may hold an item back from the lifecycle for a while (`add_hold`: a merged item is handled through its
primary, xiaobao.merging): the spine then refuses every action but those the hold allows, with its message (409),
and offers no other button. An app may add a field to the item's view (`add_field`, cases.present) and name the
timeline lines it writes that are not actions (`add_labels`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from .lifecycle import TRANSITIONS, Transition

if TYPE_CHECKING:
    from .models import Case, Event


class Action(Protocol):
    def __call__(self, *, actor: Any, case_id: int, body: dict) -> Case: ...


@dataclass(frozen=True)
class Held:
    """Why an item takes no action now (shown to the user), and the actions it still takes."""

    message: str
    allows: frozenset[str] = frozenset()


Precondition = Callable[["Case"], bool]
Precondition = Callable[..., bool]  # (case) or (case, actor)
EventListener = Callable[["Event"], None]
Hold = Callable[["Case"], Held | None]
Field = Callable[["Case"], Any]

_functions: dict[str, Action] = {}
_preconditions: dict[str, Precondition] = {}
_listeners: list[EventListener] = []
_holds: list[Hold] = []
_fields: dict[str, Field] = {}
_labels: dict[str, str] = {}
_bodies: dict[str, type] = {}


class AlreadyRegistered(Exception):
    pass


def register(action: str, function: Action, *, precondition: Precondition | None = None,
             transition: Transition | None = None) -> None:
    """Make `function` the one service function of `action` (called as function(actor=, case_id=, body=)).
    Registering the same function again is harmless (ready() may run again when a test swaps the apps)."""
    if transition is not None:
        if transition.action != action:
            raise ValueError(f"the row {transition.action!r} is not the row of {action!r}")
        if TRANSITIONS.setdefault(action, transition) != transition:
            raise AlreadyRegistered(f"the lifecycle table already has another row {action!r}")
    elif action not in TRANSITIONS:
        raise KeyError(f"{action!r} is not a row of the lifecycle table; register it with its transition")
    if _functions.setdefault(action, function) is not function:
        raise AlreadyRegistered(f"{action!r} already has a service function: {_functions[action]!r}")
    if precondition is not None:
        _preconditions[action] = precondition


def register_all(functions: Mapping[str, Action], preconditions: Mapping[str, Precondition] | None = None) -> None:
    """register() for each action of a family, with the preconditions among them."""
    preconditions = preconditions or {}
    unknown = set(preconditions) - set(functions)
    if unknown:
        raise KeyError(f"preconditions of actions not registered here: {sorted(unknown)}")
    for action, function in functions.items():
        register(action, function, precondition=preconditions.get(action))


def functions() -> dict[str, Action]:
    """Every registered action with its service function, in the order of the lifecycle table."""
    return {action: _functions[action] for action in TRANSITIONS if action in _functions}


def function(action: str) -> Action | None:
    return _functions.get(action)


def preconditions() -> dict[str, Precondition]:
    """What must be true of an item, beyond its state, for an action to be offered."""
    return dict(_preconditions)


@lru_cache(maxsize=256)
def _takes_actor(precondition: Precondition) -> bool:
    try:
        return "actor" in inspect.signature(precondition).parameters
    except (TypeError, ValueError):
        return False


def offered(action: str, case: Case, actor: Any) -> bool:
    """Whether the action's precondition (if any) holds for this item and this actor."""
    precondition = _preconditions.get(action)
    if precondition is None:
        return True
    return bool(precondition(case, actor) if _takes_actor(precondition) else precondition(case))


def add_bodies(bodies: Mapping[str, type]) -> None:
    """Declare the body model (a cases.bodies.Body) of each of these actions."""
    for action, model in bodies.items():
        if _bodies.setdefault(action, model) is not model:
            raise AlreadyRegistered(f"{action!r} already has a body model: {_bodies[action]!r}")


def body(action: str) -> type | None:
    """The body model of an action, if it declared one."""
    return _bodies.get(action)


def bodies() -> dict[str, type]:
    """Every registered action's body model, in the order of the lifecycle table."""
    return {action: _bodies[action] for action in functions() if action in _bodies}


def on_event(listener: EventListener) -> None:
    """Call `listener(event)` for every timeline line written through the services that notifies."""
    if listener not in _listeners:
        _listeners.append(listener)


def event_written(event: Event) -> None:
    for listener in _listeners:
        listener(event)


def add_hold(hold: Hold) -> None:
    """Ask `hold(case)` before every action on an item: a Held refuses the actions it does not allow."""
    if hold not in _holds:
        _holds.append(hold)


def held(case: Case) -> Held | None:
    for hold in _holds:
        if (found := hold(case)) is not None:
            return found
    return None


def add_field(name: str, field: Field) -> None:
    """Show `field(case)` (a JSON value) as `name` in the item's view (GET /api/v1/cases/{id}, the item's page)."""
    if _fields.setdefault(name, field) is not field:
        raise AlreadyRegistered(f"the item's view already has a field {name!r}")


def fields(case: Case | None) -> dict[str, Any]:
    """The apps' fields of an item's view; for a new item (None), each empty."""
    return {name: field(case) if case is not None else None for name, field in _fields.items()}


def add_labels(labels: Mapping[str, str]) -> None:
    """Names of timeline lines that are not actions of the table (shown on the item's timeline)."""
    _labels.update(labels)


def label(action: str) -> str | None:
    return _labels.get(action)
