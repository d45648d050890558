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
