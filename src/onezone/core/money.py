"""Money is Decimal yuan; officials read it in 万元 and 亿元."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def yuan(value: Decimal | int | str) -> Decimal:
    """Exactly ``value`` yuan, rounded half-up to the fen."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def format_wan(value: Decimal | int | None, places: int = 2) -> str:
    """``Decimal("51000000")`` → ``"5,100.00万元"``."""
    if value is None:
        return "—"
    q = Decimal(1).scaleb(-places)
    return f"{(Decimal(value) / WAN).quantize(q, rounding=ROUND_HALF_UP):,}万元"


def format_yi(value: Decimal | int | None, places: int = 2) -> str:
    """``Decimal("5100000000")`` → ``"51.00亿元"``."""
    if value is None:
        return "—"
    q = Decimal(1).scaleb(-places)
    return f"{(Decimal(value) / YI).quantize(q, rounding=ROUND_HALF_UP):,}亿元"


def format_number(value: Decimal | int | None, places: int | None = None) -> str:
    """A figure as officials write it: thousands separators and never an exponent.

    ``Decimal("2E+6")`` → ``"2,000,000"``; ``Decimal("0.50")`` → ``"0.5"``; with ``places``, that many
    decimals rounded half-up (``format_number(Decimal("3"), 2)`` → ``"3.00"``). ``None`` → ``"—"``.
    """
    if value is None:
        return "—"
    value = Decimal(value)
    if not value.is_finite():
        return "—"
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    else:
        value = value.normalize()
    if value.is_zero():
        value = abs(value)
    return f"{value:,f}"


def format_amount(value: Decimal | int | None) -> str:
    """亿元 from one hundred million up, 万元 from ten thousand, else 元."""
    if value is None:
        return "—"
    value = Decimal(value)
    if abs(value) >= YI:
        return format_yi(value)
    if abs(value) >= WAN:
        return format_wan(value)
    return f"{yuan(value):,}元"


def format_percent(value: Decimal | int | None, places: int = 1) -> str:
    """A rate already in percent: ``Decimal("66.666")`` → ``"66.7%"``; ``None`` → ``"—"``."""
    if value is None:
        return "—"
    return f"{format_number(value, places)}%"
