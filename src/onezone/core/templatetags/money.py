"""Money and figures in templates, through the one formatter (``onezone.core.money``).

``{% load money %}`` then ``{{ value|amount }}`` (亿元/万元/元 by size), ``{{ value|wan }}``,
``{{ value|yi }}``, ``{{ value|number:2 }}`` (thousands separators, never an exponent) and
``{{ value|yuan }}`` (元 to the fen with separators, for a company's books).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from onezone.core import money

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def amount(value) -> str:
    """Yuan as 亿元 from one hundred million, 万元 from ten thousand, else 元."""
    return money.format_amount(_decimal(value))


@register.filter
def wan(value) -> str:
    """Yuan in 万元 with two decimals: ``51000000`` → ``5,100.00万元``."""
    return money.format_wan(_decimal(value))


@register.filter
def yi(value) -> str:
    """Yuan in 亿元 with two decimals."""
    return money.format_yi(_decimal(value))


@register.filter
def number(value, places=None) -> str:
    """A figure with thousands separators and no exponent; ``places`` decimals when given."""
    return money.format_number(_decimal(value), None if places in (None, "") else int(places))


@register.filter
def yuan(value) -> str:
    """Yuan to the fen with thousands separators and the unit: ``25000`` → ``25,000.00元``."""
    found = _decimal(value)
    return "—" if found is None else f"{money.format_number(found, 2)}元"
