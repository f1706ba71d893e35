"""Forms of the staff pages. They collect input; the services decide what is valid."""

from __future__ import annotations

from django import forms
from django.conf import settings

from xiaobao.cases.models import Case, Channel, Kind, Tier
from xiaobao.clocks.models import PausePayer, PauseReason
from xiaobao.handling.services import NOTICE_CLOCKS
from xiaobao.knowledge.forms import StandardAnswerSearch
from xiaobao.mediation.models import Entrustment, MediationSession, Purpose, Remedy
from xiaobao.mediation.purpose import DISPATCH_CHANNELS
from xiaobao.odr.settling import matching_businesses
from xiaobao.routing.suggest import suggest
from xiaobao.rules.models import Category
from xiaobao.units.models import Staff, Unit

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Kind.choices, initial=Kind.COMPLAINT, widget=forms.RadioSelect)
    # 12345 work orders come in through the hotline bridge (xiaobao.hotline), not this form.
    channel = forms.ChoiceField(label="来源渠道", choices=[c for c in Channel.choices if c[0] != Channel.HOTLINE],
                                initial=Channel.PHONE)
    received_at = forms.DateTimeField(label="接收时间", required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      help_text="留空即为现在")
    external_id = forms.CharField(label="外部编号", required=False, help_text="如 12315 平台编号")
    complainant_name = forms.CharField(label="投诉举报人姓名", required=False)
    complainant_phone = forms.CharField(label="联系电话", required=False)
    complainant_address = forms.CharField(label="地址", required=False)
    complainant_id_type = forms.CharField(label="证件类型", required=False, initial="居民身份证")
    complainant_id_number = forms.CharField(label="证件号码", required=False)
    complainant_anonymous = forms.BooleanField(label="匿名（仅举报）", required=False)
    complainant_wants_reply = forms.BooleanField(label="要求回复", required=False, initial=True)
    # 送达地址确认 (SAMR-2026): consent to electronic delivery and the electronic addresses confirmed.
    complainant_e_delivery_consent = forms.BooleanField(label="同意电子送达（短信、电子邮件、互联网）", required=False)
    complainant_e_delivery_phone = forms.CharField(label="接收短信的手机号码", required=False,
                                                   help_text="留空即为联系电话（须为手机号码）")
    complainant_e_delivery_email = forms.CharField(label="接收文书的电子邮箱", required=False)
    complainant_wants_reward = forms.BooleanField(label="要求举报奖励（仅举报）", required=False)
    complainant_reward_code = forms.CharField(label="奖励身份代码（匿名举报要求奖励时）", required=False, max_length=40)
    complainant_reward_password = forms.CharField(label="奖励密码（由举报人设定）", required=False, max_length=128,
                                                  widget=forms.PasswordInput(render_value=False))
    respondent_name = forms.CharField(label="被投诉（举报）人名称", required=False)
    respondent_address = forms.CharField(label="经营地址", required=False)
    respondent_phone = forms.CharField(label="联系电话", required=False)
    respondent_credit_code = forms.CharField(label="统一社会信用代码", required=False)
    facts = forms.CharField(label="事实与理由 / 咨询问题", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    demand = forms.CharField(label="诉求", required=False, widget=TEXTAREA)
    amount = forms.CharField(label="涉案金额（元）", required=False)
    category = forms.ChoiceField(label="类别", required=False)
    tier = forms.ChoiceField(label="等级", choices=Tier.choices, initial=Tier.GENERAL)
    consent_disclosure = forms.BooleanField(label="同意公示投诉信息", required=False)
    consent_entrusted_mediation = forms.BooleanField(label="同意委托消协等调解组织调解", required=False)
    agent_name = forms.CharField(label="代理人姓名（代为投诉时）", required=False)
    agent_phone = forms.CharField(label="代理人电话", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c.code, c.name) for c in Category.objects.all()]

    def to_payload(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"], "channel": d["channel"], "received_at": d.get("received_at"),
            "external_id": d.get("external_id"),
            "complainant": {k: d.get(f"complainant_{k}") for k in
                            ("name", "phone", "address", "id_type", "id_number", "anonymous", "wants_reply",
                             "e_delivery_consent", "e_delivery_phone", "e_delivery_email",
                             "wants_reward", "reward_code", "reward_password")},
            "respondent": {k: d.get(f"respondent_{k}") for k in ("name", "address", "phone", "credit_code")},
            "facts": d.get("facts"), "demand": d.get("demand"), "amount": d.get("amount"),
            "category": d.get("category"), "tier": d.get("tier"),
            "consent_disclosure": d.get("consent_disclosure"),
            "consent_entrusted_mediation": d.get("consent_entrusted_mediation"),
            "agent": {"name": d.get("agent_name"), "phone": d.get("agent_phone")},
        }

    @staticmethod
    def field_for(api_field: str) -> str | None:
        name = api_field.replace(".", "_")
        return name if name in RegisterForm.base_fields else None


