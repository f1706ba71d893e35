from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm

from . import accounts
from .models import LoginAttempt, Role, Staff, TotpDevice, Unit


class StaffChangeForm(UserChangeForm):
    """Roles ticked from the list of the bureau's roles, never typed as JSON."""

    roles = forms.MultipleChoiceField(label="角色", choices=Role.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)

    class Meta(UserChangeForm.Meta):
        model = Staff


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "active", "sort"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    form = StaffChangeForm
    add_form_template = "units/staff_add_form.html"
    list_display = ["username", "full_name", "unit", "roles_shown", "is_active", "must_change_password",
                    "second_factor"]
    list_filter = ["unit", "is_active", "must_change_password"]
    # Access comes from the roles, so Django's groups and per-model permissions are not offered.
    fieldsets = ((None, {"fields": ("username", "password")}),
                 ("单位与角色", {"fields": ("full_name", "unit", "roles", "phone")}),
                 ("账号状态", {"fields": ("is_active", "is_staff", "is_superuser", "email")}),
                 ("账号安全", {"fields": ("must_change_password", "second_factor")}),
                 ("重要日期", {"fields": ("last_login", "date_joined")}))
    readonly_fields = ["second_factor"]
    actions = ["reset_second_factor"]

    @admin.display(description="角色")
    def roles_shown(self, obj: Staff) -> str:
        return "、".join(obj.role_names) or "—"

    @admin.display(description="两步验证")
    def second_factor(self, obj: Staff) -> str:
        # Only the status: the TOTP secret itself is sealed and never shown here (TotpDevice is not registered).
        device = TotpDevice.objects.filter(staff=obj).first() if obj.pk else None
        if device is None:
            return "未启用"
        return "已启用" if device.confirmed_at else "待确认"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # The administrator chose this password: the new colleague must replace it (issue 8: accounts).
            accounts.note_password_set_by(request.user, obj, created=True)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            accounts.note_password_set_by(request.user, Staff.objects.get(pk=id), created=False)
        return response

    @admin.action(description="重置两步验证（丢失手机时，用户须重新启用）")
    def reset_second_factor(self, request, queryset):
        done = sum(accounts.reset_by_admin(request.user, user) for user in queryset)
        self.message_user(request, f"已为 {done} 个账号重置两步验证。", messages.SUCCESS)


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    """Read-only: which accounts fail to log in, how often and from how many clients (issue 16, point 8).
    Throttling ends by itself; nothing here unlocks or locks anyone."""

    list_display = ["username", "success", "at", "address"]
    list_filter = ["success", "at"]
    search_fields = ["username"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
