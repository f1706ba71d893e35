"""The knowledge base pages: browse and maintain standard answers, and the search fragment that the
`answer` action's form uses to insert one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from xiaobao.cases.errors import Invalid

from . import search, services
from .forms import AnswerForm
from .models import Answer

INSERTABLE = {"answer"}  # fields a standard answer may be inserted into


def _staff_only(request: HttpRequest) -> None:
    if not getattr(request.user, "roles", None) and not request.user.is_superuser:
        raise PermissionDenied("只有工作人员可以使用咨询知识库。")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    q = request.GET.get("q", "").strip()
    editor = services.may_edit(request.user)
    answers = search.search(q, include_inactive=editor) if q else Answer.objects.filter(active=True)[:200]
    return render(request, "knowledge/index.html", {"q": q, "answers": answers, "editor": editor})


@login_required
def edit(request: HttpRequest, answer_id: int | None = None) -> HttpResponse:
    _staff_only(request)
    if not services.may_edit(request.user):
        raise PermissionDenied("您的角色不能维护咨询知识库。")
    answer = get_object_or_404(Answer, pk=answer_id) if answer_id else None
    form = AnswerForm(data=request.POST or None, instance=answer)
    status = 200
    if request.method == "POST":
        data = {**request.POST.dict(), "active": request.POST.get("active") == "on"}
        try:
            saved = services.save_answer(actor=request.user, data=data, answer=answer)
        except Invalid as e:
            form.is_valid()
            for err in e.errors:
                form.add_error(err["field"] if err["field"] in form.fields else None, err["message"])
            status = 422
        else:
            messages.success(request, f"已保存标准答复：{saved.question}")
            return redirect("knowledge:index")
    return render(request, "knowledge/edit.html", {"form": form, "answer": answer}, status=status)


@login_required
def search_fragment(request: HttpRequest) -> HttpResponse:
    """Matching answers as an htmx fragment; with ?insert=<field> each offers to fill that field."""
    _staff_only(request)
    q = request.GET.get("q") or request.GET.get("kb_q", "")  # kb_q: the box in the answer form
    insert = request.GET.get("insert", "")
    answers = search.search(q.strip()) if q.strip() else []
    return render(request, "knowledge/_results.html",
                  {"q": q.strip(), "answers": answers, "insert": insert if insert in INSERTABLE else ""})


@login_required
def insert(request: HttpRequest, answer_id: int) -> HttpResponse:
    """The target textarea again, filled with the standard answer (swapped in place by htmx)."""
    _staff_only(request)
    field = request.GET.get("field", "answer")
    if field not in INSERTABLE:
        raise Http404("没有这个字段。")
    answer = get_object_or_404(Answer, pk=answer_id, active=True)
    return render(request, "knowledge/_insert.html", {"answer": answer, "field": field})