def _categories():
    return [(c.code, c.name) for c in Category.objects.all()]


def _handling_units():
    return [(u.code, u.name) for u in Unit.objects.filter(active=True) if u.handles_items]


def action_form(action: str, case: Case, data=None) -> forms.Form:
    """The form of one action, with the choices that fit this item (its rule set's grounds, …)."""
    fields: dict[str, forms.Field] = {}
    if action == "assign":
        fields["unit"] = forms.ChoiceField(label="承办单位", choices=[("", "—"), *_handling_units()])
        # The clerk confirms the category: a food or drug safety complaint needs the deputy director (规则 二.1（2）).
        fields["category"] = forms.ChoiceField(
            label="类别（投诉须确认；食品药品安全投诉报分管局长审批）", required=False, initial=case.category,
            choices=[("", "—"), *_categories()])
        fields["note"] = forms.CharField(label="分派意见", required=False, widget=TEXTAREA)
    elif action in ("approve", "submit_for_triage", "accept", "begin_verification", "archive", "keep"):
        fields["note"] = forms.CharField(label="意见", required=False, widget=TEXTAREA)
    elif action == "reject_approval":
        fields["note"] = forms.CharField(label="退回意见", widget=TEXTAREA)
    elif action == "return":
        fields["reason"] = forms.CharField(label="退回理由", widget=TEXTAREA)
    elif action == "not_accept":
        fields["ground"] = forms.ChoiceField(label="不予受理理由", choices=_grounds(case, "not_accepted"))
        fields["reason"] = forms.CharField(label="说明", required=False, widget=TEXTAREA)
    elif action == "refer_elsewhere":
        fields["authority"] = forms.CharField(label="应告知的主管部门")
        fields["reason"] = forms.CharField(label="说明", required=False, widget=TEXTAREA)
    elif action == "pause":
        fields["reason"] = forms.ChoiceField(
            label="中止事由", choices=[(c, label) for c, label in PauseReason.choices if c != "jurisdiction"])
        fields["payer"] = forms.ChoiceField(label="检测鉴定费用承担", required=False,
                                            choices=[("", "—"), *PausePayer.choices])
        fields["note"] = forms.CharField(label="说明", required=False, widget=TEXTAREA)
    elif action == "change_tier":
        fields["tier"] = forms.ChoiceField(label="等级", choices=Tier.choices, initial=case.tier)
        fields["note"] = forms.CharField(label="说明", required=False, widget=TEXTAREA)
    elif action == "mediate":
        fields["result"] = forms.ChoiceField(label="调解结果", choices=[
            ("agreed", "调解成功"), ("terminated", "终止调解"), ("withdrawn", "投诉人撤回")])
        fields["amount_recovered"] = forms.CharField(label="挽回经济损失（元）", required=False)
        fields["remedies"] = forms.MultipleChoiceField(label="约定事项", required=False, choices=Remedy.choices,
                                                       widget=forms.CheckboxSelectMultiple)
        fields["agreement"] = forms.CharField(label="调解协议内容", required=False, widget=TEXTAREA)
        fields["ground"] = forms.ChoiceField(label="终止调解理由", required=False,
                                             choices=[("", "—"), *_grounds(case, "mediation_terminated")])
        fields["reason"] = forms.CharField(label="说明", required=False, widget=TEXTAREA)
    elif action == "file":
        fields["penalty_case_number"] = forms.CharField(label="立案编号", required=False)
        fields["note"] = forms.CharField(label="意见", required=False, widget=TEXTAREA)
    elif action == "decline_filing":
        fields["reason"] = forms.CharField(label="不予立案理由", widget=TEXTAREA)
        fields["record"] = forms.CharField(label="核查情况书面记录", widget=forms.Textarea(attrs={"rows": 4}),
                                           help_text="不予立案的相关情况作书面记录留存（规则 二.2）")
    elif action == "send_notice":
        waiting = [(c.name, c.get_name_display()) for c in case.clocks.filter(met_on__isnull=True)
                   if c.name in NOTICE_CLOCKS]
        fields["notice"] = forms.ChoiceField(label="告知事项", required=False,
                                             choices=[("", "全部待告知事项"), *waiting])
        fields["channel"] = forms.ChoiceField(label="告知方式", choices=[
            ("phone", "电话"), ("sms", "短信"), ("email", "电子邮件"), ("letter", "信函"), ("internet", "互联网")])
        fields["content"] = forms.CharField(label="告知内容", widget=TEXTAREA)
    elif action == "answer":
        fields["kb_q"] = forms.CharField(label="插入标准答复（搜索咨询知识库）", required=False,
                                         widget=StandardAnswerSearch(target="answer"))
        fields["answer"] = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 4}))
    elif action == "reply":
        fields["channel"] = forms.ChoiceField(label="回复方式", choices=[
            ("phone", "电话"), ("sms", "短信"), ("email", "电子邮件"), ("letter", "信函"), ("internet", "互联网")])
        fields["content"] = forms.CharField(label="回复内容", widget=TEXTAREA)
    elif action == "sign":
        fields["note"] = forms.CharField(label="说明", required=False, widget=TEXTAREA)
    elif action == "record_contact":
        fields["with_whom"] = forms.ChoiceField(label="联系对象", choices=[("complainant", "投诉举报人"),
                                                                       ("respondent", "被投诉举报人")])
        fields["channel"] = forms.ChoiceField(label="联系方式", choices=[
            ("phone", "电话"), ("sms", "短信"), ("visit", "面谈"), ("online", "网络"), ("letter", "信函")])
        fields["content"] = forms.CharField(label="联系内容", widget=TEXTAREA)
    elif action == "supervise":
        fields["note"] = forms.CharField(label="督办事项", widget=TEXTAREA)
        fields["due"] = forms.DateField(label="答复期限", required=False, help_text="留空为3个工作日后",
                                        widget=forms.DateInput(attrs={"type": "date"}))
    elif action == "answer_supervision":
        fields["answer"] = forms.CharField(label="督办答复", widget=TEXTAREA)
    elif action == "open_consultation":
        fields["units"] = forms.MultipleChoiceField(label="参加会商的单位", widget=forms.CheckboxSelectMultiple,
                                                    choices=_handling_units())
        fields["topic"] = forms.CharField(label="会商事项", widget=TEXTAREA)
    elif action == "give_opinion":
        fields["opinion"] = forms.CharField(label="本单位意见", widget=TEXTAREA)
    elif action == "conclude_consultation":
        fields["conclusion"] = forms.CharField(label="会商结论", widget=TEXTAREA)
    elif action == "request_visit":
        fields["reason"] = forms.CharField(label="现场处置要求", widget=TEXTAREA)
        fields["scheduled_for"] = forms.DateField(label="计划日期", required=False,
                                                  widget=forms.DateInput(attrs={"type": "date"}))
    elif action == "record_visit":
        fields["officers"] = forms.CharField(label="到场执法人员")
        fields["findings"] = forms.CharField(label="现场情况", widget=TEXTAREA)
    elif action == "follow_up":
        # 回访问效 (issue 20.4): nothing is preselected — the person's answer is recorded, never assumed.
        fields["resolved"] = forms.TypedChoiceField(label="是否解决", coerce=_yes, choices=[
            ("", "—请选择—"), ("true", "已解决"), ("false", "未解决")])
        fields["satisfaction"] = forms.ChoiceField(label="满意度", choices=[
            ("", "—请选择—"), ("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意")])
        fields["channel"] = forms.ChoiceField(label="回访方式", choices=[("phone", "电话"), ("sms", "短信"),
                                                                     ("internet", "互联网")])
        fields["note"] = forms.CharField(label="消费者意见", required=False, widget=TEXTAREA)
    elif action == "request_id":
        fields["due"] = forms.DateField(label="提供身份证明的期限", widget=forms.DateInput(attrs={"type": "date"}))
        fields["note"] = forms.CharField(label="说明", required=False, widget=TEXTAREA)
    elif action == "receive_id":
        fields["note"] = forms.CharField(label="说明", required=False, widget=TEXTAREA)
    elif action == "reopen":
        fields["note"] = forms.CharField(label="重新办理的理由", widget=TEXTAREA)
    elif action in ("split", "open_report"):
        fields["facts"] = forms.CharField(label="举报的违法事实", widget=forms.Textarea(attrs={"rows": 4}))
    elif action == "record_session":
        staff = [(s.username, str(s)) for s in Staff.objects.filter(unit=case.unit_id, is_active=True)]
        fields["mode"] = forms.ChoiceField(label="调解方式", choices=MediationSession.Mode.choices)
        fields["at"] = forms.DateTimeField(label="调解时间", required=False, help_text="留空即为现在",
                                           widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
        fields["place"] = forms.CharField(label="地点或平台", required=False)
        fields["lead"] = forms.ChoiceField(label="主持人", choices=staff)
        fields["staff"] = forms.MultipleChoiceField(label="参加的工作人员", required=False, choices=staff,
                                                    widget=forms.CheckboxSelectMultiple)
        fields["parties"] = forms.CharField(label="参加的当事人", required=False)
        fields["recused"] = forms.ChoiceField(label="申明回避的工作人员", required=False, choices=[("", "—"), *staff])
        fields["recusal_reason"] = forms.CharField(label="回避理由", required=False)
        fields["summary"] = forms.CharField(label="调解情况", required=False, widget=TEXTAREA)
    elif action == "entrust":
        fields["body"] = forms.CharField(label="受托调解组织", initial="曾都区消费者协会")
        fields["consent"] = forms.BooleanField(label="投诉人已同意委托调解", required=False,
                                               initial=bool(case.consent_entrusted_mediation))
        fields["note"] = forms.CharField(label="说明", required=False, widget=TEXTAREA)
    elif action == "entrusted_result":
        fields["result"] = forms.ChoiceField(label="委托调解结果", choices=Entrustment.Result.choices)
        fields["note"] = forms.CharField(label="说明", required=False, widget=TEXTAREA)
    elif action == "record_verification":
        fields["method"] = forms.CharField(label="核查方式", help_text="如 现场检查、调取资料、询问当事人")
        fields["findings"] = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 4}))
    elif action == "upload_penalty_decision":
        fields["attachment"] = forms.ChoiceField(label="处罚决定书（该件的 PDF 附件）", choices=[
            (a.pk, a.name) for a in case.attachments.filter(content_type="application/pdf")])
        fields["number"] = forms.CharField(label="决定书文号", required=False)
    elif action == "archive_penalty_decision":
        fields["note"] = forms.CharField(label="存档说明", required=False, widget=TEXTAREA)
    elif action == "assess_consumer_purpose":  # xiaobao.mediation.purpose (生活消费需要)
        fields["goods"] = forms.CharField(label="商品或服务", required=False, max_length=200,
                                          help_text="如 同一型号的进口奶粉")
        fields["quantity"] = forms.CharField(label="购买数量", help_text="件、份等，正整数")
        fields["purchases"] = forms.CharField(label="购买次数", help_text="同一商品或服务的购买次数")
        fields["period_days"] = forms.CharField(label="期间（日）", help_text="上述购买次数发生在多少日内")
        fields["assessment"] = forms.ChoiceField(label="认定", choices=[("", "—"), *Purpose.choices])
        fields["note"] = forms.CharField(label="认定理由", required=False, widget=TEXTAREA,
                                         help_text="认定以牟利为目的或涉嫌敲诈勒索的须写明；此前投诉件数由系统按投诉人身份"
                                                   "在全局统计（仅计数，查询留痕）")
    elif action == "terminate_and_refer":
        fields["reason"] = forms.CharField(label="具体情况", widget=TEXTAREA,
                                           help_text="写入终止调解决定书和涉嫌违法犯罪案件移送书")
        fields["authority"] = forms.CharField(label="移送的公安机关", required=False,
                                              initial=settings.XIAOBAO_POLICE_AUTHORITY)
    elif action == "dispatch_referral":
        fields["channel"] = forms.ChoiceField(label="移送方式", choices=[("", "—"), *DISPATCH_CHANNELS.items()])
        fields["address"] = forms.CharField(label="送达地址", required=False)
        fields["proof"] = forms.CharField(label="送达凭证", help_text="接收人签收、回执编号或邮件编号")
        fields["occurred_at"] = forms.DateTimeField(label="送达时间", required=False, help_text="留空即为现在",
                                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    elif action == "merge":  # xiaobao.merging (并案)
        fields["into"] = forms.CharField(label="主件编号", help_text="并入哪一件，如 TS-2026-000123")
        fields["reason"] = forms.CharField(label="并案理由", widget=TEXTAREA)
        if case.kind == Kind.COMPLAINT:
            fields["consent"] = forms.BooleanField(label="投诉人已同意合并处理（不同消费者的投诉须经同意）",
                                                   required=False)
    elif action == "unmerge":
        fields["reason"] = forms.CharField(label="撤销并案的理由", widget=TEXTAREA)
    elif action == "repeat_report":
        fields["of"] = forms.CharField(label="所重复的已办结举报编号", help_text="如 JB-2026-000045")
        fields["reason"] = forms.CharField(label="说明", widget=TEXTAREA)
    elif action == "forward_to_business":  # xiaobao.odr (先行和解): only the ODR business the respondent is
        fields["business"] = forms.ChoiceField(label="ODR企业", choices=[
            ("", "—"), *((b.pk, f"{b.name}（{b.credit_code}）") for b in matching_businesses(case))])
        fields["consent"] = forms.BooleanField(label="消费者已同意先行和解（由企业在10个工作日内协商处理）",
                                               required=False)
        fields["consent_note"] = forms.CharField(label="同意的记录", required=False, widget=TEXTAREA,
                                                 help_text="如 2026-09-28 电话确认，消费者同意由企业先行和解")
    elif action == "escalate":
        fields["reason"] = forms.CharField(label="消费者不同意先行和解的情况", widget=TEXTAREA)
    elif action in HOTLINE_FORMS:
        fields.update(HOTLINE_FORMS[action]())
    if action in OCCURRED_AT_FIELDS:
        fields["occurred_at"] = occurred_at_field(OCCURRED_AT_FIELDS[action])
    if action == "reply" and case.channel == Channel.HOTLINE:
        fields["public_reply"] = forms.CharField(label="公开答复内容（12345工单，向社会公开，不写个人信息）",
                                                 widget=TEXTAREA)
    if action == "assign":
        _offer_suggestions(fields, case)
    form_class = type(f"{action.title()}Form", (forms.Form,), dict(fields))
    return form_class(data=data, prefix=None)


# The forms of the records of facts (cases.services.RECORD_ACTIONS) ask when it happened, blank for now;
# record_session asks it as its 调解时间 (`at`). Decisions are timed by the server.
OCCURRED_AT_FIELDS = {
    "record_contact": "联系的实际时间，留空即为现在",
    "pause": "计时自该日起中止，留空即为现在；不能早于办理记录的上一条",
    "resume": "计时自该日起恢复，留空即为现在；不能早于办理记录的上一条",
    "record_visit": "到场的实际时间，留空即为现在",
    "follow_up": "回访的实际时间，留空即为现在",
}


def occurred_at_field(help_text: str) -> forms.DateTimeField:
    return forms.DateTimeField(label="发生时间", required=False, help_text=help_text,
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


def _yes(value: str) -> bool:
    return value == "true"


# The 12345 hotline's own steps (xiaobao.hotline).
HOTLINE_FORMS = {
    "hotline_return": lambda: {"reason": forms.CharField(label="退单理由", widget=TEXTAREA,
                                                         help_text="如：不属市场监管部门职责")},
    "request_extension": lambda: {
        "until": forms.DateField(label="申请延期至", widget=forms.DateInput(attrs={"type": "date"})),
        "reason": forms.CharField(label="延期理由", widget=TEXTAREA)},
    "extension_result": lambda: {"approved": forms.TypedChoiceField(
        label="12345的答复", choices=[("true", "同意延期"), ("false", "不同意延期")], coerce=_yes)},
    "hotline_visit": lambda: {
        "resolved": forms.TypedChoiceField(label="是否解决", choices=[("", "—"), ("true", "已解决"),
                                                                   ("false", "未解决")], coerce=_yes),
        "satisfaction": forms.ChoiceField(label="满意度", choices=[
            ("", "—"), ("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意")]),
        "comment": forms.CharField(label="回访意见", required=False, widget=TEXTAREA)},
}


def _offer_suggestions(fields: dict[str, forms.Field], case: Case) -> None:
    """The 分派 form starts where the triage queue does: the suggested units first, the best one chosen, the
    reasons beside it, and the category the suggestion read from the facts chosen for the clerk to confirm."""
    suggestions = suggest(case)
    names = dict(_handling_units())
    suggested = [(s.unit, names[s.unit]) for s in suggestions if s.unit in names]
    if not suggested:
        return
    others = [(code, name) for code, name in names.items() if code not in dict(suggested)]
    unit = fields["unit"]
    unit.choices = [("", "—"), ("建议", suggested), ("其他单位", others)]
    unit.initial = suggested[0][0]
    unit.help_text = "；".join(f"{names[s.unit]}：{s.reason}" for s in suggestions if s.unit in names)
    if "category" in fields and suggestions[0].category and not case.category:
        fields["category"].initial = suggestions[0].category  # the item's own category stays chosen


def _grounds(case: Case, outcome: str) -> list[tuple[str, str]]:
    return [(g["code"], f"{g['text']}（{g['basis']}）") for g in case.rule_set.grounds(outcome)]
