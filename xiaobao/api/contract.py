"""Parts of API v1's OpenAPI document known only at run time (issue 21, point 8): the body models of the actions
the apps registered (cases.actions.add_bodies), and what a new item needs by the rule set in force."""

from __future__ import annotations

from typing import Any

from xiaobao.cases import actions

REF = "#/components/schemas/{model}"
NOT_BLANK = {"type": "string", "pattern": r"\S"}
RULES_HEAD = "必填内容按当前规则集"


def action_body_components() -> dict[str, Any]:
    """The JSON schema of every action's body model, by the model's name, with the models they refer to."""
    out: dict[str, Any] = {}
    for model in dict.fromkeys(actions.bodies().values()):
        schema = model.model_json_schema(ref_template=REF)
        out.update(schema.pop("$defs", {}))
        if out.setdefault(model.__name__, schema) != schema:
            raise ValueError(f"two action body models are named {model.__name__}")
    return out


def _required_by_kind(rule_set, kind: str, rename: dict[str, str]) -> dict:
    """JSON schema's `then` for an item of `kind`: its rule set's required fields, present and not blank (in the
    body's own names: `rename` maps the item's to them)."""
    then: dict[str, Any] = {"required": [], "properties": {}}
    for field in rule_set.required_fields(kind):
        if "." in field:
            party, name = field.split(".", 1)
            party = rename.get(party, party)
            part = then["properties"].setdefault(party, {"type": "object", "required": [], "properties": {}})
            part["required"].append(name)
            part["properties"][name] = NOT_BLANK
            if party not in then["required"]:
                then["required"].append(party)
        else:
            field = rename.get(field, field)
            then["required"].append(field)
            then["properties"][field] = NOT_BLANK
    return then


def order_in_requirements(schema: dict, rule_set, kind_of_category: dict[str, str]) -> None:
    """Add to OrderIn's schema what receive_order (through register_case) requires of each category's item."""
    rename = {"complainant": "requester", "facts": "content"}
    schema["allOf"] = [
        {"if": {"properties": {"category": {"const": category}}, "required": ["category"]},
         "then": _required_by_kind(rule_set, kind, rename)}
        for category, kind in kind_of_category.items()]


def case_in_requirements(schema: dict, rule_set, categories: list[str]) -> None:
    """Add to CaseIn's schema what register_case requires of each kind under `rule_set` (its `required` fields,
    present and not blank; a complaint is never anonymous) and the category codes that exist."""
    rules = []
    for kind in ("complaint", "report", "inquiry"):
        then = _required_by_kind(rule_set, kind, {})
        if kind == "complaint" and "complainant" in then["properties"]:
            then["properties"]["complainant"]["properties"]["anonymous"] = {"const": False}
        rules.append({"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": then})
    schema["allOf"] = rules
    base = (schema.get("description") or "").split(RULES_HEAD)[0].strip()
    schema["description"] = (base + f"\n\n{RULES_HEAD}（{rule_set.code}）：" +
                             "；".join(f"{k}：{'、'.join(rule_set.required_fields(k))}"
                                       for k in ("complaint", "report", "inquiry"))).strip()
    if categories:
        schema["properties"]["category"] = {"anyOf": [{"type": "string", "enum": categories}, {"type": "null"}],
                                            "description": "类别代码"}
