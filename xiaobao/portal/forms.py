"""The public forms, one per kind, with only the fields that kind needs. They collect input; the
registration decides what is missing, so every missing field is named at once."""

from __future__ import annotations

from django import forms

from xiaobao.cases.models import Kind

TEXTAREA = forms.Textarea(attrs={"rows": 5})
ID_TYPES = [("居民身份证", "居民身份证"), ("护照", "护照"), ("港澳居民来往内地通行证", "港澳居民来往内地通行证"),
            ("台湾居民来往大陆通行证", "台湾居民来往大陆通行证"), ("其他", "其他")]


def _text(label: str, *, max_length: int = 120, help_text: str = "", widget=None) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text, widget=widget)


class PublicForm(forms.Form):
    kind: str = ""
    # Shown to people; hidden from them by the stylesheet. Scripts that fill every field give themselves away.
    website = forms.CharField(label="网址（请勿填写）", required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    answer = forms.CharField(label="验证题", required=False, max_length=8,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def field_for(self, api_field: str) -> str | None:
        name = api_field.replace(".", "_")
        return name if name in self.fields else None

    def to_payload(self) -> dict:
        d = self.cleaned_data
        complainant = {k: d[f"complainant_{k}"] for k in
                       ("name", "phone", "address", "id_type", "id_number", "anonymous", "wants_reply",
                        "e_delivery_consent", "e_delivery_phone", "e_delivery_email",
                        "wants_reward", "reward_code", "reward_password")
                       if f"complainant_{k}" in d}
        respondent = {k: d[f"respondent_{k}"] for k in ("name", "address", "phone") if f"respondent_{k}" in d}
        payload = {"kind": self.kind, "complainant": complainant, "facts": d.get("facts"),
                   "demand": d.get("demand"), "amount": d.get("amount")}
        if respondent:
            payload["respondent"] = respondent
        return payload


class ComplaintForm(PublicForm):
    kind = Kind.COMPLAINT
    complainant_name = _text("您的姓名")
    complainant_phone = _text("联系电话", max_length=40)
    complainant_address = _text("联系地址", max_length=250)
    complainant_id_type = forms.ChoiceField(label="证件类型", choices=ID_TYPES, required=False)
    complainant_id_number = _text("证件号码", max_length=40)
    complainant_wants_reply = forms.BooleanField(label="需要办理结果答复", required=False, initial=True)
    complainant_e_delivery_consent = forms.BooleanField(
        label="同意以短信、电子邮件或网上方式接收文书（电子送达）", required=False,
        help_text="同意后，受理通知书等文书可发送到下面的手机号码或电子邮箱")
    complainant_e_delivery_phone = _text("接收短信的手机号码", max_length=40, help_text="留空即为上面的联系电话")
    complainant_e_delivery_email = _text("接收文书的电子邮箱", max_length=254)
    respondent_name = _text("被投诉经营者名称", help_text="店名或公司名称，网购请填平台内经营者名称")
    respondent_address = _text("经营者地址", max_length=250, help_text="实际经营地址；网络经营者填住所地")
    respondent_phone = _text("经营者电话（如知道）", max_length=40)
    facts = _text("投诉事实", max_length=5000, widget=TEXTAREA,
                  help_text="购买或接受服务的时间、地点、商品或服务名称、金额、发生的问题和已有的证据")
    demand = _text("诉求", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                   help_text="如修理、更换、退货、退还货款、赔偿损失")
    amount = _text("涉及金额（元）", max_length=20)
    consent_disclosure = forms.BooleanField(label="同意公示本投诉信息（不含个人信息）", required=False)
    consent_mediation = forms.BooleanField(label="同意委托有关组织进行调解", required=False)


class ReportForm(PublicForm):
    kind = Kind.REPORT
    complainant_anonymous = forms.BooleanField(
        label="匿名举报", required=False,
        help_text="匿名时不保存您的姓名和联系方式，也无法电话回复；可凭查询码查看办理进度")
    complainant_name = _text("您的姓名")
    complainant_phone = _text("联系电话", max_length=40)
    complainant_address = _text("联系地址", max_length=250)
    complainant_wants_reply = forms.BooleanField(label="需要处理结果告知", required=False, initial=True)
    complainant_e_delivery_consent = forms.BooleanField(
        label="同意以短信、电子邮件或网上方式接收文书（电子送达）", required=False,
        help_text="同意后，受理通知书等文书可发送到下面的手机号码或电子邮箱")
    complainant_e_delivery_phone = _text("接收短信的手机号码", max_length=40, help_text="留空即为上面的联系电话")
    complainant_e_delivery_email = _text("接收文书的电子邮箱", max_length=254)
    complainant_wants_reward = forms.BooleanField(
        label="要求举报奖励", required=False,
        help_text="依照《市场监管领域重大违法行为举报奖励暂行办法》，符合条件的可获奖励")
    complainant_reward_code = _text("奖励身份代码（匿名举报要求奖励时填写）", max_length=40,
                                    help_text="自己设定、便于记住的代码，日后凭代码和密码证明是您本人")
    complainant_reward_password = forms.CharField(label="奖励密码（匿名举报要求奖励时填写）", required=False,
                                                  max_length=128, widget=forms.PasswordInput(render_value=False))
    respondent_name = _text("被举报经营者名称")
    respondent_address = _text("经营者地址", max_length=250)
    facts = _text("违法线索", max_length=5000, widget=TEXTAREA,
                  help_text="违法行为的时间、地点、具体情况和证据，越具体越便于核查")


class InquiryForm(PublicForm):
    kind = Kind.INQUIRY
    facts = _text("您的问题", max_length=5000, widget=TEXTAREA)
    complainant_name = _text("您的姓名（选填）")
    complainant_phone = _text("联系电话（选填）", max_length=40, help_text="留下电话便于工作人员答复")


FORMS: dict[str, type[PublicForm]] = {Kind.COMPLAINT: ComplaintForm, Kind.REPORT: ReportForm,
                                      Kind.INQUIRY: InquiryForm}


class TrackForm(forms.Form):
    number = forms.CharField(label="编号", max_length=30, help_text="如 TS-2026-000201")
    query_code = forms.CharField(label="查询码", max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"}))
