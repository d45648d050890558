"""Password rule: letters and digits at least (等保三级 口令复杂度)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError("密码必须同时包含字母和数字。", code="password_classes")

    def get_help_text(self) -> str:
        return "密码必须同时包含字母和数字。"
