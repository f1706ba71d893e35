"""Build the shipped DOCX templates (xiaobao/documents/docx/*.docx) with python-docx.

    .venv/bin/python -m xiaobao.documents.templates_src.build

The files hold docxtpl (Jinja) tags over the same context as the PDF's HTML templates (content.snapshot):
d.bureau_name, title, number, date, addressee, decision, ground, case.*, complainant.*, respondent.*, unit,
clocks, basis. Each tag sits alone in its run so Word never splits it. An administrator may replace any file
through the admin (文书模板) with a copy edited in Word or WPS that keeps the tags.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent.parent / "docx"
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
TYPES = ["registration_form", "acceptance_notice", "non_acceptance_notice", "mediation_agreement",
         "termination_decision", "non_filing_record", "report_result_notice", "referral_notice", "police_referral"]


def _font(run_or_style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.name = name
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _new() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.2)
    _font(doc.styles["Normal"], SERIF, 12)
    return doc


def _p(doc, text: str, *, align=None, size: float | None = None, bold: bool = False, sans: bool = False,
       indent: bool = False):
    para = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Pt(24)
    run = para.add_run(text)
    _font(run, SANS if sans else SERIF, size, bold)
    return para


def _tag(doc, tag: str) -> None:
    """A paragraph holding only a {%p ... %} tag; docxtpl removes it when rendering."""
    doc.add_paragraph().add_run(tag)


def _header(doc) -> None:
    _p(doc, "{{ d.bureau_name }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=20, bold=True, sans=True)
    _p(doc, "{{ d.title }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=17, bold=True, sans=True)
    _p(doc, "{{ d.number }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def _table(doc, rows: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(4.5), Cm(11.8)
        for cell, text, sans in ((cells[0], label, True), (cells[1], value, False)):
            run = cell.paragraphs[0].add_run(text)
            _font(run, SANS if sans else SERIF, 11)


def _decision(doc) -> None:
    _tag(doc, "{%p for line in d.decision %}")
    _p(doc, "{{ line }}", indent=True)
    _tag(doc, "{%p endfor %}")


def _footer(doc, *, signature: bool = True) -> None:
    _tag(doc, "{%p if d.clocks %}")
    _p(doc, "相关期限", bold=True, sans=True)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p for c in d.clocks %}")
    _p(doc, "{{ c.label }}：{{ c.start }}起算，{{ c.due }}届满{% if c.met_on %}（{{ c.met_on }}完成）{% endif %}"
            "（{{ c.basis }}）", size=10)
    _tag(doc, "{%p endfor %}")
    _p(doc, "依据", bold=True, sans=True)
    _tag(doc, "{%p for b in d.basis %}")
    _p(doc, "{{ b }}", size=10)
    _tag(doc, "{%p endfor %}")
    if signature:
        doc.add_paragraph()
        _p(doc, "{{ d.bureau_name }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
        _p(doc, "{{ d.date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def registration_form() -> Document:
    doc = _new()
    _header(doc)
    _table(doc, [
        ("件编号", "{{ d.case.number }}"),
        ("类型 / 来源渠道", "{{ d.case.kind_label }} / {{ d.case.channel_label }}"),
        ("接收日期", "{{ d.case.received }}"),
        ("投诉举报人", "{{ d.complainant.name }}"),
        ("联系电话", "{{ d.complainant.phone }}"),
        ("地址", "{{ d.complainant.address }}"),
        ("证件", "{{ d.complainant.id_type }} {{ d.complainant.id_number }}"),
        ("被投诉举报人", "{{ d.respondent.name }}"),
        ("被投诉举报人地址", "{{ d.respondent.address }}"),
        ("统一社会信用代码", "{{ d.respondent.credit_code }}"),
        ("事实与理由", "{{ d.case.facts }}"),
        ("诉求", "{{ d.case.demand }}"),
        ("涉案金额", "{{ d.case.amount }}"),
        ("承办单位", "{{ d.unit }}"),
        ("办理状态", "{{ d.case.state_label }}{% if d.case.outcome_label %}（{{ d.case.outcome_label }}）{% endif %}"),
    ])
    _footer(doc)
    return doc


def notice() -> Document:
    doc = _new()
    _header(doc)
    _tag(doc, "{%p if d.addressee %}")
    _p(doc, "{{ d.addressee }}：")
    _tag(doc, "{%p endif %}")
    _decision(doc)
    _tag(doc, "{%p if d.ground %}")
    _p(doc, "理由：{{ d.ground.text }}（{{ d.ground.basis }}）", indent=True)
    _tag(doc, "{%p endif %}")
    party = '{% if d.case.kind == "report" %}被举报人{% else %}被投诉人{% endif %}'
    matter = '{% if d.case.kind == "report" %}举报事项{% else %}投诉事项{% endif %}'
    _table(doc, [
        ("件编号", "{{ d.case.number }}（{{ d.case.kind_label }}，{{ d.case.received }}接收）"),
        (party, "{{ d.respondent.name }}{% if d.respondent.address %}（{{ d.respondent.address }}）{% endif %}"),
        (matter, "{{ d.case.facts }}"),
        ("承办单位", "{{ d.unit }}"),
    ])
    _footer(doc)
    return doc


def mediation_agreement() -> Document:
    doc = _new()
    _header(doc)
    _p(doc, "投诉人：{{ d.complainant.name }}")
    _p(doc, "被投诉人：{{ d.respondent.name }}{% if d.respondent.address %}，地址：{{ d.respondent.address }}{% endif %}")
    _p(doc, "调解单位：{{ d.unit }}")
    _p(doc, "投诉事项：{{ d.case.facts }}")
    _tag(doc, "{%p if d.case.demand %}")
    _p(doc, "投诉请求：{{ d.case.demand }}")
    _tag(doc, "{%p endif %}")
    _decision(doc)
    _footer(doc, signature=False)
    doc.add_paragraph()
    _p(doc, "投诉人（签字）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿")
    _p(doc, "被投诉人（签字或盖章）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿")
    _p(doc, "调解人（签字）：＿＿＿＿＿＿＿＿")
    _p(doc, "{{ d.bureau_name }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _p(doc, "{{ d.date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


def police_referral() -> Document:
    doc = _new()
    _header(doc)
    _tag(doc, "{%p if d.authority %}")
    _p(doc, "{{ d.authority }}：")
    _tag(doc, "{%p endif %}")
    _decision(doc)
    _tag(doc, "{%p if d.ground %}")
    _p(doc, "终止调解理由：{{ d.ground.text }}（{{ d.ground.basis }}）", indent=True)
    _tag(doc, "{%p endif %}")
    _table(doc, [
        ("涉嫌人（投诉人）", "{{ d.complainant.name }}"),
        ("证件", "{{ d.complainant.id_type }} {{ d.complainant.id_number }}"),
        ("联系电话", "{{ d.complainant.phone }}"),
        ("地址", "{{ d.complainant.address }}"),
        ("被投诉人", "{{ d.respondent.name }}{% if d.respondent.address %}（{{ d.respondent.address }}）{% endif %}"),
        ("投诉编号", "{{ d.case.number }}（{{ d.case.received }}接收）"),
        ("投诉事项", "{{ d.case.facts }}"),
        ("投诉请求", "{{ d.case.demand }}"),
        ("涉案金额", "{{ d.case.amount }}"),
        ("承办单位", "{{ d.unit }}"),
    ])
    _footer(doc, signature=False)
    doc.add_paragraph()
    _p(doc, "{{ d.bureau_name }}（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _p(doc, "{{ d.date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _p(doc, "公安机关接收人（签字）：＿＿＿＿＿＿＿＿　　接收日期：＿＿＿＿＿＿", size=10)
    return doc


LAYOUTS = {"registration_form": registration_form, "mediation_agreement": mediation_agreement,
           "police_referral": police_referral}


def build(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for doc_type in TYPES:
        doc = LAYOUTS.get(doc_type, notice)()
        doc.core_properties.title = doc_type
        doc.core_properties.author = "Xiaobao"
        path = out / f"{doc_type}.docx"
        doc.save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build():
        print(p)
