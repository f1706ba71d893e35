"""The administrator gives roles by ticking them, in Chinese, never by typing JSON (issue 18, point 9)."""

import pytest

from tests.web.test_pages import login
from xiaobao.units.models import Staff

pytestmark = pytest.mark.django_db


def test_roles_are_ticked_from_the_bureau_s_roles_and_listed_by_name(bureau):
    admin = login("admin")
    staff = Staff.objects.get(username="nanjiao")
    page = admin.get(f"/admin/units/staff/{staff.pk}/change/").content.decode()
    assert 'type="checkbox" name="roles" value="unit_leader"' in page and "单位负责人" in page
    assert '<textarea name="roles"' not in page
    form = {"username": staff.username, "full_name": staff.full_name, "unit": staff.unit_id,
            "roles": ["handler", "unit_leader"], "is_active": "on", "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00", "phone": ""}
    r = admin.post(f"/admin/units/staff/{staff.pk}/change/", form)
    assert r.status_code == 302, r.content.decode()[:3000]
    staff.refresh_from_db()
    assert staff.roles == ["handler", "unit_leader"]
    listing = admin.get("/admin/units/staff/").content.decode()
    assert "承办人、单位负责人" in listing


def test_the_admin_pages_speak_chinese(bureau):
    admin = login("admin")
    index = admin.get("/admin/").content.decode()
    assert "后台任务" in index and "Task Results" not in index and "Tasks Database Backend" not in index
    assert "/admin/auth/group/" not in index
    add = admin.get("/admin/units/staff/add/").content.decode()
    assert "保存后再选择单位和角色" in add and "After you" not in add
    staff = Staff.objects.get(username="nanjiao")
    change = admin.get(f"/admin/units/staff/{staff.pk}/change/").content.decode()
    assert "Can add" not in change and "user_permissions" not in change
