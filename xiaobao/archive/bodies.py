"""The body of the archive action (cases.bodies explains how it is declared and checked)."""

from __future__ import annotations

from pydantic import Field

from xiaobao.cases.bodies import Body, Text


class ArchiveBody(Body):
    classification: Text = Field(None, description="归档分类代码（GET /api/v1/archive/schedule；缺省：建议的分类）")
    retention: Text = Field(None, description="保管期限代码（缺省：该类件的默认期限）")
    location: Text = Field(None, description="存放位置")
    note: Text = None


BODIES = {"archive": ArchiveBody}
