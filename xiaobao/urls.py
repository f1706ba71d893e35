from django.contrib import admin
from django.db import connection
from django.http import JsonResponse
from django.urls import include, path

from xiaobao.api.public import public_api
from xiaobao.api.v1 import api


def healthz(request):
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


# A full disk answers 503 with its cause; the API answers JSON (xiaobao/lib/boundary.py).
handler500 = "xiaobao.lib.boundary.server_error"

admin.site.site_header = "消保 · 系统管理"
admin.site.site_title = "消保"

urlpatterns = [
    path("healthz", healthz),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("api/public/v1/", public_api.urls),
    path("portal/", include("xiaobao.portal.urls")),
    path("notifications/", include("xiaobao.notify.urls")),
    path("", include("xiaobao.stats.urls")),
    path("", include("xiaobao.disclosure.warning_urls")),
    path("intake/", include("xiaobao.intake.urls")),
    path("", include("xiaobao.hotline.urls")),
    path("archive/", include("xiaobao.archive.urls")),
    path("mediation/", include("xiaobao.mediation.urls")),
    path("rewards/", include("xiaobao.rewards.urls")),
    path("knowledge/", include("xiaobao.knowledge.urls")),
    path("disclosure/", include("xiaobao.disclosure.urls")),
    path("odr/scorecard/", include("xiaobao.odr.scorecard_urls")),
    # The ODR business's own pages (xiaobao.odr.business_urls): nothing of the staff's pages.
    path("business/", include("xiaobao.odr.business_urls")),
    path("odr/", include("xiaobao.odr.urls")),
    path("", include("xiaobao.web.urls")),
]
