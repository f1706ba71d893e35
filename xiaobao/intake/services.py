"""Changes made by intake: attaching files to an item, and updating an untriaged item from the 12315
platform. Each writes the item's timeline and the audit trail through xiaobao.cases.services._event."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from decimal import Decimal
from pathlib import Path, PurePath
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from xiaobao.cases.errors import Invalid, NotFound, NotPermitted, WrongState
from xiaobao.cases.models import Case, Party, State
from xiaobao.cases.selectors import get_visible_case
from xiaobao.cases.services import _event
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.units.models import Role, Staff

from . import conf
from .filetypes import Refusal, by_content_type, detect
from .models import Attachment

UPLOAD_ROLES = (Role.DISPATCHER, Role.HANDLER, Role.UNIT_LEADER)
NOT_FOUND = "未找到该件，或您无权查看。"


def may_upload(user: Staff, case: Case) -> bool:
    """Whether the upload form is offered (the service checks again)."""
    return user.has_role(*UPLOAD_ROLES) and case.state != State.ARCHIVED


def record_person_match(*, actor: Staff, case_ids: list[int], via: str) -> None:
    """Matching a phone or ID number against items' complainants tells whose they are: a read of those
    people's data, in the audit trail like every other (rules 三.5)."""
    if case_ids:
        record(actor=actor, action="read_personal", obj=via,
               detail={"cases": case_ids, "fields": ["complainant.phone", "complainant.id_number"]})


def _clean_name(name: str) -> str:
    # Only the last path component, without control characters; kept for display and the download name.
    base = PurePath(str(name).replace("\\", "/")).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return base[-200:] or "附件"


def _read_limited(upload: IO[bytes], limit: int) -> bytes:
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise Invalid([{"field": "file", "message": f"文件过大：单个附件不能超过 {limit // (1024 * 1024)} MB。"}])
    return data


def attach_file(*, actor: Staff, case_id: int, upload: IO[bytes] | None, name: str) -> Attachment:
    """Keep a file with an item. 404 if the item is not visible, 403 for roles that may not upload,
    409 for archived items, 422 (field "file") for a missing, oversize or disallowed file."""
    if get_visible_case(actor, case_id) is None:
        raise NotFound(NOT_FOUND)
    if not actor.has_role(*UPLOAD_ROLES):
        raise NotPermitted("您的角色不能上传附件。")
    if upload is None:
        raise Invalid([{"field": "file", "message": "请选择要上传的文件。"}])
    limit = conf.attachment_max_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise Invalid([{"field": "file", "message": f"文件过大：单个附件不能超过 {limit // (1024 * 1024)} MB。"}])
    data = _read_limited(upload, limit)
    if not data:
        raise Invalid([{"field": "file", "message": "文件是空的。"}])
    try:
        kind = detect(data)
    except Refusal as exc:
        raise Invalid([{"field": "file", "message": str(exc)}]) from None
    now = timeutil.now()
    relative = f"attachments/{now:%Y}/{secrets.token_hex(16)}"
    target = PurePath(settings.MEDIA_ROOT) / relative
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
        if case.state == State.ARCHIVED:
            raise WrongState("该件已归档，不能再上传附件。", state=case.state)
        _write(target, data)
        try:
            attachment = Attachment.objects.create(
                case=case, path=relative, name=_clean_name(name), content_type=kind.content_type, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor, uploaded_at=now)
            _event(case, actor, "attach", from_state=case.state, to_state=case.state,
                   note=f"上传附件：{attachment.name}",
                   data={"attachment": attachment.pk, "name": attachment.name, "size": attachment.size})
        except BaseException:
            _remove(target)
            raise
    return attachment


def _write(target: PurePath, data: bytes) -> None:
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    with open(path, "xb") as f:
        f.write(data)
    path.chmod(0o640)


def _remove(target: PurePath) -> None:
    Path(target).unlink(missing_ok=True)


