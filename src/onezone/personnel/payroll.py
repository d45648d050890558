"""Pure rules of pay: the post held on a date, the pay scale on a date, and splitting a pool to the fen.

No Django here: plain dates, Decimals and tuples, so every rule can be tested exhaustively.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from onezone.core.errors import InvalidInput

K = TypeVar("K", bound=Hashable)

FEN = Decimal("0.01")


@dataclass(frozen=True)
class Held:
    """One period a person held a post (an appointment): open while ``end`` is None."""

    post_id: int
    start: dt.date
    end: dt.date | None
    concurrent: bool = False


def held_on(periods: Sequence[Held], on: dt.date) -> Held | None:
    """The post held on ``on``: the principal (not concurrent) one, the latest started if several.

    A concurrent post (兼任) is paid by the body of the principal post, so it is chosen only when the
    person holds nothing else that day.
    """
    current = [p for p in periods if p.start <= on and (p.end is None or p.end >= on)]
    if not current:
        return None
    current.sort(key=lambda p: (not p.concurrent, p.start, p.post_id))
    return current[-1]


def rate_on(rates: Sequence[tuple[dt.date, Decimal]], on: dt.date) -> Decimal | None:
    """The amount in force on ``on``: the one with the latest effective date not after ``on``."""
    effective = [(start, amount) for start, amount in rates if start <= on]
    if not effective:
        return None
    return max(effective, key=lambda r: r[0])[1]


def split_pool(pool: Decimal, shares: Sequence[tuple[K, Decimal]]) -> dict[K, Decimal]:
    """Split ``pool`` yuan in proportion to ``shares`` so the parts add up exactly to ``pool``.

    Largest-remainder method in fen: every part first gets the whole fen of its exact share, then
    the fen left over go one each to the parts with the largest fractional remainders; ties go to the
    part listed first. A zero share gets exactly zero. Each part differs from its exact share by
    less than one fen.
    """
    if pool < 0:
        raise InvalidInput("绩效工资总额不能为负数。")
    if pool != pool.quantize(FEN):
        raise InvalidInput(f"绩效工资总额 {pool} 元应精确到分。")
    keys = [k for k, _ in shares]
    if len(set(keys)) != len(keys):
        raise InvalidInput("分配对象重复，请检查名单。")
    if any(share < 0 for _, share in shares):
        raise InvalidInput("分配系数不能为负数。")
    total_share = sum((Fraction(share) for _, share in shares), Fraction(0))
    if not shares:
        if pool:
            raise InvalidInput("没有可分配绩效工资的人员，无法分配绩效工资总额。")
        return {}
    if total_share == 0:
        if pool:
            raise InvalidInput("所有人员的分配系数均为 0，绩效工资总额无法分配；请检查考核结果或系数。")
        return {k: Decimal("0.00") for k in keys}
    total_fen = int(pool / FEN)
    exact = [Fraction(total_fen) * Fraction(share) / total_share for _, share in shares]
    floors = [int(e) for e in exact]  # exact shares are non-negative, so int() is the floor
    left = total_fen - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return {key: (Decimal(fen) * FEN).quantize(FEN) for key, fen in zip(keys, floors, strict=True)}
