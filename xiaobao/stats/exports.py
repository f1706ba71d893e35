"""Downloads of the statistics table (API and pages share them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from .excel import XLSX


def filename(figures: dict[str, Any]) -> str:
    return f"stats-{figures['month']}-{figures['unit'] or 'bureau'}.xlsx"


def xlsx_response(content: bytes, figures: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename(figures)}"'
    return response
