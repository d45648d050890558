"""Display helpers of the investment pages: money in 万元/亿元 and rates in percent."""

from __future__ import annotations

from decimal import Decimal

from django import template

from onezone.core.money import format_amount, format_percent

register = template.Library()


@register.filter
def amount(value: Decimal | None) -> str:
    """Yuan shown as 亿元/万元/元."""
    return format_amount(value)


@register.filter
def percent(value: Decimal | None) -> str:
    """A share (0.74) as ``74.0%``; ``—`` when undefined."""
    return format_percent(None if value is None else Decimal(value) * 100)
