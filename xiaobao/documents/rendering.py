"""DOCX (docxtpl) and PDF (WeasyPrint, from an HTML template of the same content) files of a document."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import BinaryIO

from django.template.loader import render_to_string

from .catalog import SPECS
from .models import DocumentTemplate
from .sandbox import DocumentEnvironment, TemplateRefused

log = logging.getLogger(__name__)

SHIPPED = Path(__file__).resolve().parent / "docx"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def shipped_template(doc_type: str) -> Path:
    return SHIPPED / f"{doc_type}.docx"


def docx_template(doc_type: str) -> BinaryIO | Path:
    """The administrator's uploaded template for the type if there is a readable one, else the shipped file."""
    uploaded = DocumentTemplate.objects.filter(type=doc_type).first()
    if uploaded is not None and uploaded.docx:
        try:
            with uploaded.docx.open("rb") as f:
                return io.BytesIO(f.read())
        except OSError:
            log.warning("uploaded template for %s is unreadable; using the shipped one", doc_type)
    return shipped_template(doc_type)


def render_docx(context: dict, source: BinaryIO | Path) -> bytes:
    """Raises sandbox.TemplateRefused for a template that uses more than placeholders and simple loops."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(source)
    template.render({"d": context}, jinja_env=DocumentEnvironment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render_html(context: dict) -> str:
    spec = SPECS[context["type"]]
    return render_to_string(f"documents/{spec.template}.html", {"d": context})


def render_pdf(context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only file downloads need.
    from weasyprint import HTML

    return HTML(string=render_html(context)).write_pdf()


def render(context: dict, fmt: str) -> bytes:
    if fmt == "docx":
        try:
            return render_docx(context, docx_template(context["type"]))
        except TemplateRefused as exc:
            # Uploaded before templates were checked: never run it; the shipped template still gives the document.
            log.error("uploaded template for %s refused, using the shipped one: %s", context["type"], exc.message)
            return render_docx(context, shipped_template(context["type"]))
    return render_pdf(context)
