"""Intake pages: attachments on the item page, the 12315 import, repeats, and duplicate hints while
registering. Plain function views; every change goes through intake.services or the importer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from xiaobao.cases import persons
from xiaobao.cases.errors import Invalid, NotFound, Refused
from xiaobao.cases.selectors import get_visible_case, may_register
from xiaobao.lib.http import file_download
from xiaobao.units.models import Role

from . import conf, importer, selectors, services, tasks
from .models import ImportRun

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dispatcher(request: HttpRequest) -> None:
    if not request.user.has_role(Role.DISPATCHER):
        raise PermissionDenied("只有消保股分流员可以使用该功能。")


# ---------------------------------------------------------------- attachments


def attachments_context(request: HttpRequest, case, *, error: str = "") -> dict:
    return {"case": case, "attachments": list(case.attachments.select_related("uploaded_by")),
            "may_upload": services.may_upload(request.user, case), "error": error,
            "max_mb": conf.attachment_max_bytes() // (1024 * 1024)}


@login_required
@require_http_methods(["GET", "POST"])
def attachments(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_visible_case(request.user, case_id)
    if case is None:
        raise Http404("未找到该件，或您无权查看。")
    error, status = "", 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            services.attach_file(actor=request.user, case_id=case.pk, upload=upload,
                                 name=upload.name if upload else "")
        except Invalid as exc:
            error, status = exc.message, 422
        except Refused as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, f"已上传附件：{upload.name}")
        if not request.htmx:
            if error:
                messages.error(request, error)
            return redirect("web:case", case.pk)
        case.refresh_from_db()
    return render(request, "intake/_attachment_panel.html", attachments_context(request, case, error=error),
                  status=status)


@login_required
@require_GET
def download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    try:
        attachment, handle = services.open_attachment(actor=request.user, attachment_id=attachment_id)
    except NotFound:
        raise Http404("未找到该附件，或您无权查看。") from None
    return file_download(handle, filename=services.download_name(attachment), content_type=attachment.content_type)


# ---------------------------------------------------------------- 12315 import


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    _dispatcher(request)
    importer.end_stalled_runs()  # so that no run shows 导入中 for ever, even without the cron job
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择全国12315平台导出的 Excel 文件。"
        else:
            data = upload.read()
            run = importer.start_run(actor=request.user, file_name=upload.name)
            table = _read(data)
            if table is None or len(table.rows) <= conf.import_inline_rows():
                # Read once: the import takes the table the count was taken from (a refused file fails the run).
                importer.import_file(actor=request.user, file_name=upload.name, data=data, run=run, table=table)
            else:
                # Large files go to a background task (manage.py db_worker) so the page can show progress; the
                # import is idempotent, so a run cut short by a restart is finished by importing the file again.
                tasks.enqueue_import(run, data)
            return redirect("intake:import_run", run.pk)
    runs = ImportRun.objects.select_related("started_by")[:20]
    return render(request, "intake/import.html", {"runs": runs, "error": error},
                  status=422 if error else 200)


def _read(data: bytes) -> importer.Table | None:
    try:
        return importer.read_table(data)
    except importer.FileRefused:
        return None


@login_required
def import_run(request: HttpRequest, run_id: int) -> HttpResponse:
    _dispatcher(request)
    importer.end_stalled_runs()
    run = get_object_or_404(ImportRun.objects.select_related("started_by"), pk=run_id)
    template = "intake/_import_progress.html" if request.htmx else "intake/import_run.html"
    return render(request, template, {"run": run})


@login_required
def import_errors(request: HttpRequest, run_id: int) -> HttpResponse:
    _dispatcher(request)
    run = get_object_or_404(ImportRun, pk=run_id)
    response = HttpResponse(importer.error_report(run), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="12315-import-{run.pk}-errors.xlsx"'
    return response


# ---------------------------------------------------------------- repeats and duplicates


@login_required
def repeats(request: HttpRequest) -> HttpResponse:
    _dispatcher(request)
    persons = selectors.repeat_persons(request.user)
    services.record_person_match(actor=request.user, case_ids=[c.pk for p in persons for c in p.cases],
                                 via="repeat-persons")
    return render(request, "intake/repeats.html", {
        "persons": persons, "matters": selectors.repeat_matters(request.user),
        "days": conf.repeat_days(), "person_min": conf.repeat_person_min(), "matter_min": conf.repeat_matter_min()})


@login_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    # A hint while registering: for those who register (cases.selectors.may_register).
    if not may_register(request.user):
        raise PermissionDenied("无权查看疑似重复件。")
    # The registration form sends its own field names (hx-include); short names serve other callers.
    q = request.GET
    found = selectors.possible_duplicates(request.user, phone=q.get("phone") or q.get("complainant_phone", ""),
                                          respondent=q.get("respondent") or q.get("respondent_name", ""),
                                          facts=q.get("facts", ""))
    services.record_person_match(actor=request.user, case_ids=[d.case.pk for d in found if d.by_person],
                                 via="duplicates")
    return render(request, "intake/_duplicates.html", {"found": found[:10], "more": max(len(found) - 10, 0)})



@login_required
@require_http_methods(["POST"])
def earlier(request: HttpRequest) -> HttpResponse:
    """The caller's earlier items while the phone is typed on the registration form (issue 18, point 5): those
    the clerk may see whose person has this phone, for staff who may see identities; audited as a search by
    person (cases.persons.earlier_items). By POST, so that the phone stays out of addresses and logs."""
    if not may_register(request.user):
        raise PermissionDenied("无权查看来电人此前的件。")
    items, count = persons.earlier_items(actor=request.user, phone=request.POST.get("complainant_phone", ""))
    return render(request, "intake/_earlier.html", {"items": items, "more": count - len(items)})
