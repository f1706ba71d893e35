from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from .models import Answer


class AnswerForm(forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["question", "answer", "keywords", "basis", "active"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 5})}


class StandardAnswerSearch(forms.TextInput):
    """A search box that lists matching standard answers below itself (htmx); each result replaces the
    `target` textarea of the same form with the standard answer's text."""

    def __init__(self, target: str = "answer"):
        super().__init__(attrs={"type": "search", "autocomplete": "off", "placeholder": "输入问题的关键词，如 七日无理由 运费"})
        self.target = target

    def render(self, name, value, attrs=None, renderer=None):
        results = f"kb-results-{name}"
        attrs = {**(attrs or {}), "hx-get": reverse("knowledge:search"), "hx-target": f"#{results}",
                 "hx-trigger": "input changed delay:300ms, search", "hx-vals": f'{{"insert": "{self.target}"}}',
                 "aria-controls": results}
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<div id="{}" class="kb-results" aria-live="polite"></div>', box, results)
