"""Forms of the reward panel. They collect input; rewards.services decides what is valid."""

from __future__ import annotations

import re

from django import forms

from .rules import RULES
from .services import PAYMENT_METHODS

TEXTAREA = forms.Textarea(attrs={"rows": 2})


class AssessForm(forms.Form):
    level = forms.TypedChoiceField(label="奖励等级", coerce=int, choices=[("", "—")] + [
        (lv.level, f"{lv.label}（罚没款的{lv.rate * 100:.0f}%，不足{lv.floor:.0f}元的按{lv.floor:.0f}元）")
        for lv in RULES.levels.values()], required=False, empty_value=None)
    fines = forms.CharField(label="罚没款（元）", required=False, help_text="罚款与没收违法所得、非法财物的合计，如 12000.00")
    in_scope = forms.BooleanField(label=RULES.conditions["in_scope"], required=False)
    key_evidence = forms.BooleanField(label=RULES.conditions["key_evidence"], required=False)
    not_known = forms.BooleanField(label=RULES.conditions["not_known"], required=False)
    penalised = forms.BooleanField(label=RULES.conditions["penalised"], required=False)
    natural_person = forms.BooleanField(label=RULES.reporter_checks["natural_person"], required=False)
    not_staff = forms.BooleanField(label=RULES.reporter_checks["not_staff"], required=False)
    not_infringed_party = forms.BooleanField(label=RULES.reporter_checks["not_infringed_party"], required=False)
    not_violator = forms.BooleanField(label=RULES.reporter_checks["not_violator"], required=False)
    evidence = forms.CharField(label="认定依据与证据", required=False, widget=TEXTAREA)
    joint_reporters = forms.CharField(
        label="联名举报的其他署名人（可选）", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="一份举报由多人署名的，第一署名人为举报人，其他署名人每行一位：姓名 证件号码。各署名人共享一份奖励，"
                  "按人平均分配到分，余下的分依次计入第一署名人起的各位；上面勾选的举报人资格核查对每位署名人均适用。")

    def clean_joint_reporters(self) -> list[dict]:
        rows = []
        for n, line in enumerate(self.cleaned_data.get("joint_reporters", "").splitlines(), 1):
            parts = [p for p in re.split(r"[\s,，、；;]+", line) if p]
            if not parts:
                continue
            if len(parts) > 2:
                raise forms.ValidationError(f"第 {n} 行应为“姓名 证件号码”两项，以空格分隔。")
            rows.append({"name": parts[0], "id_number": parts[1] if len(parts) > 1 else ""})
        return rows

    def to_body(self) -> dict:
        d = self.cleaned_data
        checks = {k: bool(d.get(k)) for k in RULES.reporter_checks}
        return {"level": d.get("level"), "fines": d.get("fines"), "evidence": d.get("evidence"),
                "conditions": {k: bool(d.get(k)) for k in RULES.conditions}, "reporter": checks,
                "joint_reporters": [{**row, **checks} for row in d.get("joint_reporters") or []]}

    def field_for(self, api_field: str) -> str | None:
        if api_field.startswith("joint_reporters"):
            return "joint_reporters"
        name = api_field.removeprefix("conditions.").removeprefix("reporter.")
        return name if name in self.fields else None


class NotifyForm(forms.Form):
    channel = forms.ChoiceField(label="告知方式", choices=[("phone", "电话"), ("sms", "短信"), ("letter", "信函"),
                                                        ("internet", "互联网"), ("visit", "当面")])
    note = forms.CharField(label="说明", required=False, widget=TEXTAREA)


class ApplyForm(forms.Form):
    payee_name = forms.CharField(label="领取人姓名（举报人本人）", required=False, max_length=120)
    payee_id_number = forms.CharField(label="领取人身份证件号码", required=False, max_length=40)
    reward_code = forms.CharField(label="奖励身份代码（匿名举报人出示）", required=False, max_length=40)
    reward_password = forms.CharField(label="奖励密码（匿名举报人输入）", required=False, max_length=128,
                                      widget=forms.PasswordInput(render_value=False))


class ApproveForm(forms.Form):
    note = forms.CharField(label="审批意见", required=False, widget=TEXTAREA)
    finance = forms.CharField(label="财政部门意见（50万元以上）", required=False, max_length=250)


class PayForm(forms.Form):
    method = forms.ChoiceField(label="发放方式（非现金）", choices=list(PAYMENT_METHODS.items()))
    account_bank = forms.CharField(label="开户银行", required=False, max_length=120)
    account_number = forms.CharField(label="账号", required=False, max_length=60)
    account_name = forms.CharField(label="户名（须为举报人本人）", required=False, max_length=120)
    reference = forms.CharField(label="转账凭证号", required=False, max_length=80)

    def __init__(self, *args, shares: list[dict] | None = None, **kwargs):
        """A joint reward: one account per other signer, after the first signer's (the fields above)."""
        super().__init__(*args, **kwargs)
        self.others = [s["name"] for s in (shares or [])[1:]]
        if self.others:
            self.fields["account_name"].label = f"户名（须为第一署名人本人，{shares[0]['amount']} 元）"
        for i, share in enumerate((shares or [])[1:]):
            who = f"署名人{share['name']}（{share['amount']} 元）"
            self.fields[f"joint_{i}_account_bank"] = forms.CharField(label=f"{who}：开户银行", required=False, max_length=120)
            self.fields[f"joint_{i}_account_number"] = forms.CharField(label=f"{who}：账号", required=False, max_length=60)
            self.fields[f"joint_{i}_account_name"] = forms.CharField(label=f"{who}：户名（须为本人）", required=False,
                                                                     max_length=120)
            self.fields[f"joint_{i}_reference"] = forms.CharField(label=f"{who}：转账凭证号", required=False, max_length=80)

    def to_body(self) -> dict:
        d = self.cleaned_data
        body = {k: d.get(k) for k in ("method", "account_bank", "account_number", "account_name", "reference")
                if d.get(k) not in (None, "")}
        if self.others:
            body["joint_accounts"] = [{f: d.get(f"joint_{i}_{f}") or "" for f in
                                       ("account_bank", "account_number", "account_name", "reference")}
                                      for i in range(len(self.others))]
        return body

    def field_for(self, api_field: str) -> str | None:
        if api_field.startswith("joint_accounts."):
            _, i, f = [*api_field.split("."), "", ""][:3]
            name = f"joint_{i}_{f}"
            return name if name in self.fields else None
        return api_field if api_field in self.fields else None


class LapseForm(forms.Form):
    pass


FORMS = {"assess": AssessForm, "notify": NotifyForm, "apply": ApplyForm, "approve": ApproveForm, "pay": PayForm,
         "lapse": LapseForm}
LABELS = {"assess": "认定举报奖励", "notify": "告知举报人", "apply": "受理奖励申请", "approve": "审批",
          "pay": "发放奖励", "lapse": "记录逾期未领取"}
