"""Units of the bureau and the staff who work in them (rules 一)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class UnitKind(models.TextChoices):
    OFFICE = "office", "消费者权益保护股"
    LEADERS = "leaders", "局领导"
    SECTION = "section", "业务股室"
    INSPECTION = "inspection", "稽查分局"
    STATION = "station", "辖区市场监督管理所"


class Unit(models.Model):
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    short_name = models.CharField("简称", max_length=20, blank=True)
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices)
    active = models.BooleanField("启用", default=True)
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def handles_items(self) -> bool:
        """Units that can hold an item for handling (rules 一.2, 一.3)."""
        return self.kind in {UnitKind.SECTION, UnitKind.INSPECTION, UnitKind.STATION}


class Role(models.TextChoices):
    DISPATCHER = "dispatcher", "分流员"
    DEPUTY_DIRECTOR = "deputy_director", "分管局长"
    BUREAU_HEAD = "bureau_head", "局负责人"
    HANDLER = "handler", "承办人"
    UNIT_LEADER = "unit_leader", "单位负责人"
    ARCHIVIST = "archivist", "档案管理员"
    AUDITOR = "auditor", "审计员"
    ADMIN = "admin", "系统管理员"
    # An ODR business's own account (xiaobao.odr): no unit, sees only the complaints forwarded to it.
    BUSINESS = "business", "ODR企业"


# Leadership (局领导) and administrators may protect their login with a second factor (issue 8: accounts), and
# so may ODR businesses' accounts (issue 22: "optional TOTP"); XIAOBAO_REQUIRE_TOTP_FOR names these groups.
TOTP_ROLE_GROUPS = {
    "leadership": frozenset({Role.DEPUTY_DIRECTOR, Role.BUREAU_HEAD}),
    "admin": frozenset({Role.ADMIN}),
    "business": frozenset({Role.BUSINESS}),
}

# Roles that see every item of the bureau; everyone else sees only their own unit's items (rules 三.5).
BUREAU_WIDE_ROLES = frozenset({Role.DISPATCHER, Role.DEPUTY_DIRECTOR, Role.BUREAU_HEAD, Role.ARCHIVIST, Role.AUDITOR})


class Staff(AbstractUser):
    full_name = models.CharField("姓名", max_length=40, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="staff")
    roles = models.JSONField("角色", default=list, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    # Set when the password is known to someone else (the demo loader's shared password, one an administrator
    # typed in); outside demo mode the user must choose a new one before doing anything (issue 8: accounts).
    must_change_password = models.BooleanField("须修改密码", default=False,
                                               help_text="初始密码或管理员重置的密码：登录后须先修改密码。")

    class Meta:
        verbose_name = verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return self.full_name or self.username

    def has_role(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)

    @property
    def sees_whole_bureau(self) -> bool:
        return any(r in BUREAU_WIDE_ROLES for r in self.roles)

    @property
    def role_names(self) -> list[str]:
        labels = dict(Role.choices)
        return [labels.get(r, r) for r in self.roles]

    def in_role_group(self, group: str) -> bool:
        if group == "admin" and self.is_superuser:
            return True
        return any(r in TOTP_ROLE_GROUPS.get(group, ()) for r in self.roles)

    @property
    def may_use_totp(self) -> bool:
        return any(self.in_role_group(g) for g in TOTP_ROLE_GROUPS)

    @property
    def password_change_pending(self) -> bool:
        """Outside demo mode a known password must be changed first; in demo mode the demo accounts keep theirs.
        An ODR business's account is an outside user's: its first password, shown once to 消保股, is changed
        before anything else even in demo mode (issue 22)."""
        if not self.must_change_password:
            return False
        return not settings.XIAOBAO_DEMO_MODE or self.is_business

    @property
    def is_business(self) -> bool:
        """An ODR business's own account (xiaobao.odr): an outside user who reaches only its own pages."""
        return Role.BUSINESS in self.roles


class ApiToken(models.Model):
    """A bearer token for API v1. Only its SHA-256 is stored."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.staff_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, staff: Staff) -> str:
        raw = secrets.token_urlsafe(32)
        cls.objects.create(
            staff=staff,
            digest=cls.hash(raw),
            expires_at=timezone.now() + timedelta(hours=settings.XIAOBAO_TOKEN_HOURS),
        )
        return raw

    @classmethod
    def staff_for(cls, raw: str) -> Staff | None:
        token = (
            cls.objects.select_related("staff", "staff__unit")
            .filter(digest=cls.hash(raw), expires_at__gt=timezone.now(), staff__is_active=True)
            .first()
        )
        if token is None or token.staff.password_change_pending:
            # A token issued before an administrator reset the password (or in demo mode) stops working.
            return None
        return token.staff


class LoginAttempt(models.Model):
    """Login attempts, for throttling; the address is kept only as a keyed hash."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=32, db_index=True)
    success = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录尝试"

    def __str__(self) -> str:
        return f"{self.username} {'成功' if self.success else '失败'} {self.at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """A TOTP second factor (RFC 6238). The secret is sealed (xiaobao.units.totp.seal) and never shown again
    once the enrolment is confirmed; `last_step` is the time step of the last code accepted (no replay)."""

    staff = models.OneToOneField(Staff, on_delete=models.CASCADE, related_name="totp_device")
    sealed_secret = models.CharField(max_length=200, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True, editable=False)
    last_step = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "两步验证"

    def __str__(self) -> str:
        return f"{self.staff_id} {'已启用' if self.confirmed_at else '待确认'}"
