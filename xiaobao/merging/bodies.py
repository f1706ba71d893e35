"""The bodies of merge, unmerge and repeat_report (cases.bodies explains how they are declared and checked)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from xiaobao.cases.bodies import Body, ReasonBody, Required


class MergeBody(Body):
    missing: ClassVar[dict[str, str]] = {"into": "请填写主件（编号）。"}

    into: int | str = Field(description="主件：其 id，或编号（如 TS-2026-000123）")
    reason: Required = Field(description="并案理由")
    consent: bool | str | None = Field(None, description="不同消费者的投诉合并处理：投诉人已同意（true）")


class RepeatReportBody(Body):
    missing: ClassVar[dict[str, str]] = {"of": "请填写已办结的举报（编号）。"}

    of: int | str = Field(description="本件所重复的、已办结的举报：其 id 或编号")
    reason: Required = Field(description="理由")


BODIES = {"merge": MergeBody, "unmerge": ReasonBody, "repeat_report": RepeatReportBody}
