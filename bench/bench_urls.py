"""The application's URLs plus POST /bench/floor: an authenticated request that inserts one row with the
ORM, the floor against which a full registration's throughput is compared. Never in production."""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from xiaobao.cases.models import Party
from xiaobao.units.models import ApiToken
from xiaobao.urls import urlpatterns as app_urlpatterns


@csrf_exempt
def floor(request: HttpRequest) -> JsonResponse:
    header = request.headers.get("Authorization", "")
    staff = ApiToken.staff_for(header.removeprefix("Bearer ").strip()) if header.startswith("Bearer ") else None
    if staff is None or request.method != "POST":
        return JsonResponse({"error": "unauthorized"}, status=401)
    party = Party.objects.create(role=Party.Role.RESPONDENT, name="基准测试", address=staff.username)
    return JsonResponse({"id": party.pk}, status=201)


urlpatterns = [path("bench/floor", floor), *app_urlpatterns]
