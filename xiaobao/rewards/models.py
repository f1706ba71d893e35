"""举报奖励: one reward record per report, from its assessment to payment or lapse. 工作秘密: read only through
rewards.services, which decides who may see it and audits every read and write (DOMAIN.md, "Report rewards")."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RewardState(models.TextChoices):
    TO_NOTIFY = "to_notify", "待告知举报人"
    NOTIFIED = "notified", "已告知，待申请"
    APPLIED = "applied", "已申请，待审批"
    APPROVED = "approved", "已批准，待发放"
    PAID = "paid", "已发放"
    LAPSED = "lapsed", "逾期未领取（视为放弃）"


class Reward(models.Model):
    # related_name "+": nothing reaches a reward from the item by accident (a serializer, an export).
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="举报件")
    rules_code = models.CharField("奖励规则", max_length=40)
    level = models.PositiveSmallIntegerField("奖励等级", choices=[(1, "一级"), (2, "二级"), (3, "三级")])
    fines = models.DecimalField("罚没款", max_digits=14, decimal_places=2)
    rate = models.DecimalField("比例", max_digits=5, decimal_places=4)
    floor = models.DecimalField("下限", max_digits=14, decimal_places=2)
    amount = models.DecimalField("奖励金额", max_digits=14, decimal_places=2)
    finance_required = models.BooleanField("须会同财政部门确定", default=False)
    large_amount = models.BooleanField("罚没款达到较大数额", default=False)
    conditions = models.JSONField("奖励条件", default=dict)
    evidence = models.TextField("条件依据与证据", blank=True)
    state = models.CharField("状态", max_length=20, choices=RewardState.choices, default=RewardState.TO_NOTIFY)
    closed_on = models.DateField("结案日期")
    notify_due = models.DateField("告知期限")
    notified_on = models.DateField("告知日期", null=True, blank=True)
    notice_channel = models.CharField("告知方式", max_length=20, blank=True)
    collect_due = models.DateField("领取期限", null=True, blank=True)
    applied_on = models.DateField("申请日期", null=True, blank=True)
    payee_name = models.CharField("领取人姓名", max_length=120, blank=True)
    payee_id_number = models.CharField("领取人证件号码", max_length=40, blank=True)
    approval_number = models.CharField("审批表编号", max_length=40, blank=True)
    approvals = models.JSONField("审批", default=list, blank=True)
    finance_note = models.CharField("财政部门意见", max_length=250, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    paid_on = models.DateField("发放日期", null=True, blank=True)
    payment_method = models.CharField("发放方式", max_length=20, blank=True)
    account_bank = models.CharField("开户银行", max_length=120, blank=True)
    account_number = models.CharField("账号", max_length=60, blank=True)
    account_name = models.CharField("户名", max_length=120, blank=True)
    payment_reference = models.CharField("转账凭证号", max_length=80, blank=True)
    payment_number = models.CharField("发放表编号", max_length=40, blank=True)
    lapsed_on = models.DateField("视为放弃日期", null=True, blank=True)
    # 联名举报 (one report signed by several people) share the one reward: one entry per signer, the first signer
    # (the item's complainant) first — name, id_number, amount, the signer's eligibility checks as stated, and
    # account_bank/account_number/account_name/reference once paid. Empty for a single reporter.
    shares = models.JSONField("联名举报人分配", default=list, blank=True)
    # The daily job's warnings about the notice clock (reward_notice), each given once.
    notice_warned_on = models.DateField("告知期限将至已提醒", null=True, blank=True)
    notice_overdue_warned_on = models.DateField("告知期限逾期已通报", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "举报奖励"

    def __str__(self) -> str:
        return f"reward of case {self.case_id}"
