"""Settings of intake, each with its default (administrators override them in settings)."""

from __future__ import annotations

from django.conf import settings

from xiaobao.lib.spreadsheets import Limits

DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024

# Headers of the national 12315 platform's Excel export → fields of an item. Several spellings of one
# column appear across export versions; all are listed. XIAOBAO_12315_COLUMNS is merged over this (map a
# header to "" to ignore it). Documented in docs/12315-import.md.
DEFAULT_12315_COLUMNS: dict[str, str] = {
    "登记编号": "external_id",
    "投诉举报编号": "external_id",
    "平台编号": "external_id",
    "登记时间": "received_at",
    "接收时间": "received_at",
    "类型": "kind",
    "诉求类型": "kind",
    "投诉人姓名": "complainant.name",
    "投诉举报人姓名": "complainant.name",
    "联系电话": "complainant.phone",
    "投诉人电话": "complainant.phone",
    "联系地址": "complainant.address",
    "投诉人地址": "complainant.address",
    "证件号码": "complainant.id_number",
    "被投诉人名称": "respondent.name",
    "被投诉举报人名称": "respondent.name",
    "被投诉人地址": "respondent.address",
    "被投诉举报人地址": "respondent.address",
    "统一社会信用代码": "respondent.credit_code",
    "投诉内容": "facts",
    "事实": "facts",
    "投诉内容/事实": "facts",
    "诉求": "demand",
    "涉案金额": "amount",
    "商品服务类别": "category",
}

KIND_WORDS = {"投诉": "complaint", "举报": "report", "咨询": "inquiry"}


def attachment_max_bytes() -> int:
    return int(getattr(settings, "XIAOBAO_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES))


def columns_12315() -> dict[str, str]:
    merged = {**DEFAULT_12315_COLUMNS, **getattr(settings, "XIAOBAO_12315_COLUMNS", {})}
    return {header.strip(): field for header, field in merged.items() if field}


def import_inline_rows() -> int:
    """Files up to this many rows are imported in the request; larger ones by a background task."""
    return int(getattr(settings, "XIAOBAO_IMPORT_INLINE_ROWS", 500))


def import_limits() -> Limits:
    """The largest sheet the 12315 import reads (issue 16.2), checked before any reader allocates it. 12315
    exports carry about 15 columns; 10 million cells take about 400 MB while being read."""
    return Limits(rows=int(getattr(settings, "XIAOBAO_IMPORT_MAX_ROWS", 200_000)),
                  columns=int(getattr(settings, "XIAOBAO_IMPORT_MAX_COLUMNS", 200)),
                  cells=int(getattr(settings, "XIAOBAO_IMPORT_MAX_CELLS", 10_000_000)),
                  unpacked_bytes=int(getattr(settings, "XIAOBAO_IMPORT_MAX_UNPACKED_MB", 1024)) << 20)


def repeat_days() -> int:
    return int(getattr(settings, "XIAOBAO_REPEAT_DAYS", 90))


def repeat_person_min() -> int:
    return int(getattr(settings, "XIAOBAO_REPEAT_PERSON_MIN", 3))


def repeat_matter_min() -> int:
    return int(getattr(settings, "XIAOBAO_REPEAT_MATTER_MIN", 3))
