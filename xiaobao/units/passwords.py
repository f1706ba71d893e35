"""Password rules (issue 8: accounts): Django's validators, with the minimum-length message in Chinese (Django
5.2's zh_Hans catalogue lacks the reworded English message, so users would read it in English)."""

from __future__ import annotations

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码长度太短。密码必须包含至少 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码必须包含至少 {self.min_length} 个字符。"
