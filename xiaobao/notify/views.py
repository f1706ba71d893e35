from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xiaobao.lib import timeutil

from .models import Notification


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(recipient=request.user).select_related("case")
    if request.method == "POST":
        ids = request.POST.getlist("id")
        target = qs.filter(read_at__isnull=True)
        if ids:
            target = target.filter(pk__in=ids)
        target.update(read_at=timeutil.now())
        return redirect("notify:centre")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "notify/centre.html", {"page": page})