def open_attachment(*, actor: Staff, attachment_id: int) -> tuple[Attachment, IO[bytes]]:
    """The attachment and its open file, for a user who may see its item (404 otherwise); audited."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or get_visible_case(actor, attachment.case_id) is None:
        raise NotFound("未找到该附件，或您无权查看。")
    try:
        handle = open(attachment.full_path, "rb")  # closed by the response
    except FileNotFoundError:
        raise NotFound("附件文件已丢失，请联系系统管理员。") from None
    record(actor=actor, action="download_attachment", obj=f"attachment:{attachment.pk}", case_id=attachment.case_id,
           detail={"name": attachment.name, "sha256": attachment.sha256})
    return attachment, handle


def download_name(attachment: Attachment) -> str:
    """The original name, with the extension of what the file really is."""
    kind = by_content_type(attachment.content_type)
    name = attachment.name
    if kind and not name.lower().endswith(kind.extensions):
        return name + kind.extensions[0]
    return name


# ---------------------------------------------------------------- 12315 platform updates

# Fields an import may change on a registered item, as (flat key, where it lives).
IMPORT_FIELDS = ("received_at", "facts", "demand", "amount", "category",
                 "complainant.name", "complainant.phone", "complainant.address", "complainant.id_number",
                 "respondent.name", "respondent.address", "respondent.credit_code")
PERSONAL = {"complainant.name", "complainant.phone", "complainant.address", "complainant.id_number"}


def import_view(case: Case) -> dict[str, Any]:
    """The item's fields as an import row would state them, for comparison."""
    out: dict[str, Any] = {"received_at": case.received_at, "facts": case.facts, "demand": case.demand,
                           "amount": case.amount, "category": case.category}
    for role in ("complainant", "respondent"):
        party = getattr(case, role)
        for key in ("name", "phone", "address", "id_number", "credit_code"):
            out[f"{role}.{key}"] = getattr(party, key) if party else ""
    return {k: out[k] for k in IMPORT_FIELDS}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return (Decimal(str(a)) if a not in (None, "") else None) == (Decimal(str(b)) if b not in (None, "") else None)
    return (a if a is not None else "") == (b if b is not None else "")


def import_changes(case: Case, incoming: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """{field: (old, new)} for the fields of an import row that differ from the item."""
    current = import_view(case)
    return {k: (current[k], incoming[k]) for k in IMPORT_FIELDS if k in incoming and not _same(current[k], incoming[k])}


@transaction.atomic
def update_from_import(*, actor: Staff | None, case_id: int, incoming: dict[str, Any]) -> dict[str, tuple]:
    """Apply a changed 12315 row to an item still in "registered" (nobody has looked at it yet). Returns the
    changes made; raises WrongState if the item has moved on (its handlers' view wins)."""
    case = (Case.objects.select_for_update(of=("self",)).select_related("complainant", "respondent")
            .get(pk=case_id))
    if case.state != State.REGISTERED:
        raise WrongState("该件已进入办理，不随平台数据更新。", state=case.state)
    changes = import_changes(case, incoming)
    if not changes:
        return {}
    for key, (_, new) in changes.items():
        if "." in key:
            role, attr = key.split(".", 1)
            party = getattr(case, role)
            if party is None:
                party = Party.objects.create(role=role)
                setattr(case, role, party)
            setattr(party, attr, new or "")
            party.save()
        else:
            setattr(case, key, new if new is not None or key == "amount" else "")
    case.save()
    shown = {k: ({"changed": True} if k in PERSONAL else {"old": _plain(old), "new": _plain(new)})
             for k, (old, new) in changes.items()}
    _event(case, actor, "import_update", from_state=case.state, to_state=case.state,
           note="全国12315平台数据有更新：" + "、".join(FIELD_LABELS.get(k, k) for k in changes),
           data={"channel": case.channel, "external_id": case.external_id, "changes": shown})
    return changes


def _plain(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else (str(v) if isinstance(v, Decimal) else v)


FIELD_LABELS = {
    "external_id": "登记编号", "received_at": "登记时间", "kind": "类型", "facts": "投诉内容",
    "demand": "诉求", "amount": "涉案金额", "category": "商品服务类别",
    "complainant.name": "投诉人姓名", "complainant.phone": "联系电话", "complainant.address": "联系地址",
    "complainant.id_number": "证件号码", "respondent.name": "被投诉人名称", "respondent.address": "被投诉人地址",
    "respondent.credit_code": "统一社会信用代码",
}
