"""Declared columns of an import: header, type, required, validators.

A column's type is a function of a non-empty cell value that returns the field value or raises
:class:`CellError` with a Chinese message saying what is wrong and how to write it; the reading
(``reading.py``) gives the message its row number and column header. The types here are the ones
every import needs; a domain writes its own (a park by name, a body of the zone) the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

Parse = Callable[[Any], Any]
Validator = Callable[[Any], None]


class CellError(ValueError):
    """A cell's value is wrong; ``message`` says so in Chinese (without row or column: the report adds them)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cell_text(value: Any) -> str:
    """A cell's value as the text a person typed (``12.0`` → ``"12"``), stripped; empty for no value."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _quote(value: Any, limit: int = 30) -> str:
    return f"“{cell_text(value)[:limit]}”"


@dataclass(frozen=True)
class Column:
    """One column: its header (and other headers it may go by), the field it fills, how a cell is read.

    ``required``: the header must be there and no cell may be empty. An empty optional cell gives
    ``default``. ``validators`` run on the parsed value and raise :class:`CellError`. ``show``
    writes a value back as a person would type it (for templates and exports that import again).
    """

    header: str
    key: str
    parse: Parse | None = None
    required: bool = False
    default: Any = None
    aliases: tuple[str, ...] = ()
    validators: tuple[Validator, ...] = ()
    show: Callable[[Any], Any] | None = None

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    def read(self, raw: Any) -> Any:
        """The field value of a cell; raises :class:`CellError`."""
        if not cell_text(raw):
            if self.required:
                raise CellError(f"请填写{self.header}。")
            return self.default() if callable(self.default) else self.default
        value = (self.parse or text())(raw)
        for check in self.validators:
            check(value)
        return value

    def write(self, value: Any) -> Any:
        """The cell value that reads back as ``value``."""
        if self.show is not None:
            return self.show(value)
        return "" if value is None else value


def shown_as(labels: Mapping[str, Any]) -> Callable[[Any], Any]:
    """The ``show`` of a :func:`choice`: a stored value → its first label."""
    back: dict[Any, str] = {}
    for label, value in labels.items():
        back.setdefault(value, label)
    return lambda value: back.get(value, "")


def yes_no(value: Any) -> str:
    """The ``show`` of a :func:`boolean`."""
    return YES if value else NO


# --- Types ----------------------------------------------------------------------------------------


def text(*, max_length: int | None = None, upper: bool = False) -> Parse:
    """Text as typed, stripped; refused over ``max_length`` characters."""

    def parse(raw: Any) -> str:
        value = cell_text(raw)
        if upper:
            value = value.upper()
        if max_length is not None and len(value) > max_length:
            raise CellError(f"最多 {max_length} 个字，收到 {len(value)} 个字。")
        return value

    return parse


def integer(*, minimum: int | None = 0, maximum: int | None = None) -> Parse:
    """A whole number (``12`` or ``12.0``), within the bounds."""

    def parse(raw: Any) -> int:
        try:
            if isinstance(raw, bool):
                raise ValueError
            number = int(raw) if isinstance(raw, int | float) and float(raw).is_integer() else int(cell_text(raw))
        except (ValueError, OverflowError):
            raise CellError(f"应为整数（填写的是{_quote(raw)}）。") from None
        if minimum is not None and number < minimum:
            raise CellError("不能为负数" + f"（填写的是{_quote(raw)}）。" if minimum == 0 else f"不能小于 {minimum}。")
        if maximum is not None and number > maximum:
            raise CellError(f"不能大于 {maximum}（填写的是{_quote(raw)}）。")
        return number

    return parse


def decimal(
    *,
    minimum: Decimal | None = Decimal(0),
    below: Decimal | None = None,
    places: int | None = None,
    scale: Decimal = Decimal(1),
    what: str = "数字",
) -> Parse:
    """A number (thousands separators allowed) times ``scale`` (10000 for a column in 万元), rounded to ``places``."""

    def parse(raw: Any) -> Decimal:
        try:
            number = Decimal(cell_text(raw).replace(",", ""))
            if not number.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            raise CellError(f"{_quote(raw)}不是有效的{what}。") from None
        if minimum is not None and number < minimum:
            raise CellError("不能为负数。" if minimum == 0 else f"不能小于 {minimum}。")
        if below is not None and number >= below:
            raise CellError(f"{_quote(raw)}不是有效的{what}（应小于 {below}）。")
        number *= scale
        return number.quantize(Decimal(1).scaleb(-places)) if places is not None else number

    return parse


YES, NO = "是", "否"


def boolean() -> Parse:
    """``是`` or ``否``."""

    def parse(raw: Any) -> bool:
        if raw is True or raw is False:
            return raw
        value = cell_text(raw)
        if value in (YES, NO):
            return value == YES
        raise CellError(f"应填“是”或“否”（填写的是{_quote(raw)}）。")

    return parse


def choice(labels: Mapping[str, Any], *, shown: Iterable[str] | None = None, fold_case: bool = False) -> Parse:
    """One of ``labels`` (what a person writes → the stored value); a refusal lists ``shown`` (or the labels)."""
    table = {k.lower(): v for k, v in labels.items()} if fold_case else dict(labels)
    names = "、".join(shown if shown is not None else labels) or "（尚无可选项）"

    def parse(raw: Any) -> Any:
        value = cell_text(raw)
        key = value.lower() if fold_case else value
        if key in table:
            return table[key]
        raise CellError(f"{_quote(raw)}不是有效取值，应为：{names}。")

    return parse


def choices_of(text_choices: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    """label → value and value → value of a ``TextChoices`` (blank values left out), for :func:`choice`."""
    table: dict[str, Any] = {}
    for value, label in text_choices:
        if value:
            table[str(label)] = value
            table.setdefault(str(value), value)
    return table


def choice_of(text_choices: Iterable[tuple[Any, Any]]) -> Parse:
    """One of a ``TextChoices``, written by its label (or its value); a refusal lists the labels."""
    text_choices = list(text_choices)
    return choice(choices_of(text_choices), shown=[str(label) for value, label in text_choices if value])


def date() -> Parse:
    """A date cell, or text ``YYYY-MM-DD`` (``/`` and ``.`` also)."""

    def parse(raw: Any) -> dt.date:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        value = cell_text(raw).replace("/", "-").replace(".", "-")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CellError(f"日期{_quote(raw)}格式不对，应写成 YYYY-MM-DD，例如 2015-06-01。") from None

    return parse


MOMENT_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


def moment(*, formats: tuple[str, ...] = MOMENT_FORMATS) -> Parse:
    """A date-and-time cell or text, in the site's time zone (Asia/Shanghai) when it gives none."""

    def parse(raw: Any) -> dt.datetime:
        if isinstance(raw, dt.datetime):
            naive = raw
        else:
            value = cell_text(raw)
            for pattern in formats:
                try:
                    naive = dt.datetime.strptime(value, pattern)  # noqa: DTZ007 - local time, made aware below
                    break
                except ValueError:
                    continue
            else:
                raise CellError(f"{_quote(raw)}不是有效的时间，应写成 YYYY-MM-DD HH:MM:SS，例如 2026-12-08 09:30:00。")
        if timezone.is_aware(naive):
            return naive
        return timezone.make_aware(naive, timezone.get_default_timezone())

    return parse


def listed(item: Parse, *, separators: str = "、，,") -> Parse:
    """Several values in one cell separated by 、 (or commas), each read by ``item``."""

    def parse(raw: Any) -> list[Any]:
        value = cell_text(raw)
        for sep in separators[1:]:
            value = value.replace(sep, separators[0])
        return [item(part.strip()) for part in value.split(separators[0]) if part.strip()]

    return parse
