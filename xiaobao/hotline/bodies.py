"""The bodies of the hotline's own steps (cases.bodies explains how they are declared and checked)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, StrictBool

from xiaobao.cases.bodies import Body, Day, ReasonBody, Required, Text, one_of

from .models import Visit


class ExtensionBody(Body):
    until: Day = Field(description="申请延期至（YYYY-MM-DD，晚于现在的办结时限）")
    reason: Required = Field(description="延期理由")


class ExtensionResultBody(Body):
    messages: ClassVar[dict[str, str]] = {"approved": "请填写12345是否同意延期（true 或 false）。"}
    missing = messages

    approved: StrictBool = Field(description="12345 是否同意延期")


class VisitBody(Body):
    messages: ClassVar[dict[str, str]] = {
        "resolved": "请填写是否解决（true 或 false）。",
        "satisfaction": "满意度应为 satisfied（满意）、basic（基本满意）或 dissatisfied（不满意）。"}
    missing = messages

    resolved: StrictBool = Field(description="是否解决")
    satisfaction: one_of(*Visit.Satisfaction.values) = Field(  # type: ignore[valid-type]
        description="satisfied 满意 · basic 基本满意 · dissatisfied 不满意")
    comment: Text = Field(None, description="回访意见")


BODIES = {"hotline_return": ReasonBody, "request_extension": ExtensionBody, "extension_result": ExtensionResultBody,
          "hotline_visit": VisitBody}
