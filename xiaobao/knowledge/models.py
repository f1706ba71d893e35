"""Standard answers to the questions people ask most (rules 一.1(2): 提供法律法规和相关业务的咨询服务)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Answer(models.Model):
    question = models.CharField("问题", max_length=300)
    answer = models.TextField("标准答复")
    keywords = models.CharField("关键词", max_length=300, blank=True, help_text="以空格或逗号分隔")
    basis = models.CharField("依据", max_length=300, blank=True, help_text="法律法规条文，如《消费者权益保护法》第二十五条")
    active = models.BooleanField("启用", default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="维护人")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # jieba tokens of question and keywords, space-separated with a space at each end, so that a token
    # matches as " token " (kept by xiaobao.knowledge.search.index on every save).
    tokens = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["question", "id"]
        verbose_name = verbose_name_plural = "标准答复"

    def __str__(self) -> str:
        return self.question
