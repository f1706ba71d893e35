"""The forms of the register's pages; the rules live in xiaobao.odr.registry, which names the bad fields."""

from __future__ import annotations

from django import forms

from .models import CONDITIONS, Commitment, Origin


class BusinessForm(forms.Form):
    name = forms.CharField(label="企业名称", required=False)
    credit_code = forms.CharField(label="统一社会信用代码", required=False,
                                  help_text="18位，营业执照上的代码；系统核对校验位。")
    address = forms.CharField(label="地址", required=False)
    contact = forms.CharField(label="纠纷处理联系人", required=False)
    phone = forms.CharField(label="纠纷处理联系电话", required=False)
    origin = forms.ChoiceField(label="加入方式", choices=Origin.choices, initial=Origin.RECOMMENDED,
                               widget=forms.RadioSelect)
    commitments = forms.MultipleChoiceField(label="承诺", choices=Commitment.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One checkbox per joining condition (odr.models.CONDITIONS), named cond_<key>.
        for key, label in CONDITIONS.items():
            self.fields[f"cond_{key}"] = forms.BooleanField(label=label, required=False)

    @property
    def condition_fields(self):
        return [self[f"cond_{key}"] for key in CONDITIONS]

    def to_data(self) -> dict:
        d = self.cleaned_data
        return {"name": d["name"], "credit_code": d["credit_code"], "address": d["address"],
                "contact": d["contact"], "phone": d["phone"], "origin": d["origin"],
                "commitments": list(d["commitments"]),
                "conditions": {key: bool(d[f"cond_{key}"]) for key in CONDITIONS}}

    def field_for(self, name: str) -> str | None:
        """The form field of a service error's field ("conditions.place" → cond_place)."""
        if name.startswith("conditions."):
            name = f"cond_{name.removeprefix('conditions.')}"
        return name if name in self.fields else None


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", required=False, widget=forms.Textarea(attrs={"rows": 2}))
