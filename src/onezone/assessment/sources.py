"""Figures from the other modules' records, behind one small adapter.

Every figure the assessment shows or scores comes through :func:`figure`. Only a module that is not
installed gives a figure with ``value=None`` and the note :data:`NO_SOURCE` (pages then ask for the
value by hand). A module that is installed but fails, or answers without the figure asked for, raises
:class:`SourceError`: an error is never taken for "no record source" that a hand-typed value may fill.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import importlib
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import DatabaseError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from onezone.core.errors import DomainError

log = logging.getLogger(__name__)

NO_SOURCE = "该指标暂无记录来源，请手工填报"
WAN = Decimal(10_000)


class SourceError(RuntimeError):
    """An installed module could not give a figure it records."""


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: Decimal | None
    unit: str
    as_of: dt.date
    link: str = ""
    source: str = ""  # which module's records

    @property
    def available(self) -> bool:
        return self.value is not None

    @property
    def note(self) -> str:
        return "" if self.available else NO_SOURCE


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    unit: str
    module: str  # app name under onezone
    module_label: str
    fetch: Callable[..., Any]  # (zone_id, year, park_id) -> Decimal | None
    links: tuple[str, ...] = ()  # URL names tried in order; the first that exists links the figure
    parks: bool = False  # whether the figure can be computed for one park
    # (zone_id, year, body_id) -> Decimal | None, where the records say which body did the work
    for_body: Callable[..., Any] | None = None


def _selectors(module: str):
    """The module's selectors (or the module named), or None when it is not there."""
    name = f"onezone.{module}"
    try:
        if importlib.util.find_spec(name) is None:
            return None
        return importlib.import_module(name)
    except ImportError:
        return None


_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("assessment_sources_memo", default=None)


@contextlib.contextmanager
def memo():
    """Within the block, a module's figures asked for twice with the same arguments are read once."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _call(module: str, function: str, **kwargs: Any) -> Any:
    cache = _memo.get()
    if cache is None:
        return _call_now(module, function, **kwargs)
    key = (module, function, tuple(sorted(kwargs.items())))
    if key not in cache:
        cache[key] = _call_now(module, function, **kwargs)
    return cache[key]


def _isolated(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """``fn(**kwargs)``, a read of another module, so that its failure cannot spoil the caller's transaction.

    Inside a transaction it runs in a savepoint (a failed query would otherwise abort the whole transaction
    on PostgreSQL). Outside one a read needs no transaction at all: opening one would be a real BEGIN (on
    SQLite BEGIN IMMEDIATE, the write lock) for every figure of a read-only page.
    """
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return fn(**kwargs)
    return fn(**kwargs)


def _call_now(module: str, function: str, **kwargs: Any) -> Any:
    selectors = _selectors(module)
    if selectors is None:
        return None
    fn = getattr(selectors, function, None)
    if fn is None:
        raise SourceError(f"onezone.{module} has no {function}: the figure's source is wrong")
    try:
        return _isolated(fn, **kwargs)
    except (TypeError, AttributeError, LookupError, DomainError, DatabaseError) as exc:
        log.warning("figure %s.%s failed: %s", module, function, exc)
        raise SourceError(f"{module}.{function} failed: {exc}") from exc


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _attr(obj: Any, name: str) -> Decimal | None:
    """``obj.name`` (a dataclass or a mapping) as a number; None when the module is not installed."""
    if obj is None:
        return None
    present = name in obj if isinstance(obj, dict) else hasattr(obj, name)
    if not present:
        raise SourceError(f"{type(obj).__name__} has no {name}: the figure's source is wrong")
    return _number(obj[name] if isinstance(obj, dict) else getattr(obj, name))


def _fraction_to_percent(value: Decimal | None) -> Decimal | None:
    """The investment module gives the start rate as a fraction (0.85); the assessment shows per cent."""
    return None if value is None else value * 100


def _rd_intensity(zone_id: int, year: int, park_id: int | None = None) -> Decimal | None:
    """R&D spending as a share of the enterprises' revenue, in per cent."""
    figures = _enterprises(zone_id, year, park_id)
    spend, revenue = _attr(figures, "rd_spend"), _attr(figures, "revenue")
    if spend is None or not revenue:
        return None
    return spend * 100 / revenue


def _investment(zone_id: int, year: int, park_id: int | None):
    kwargs = {"zone_id": zone_id, "year": year}
    if park_id is not None:
        if _memo.get() is not None:
            # A page that shows one park's figures shows them all: read every park in one go.
            by_park = _call("investment.selectors", "investment_figures_by", zone_id=zone_id, year=year, by="park")
            if by_park is not None:
                return by_park[park_id]
        kwargs["park_id"] = park_id
    return _call("investment.selectors", "investment_figures", **kwargs)


def _enterprises(zone_id: int, year: int, park_id: int | None):
    """The enterprises' yearly figures; None for a year no enterprise has a yearly record of (not zero)."""
    if park_id is not None:
        return None
    figures = _call("enterprises.selectors", "enterprise_figures", zone_id=zone_id, year=year)
    return None if figures is None or not _attr(figures, "reporting") else figures


def _window(zone_id: int, year: int, park_id: int | None):
    if park_id is not None:
        return None
    return _call("window.selectors", "zone_case_figures", zone_id=zone_id, year=year)


def _wan(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / WAN


def _fetch_attr(loader, name: str, transform=None):
    def fetch(zone_id: int, year: int, park_id: int | None = None) -> Decimal | None:
        value = _attr(loader(zone_id, year, park_id), name)
        return transform(value) if transform else value

    return fetch


def _open_requests(zone_id: int, year: int, park_id: int | None = None) -> Decimal | None:
    if park_id is not None:
        return None
    return _number(_call("enterprises.selectors", "open_requests_count", zone_id=zone_id))


def _funds_of_body(zone_id: int, year: int, body_id: int) -> Decimal | None:
    """The funds in place of the projects whose officers work in the body (万元)."""
    by_body = _call("investment.selectors", "funds_in_place_by_body", zone_id=zone_id, year=year)
    return None if by_body is None else _wan(_number(by_body.get(body_id, 0)))


def _on_time_of_body(zone_id: int, year: int, body_id: int) -> Decimal | None:
    """The share of the body's cases received in the year that were decided on time (%)."""
    rows = _call(
        "window.selectors",
        "efficiency",
        zone_id=zone_id,
        by="body",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )
    row = next((r for r in rows or () if r.key == body_id), None)
    return None if row is None else _number(row.on_time_rate)


def _registered(zone_id: int, year: int, park_id: int | None = None) -> Decimal | None:
    if park_id is not None:
        return None
    return _number(_call("enterprises.figures", "enterprises_registered_count", zone_id=zone_id, year=year))


def _inspections_blocked(zone_id: int, year: int, park_id: int | None = None) -> Decimal | None:
    if park_id is not None:
        return None
    return _number(_call("enterprises.figures", "inspections_blocked_count", zone_id=zone_id, year=year))


def _no_record(zone_id: int, year: int, park_id: int | None = None) -> None:
    """No record gives this figure yet: an enterprise's confirmation of a request still holds its
    satisfaction as free text, not as one of the five levels (to be migrated)."""
    return None


def _chain_gaps(zone_id: int, year: int, park_id: int | None = None) -> Decimal | None:
    gaps = chain_gaps(zone_id)
    return None if gaps is None else Decimal(sum(g["gaps"] for g in gaps))


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        Source(
            "investment.funds_in_place",
            "到位资金",
            "万元",
            "investment",
            "招商引资（到位资金台账）",
            _fetch_attr(_investment, "funds_in_place", transform=_wan),
            ("admin:investment_fundsentry_changelist", "investment-figures"),
            parks=True,
            for_body=_funds_of_body,
        ),
        Source(
            "investment.start_rate",
            "重点项目开工率",
            "%",
            "investment",
            "招商引资（项目台账）",
            _fetch_attr(_investment, "start_rate", transform=_fraction_to_percent),
            ("investment-pipeline", "admin:investment_project_changelist"),
            parks=True,
        ),
        Source(
            "investment.cumulative_completed",
            "累计完成投资",
            "万元",
            "investment",
            "招商引资（投资进度台账）",
            _fetch_attr(_investment, "cumulative_completed", transform=_wan),
            ("admin:investment_investmentprogress_changelist", "investment-figures"),
            parks=True,
        ),
        Source(
            "investment.key_started",
            "重点项目已开工数",
            "个",
            "investment",
            "招商引资（项目台账）",
            _fetch_attr(_investment, "key_started"),
            ("admin:investment_project_changelist",),
            parks=True,
        ),
        Source(
            "enterprises.output",
            "规上工业总产值",
            "万元",
            "enterprises",
            "企业库（年度经营数据）",
            _fetch_attr(_enterprises, "output_value", transform=_wan),
            ("admin:enterprises_enterprise_changelist",),
        ),
        Source(
            "enterprises.tax",
            "税收收入",
            "万元",
            "enterprises",
            "企业库（年度经营数据）",
            _fetch_attr(_enterprises, "tax", transform=_wan),
            ("admin:enterprises_enterprise_changelist",),
        ),
        Source(
            "enterprises.employees",
            "企业从业人员",
            "人",
            "enterprises",
            "企业库（年度经营数据）",
            _fetch_attr(_enterprises, "employees"),
            ("admin:enterprises_enterprise_changelist",),
        ),
        Source(
            "enterprises.energy",
            "综合能耗",
            "吨标准煤",
            "enterprises",
            "企业库（年度经营数据）",
            _fetch_attr(_enterprises, "energy_tce"),
            ("admin:enterprises_enterprise_changelist",),
        ),
        Source(
            "enterprises.new_enterprises",
            "新增入驻企业",
            "家",
            "enterprises",
            "企业库",
            _registered,
            ("admin:enterprises_enterprise_changelist",),
        ),
        Source(
            "enterprises.open_requests",
            "未办结企业诉求",
            "件",
            "enterprises",
            "企业诉求",
            _open_requests,
            ("admin:enterprises_enterpriserequest_changelist",),
        ),
        Source(
            "enterprises.request_satisfaction",
            "企业诉求满意率",
            "%",
            "enterprises",
            "企业诉求",
            _no_record,
            ("admin:enterprises_enterpriserequest_changelist",),
        ),
        Source(
            "enterprises.inspections_avoided",
            "免于重复检查次数",
            "次",
            "enterprises",
            "涉企检查登记",
            _inspections_blocked,
            ("admin:enterprises_inspection_changelist",),
        ),
        Source(
            "enterprises.rd_intensity",
            "研发经费投入强度",
            "%",
            "enterprises",
            "企业库（年度经营数据）",
            _rd_intensity,
            ("admin:enterprises_enterprise_changelist",),
        ),
        Source(
            "window.on_time_rate",
            "办件按时办结率",
            "%",
            "window",
            "政务服务窗口（办件）",
            _fetch_attr(_window, "on_time_rate"),
            ("window-efficiency", "admin:window_case_changelist"),
            for_body=_on_time_of_body,
        ),
        Source(
            "window.overdue_now",
            "当前超期办件",
            "件",
            "window",
            "政务服务窗口（办件）",
            _fetch_attr(_window, "overdue_now"),
            ("window-queue", "admin:window_case_changelist"),
        ),
        Source(
            "window.cases",
            "受理办件",
            "件",
            "window",
            "政务服务窗口（办件）",
            _fetch_attr(_window, "cases"),
            ("admin:window_case_changelist",),
        ),
        Source(
            "investment.chain_gaps",
            "产业链缺失环节",
            "个",
            "investment",
            "产业链图谱",
            _chain_gaps,
            ("investment-chains", "admin:investment_chain_changelist"),
        ),
    ]
}


def source_choices() -> list[tuple[str, str]]:
    return [("manual", "手工填报（附佐证）"), *((s.key, f"{s.module_label}：{s.label}") for s in SOURCES.values())]


def source_label(key: str) -> str:
    if key == "manual" or not key:
        return "手工填报"
    spec = SOURCES.get(key)
    return spec.module_label if spec else key


def _link(spec: Source) -> str:
    for name in spec.links:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def figure(
    key: str,
    *,
    zone_id: int,
    year: int,
    park_id: int | None = None,
    body_id: int | None = None,
    as_of: dt.date | None = None,
) -> Figure:
    """The figure ``key`` for the zone (or one park, or one body) and year; ``value`` None when nothing
    records it."""
    as_of = as_of or timezone.localdate()
    spec = SOURCES.get(key)
    if spec is None:
        return Figure(key=key, label=key, value=None, unit="", as_of=as_of)
    value = None
    if body_id is not None:
        value = spec.for_body(zone_id, year, body_id) if spec.for_body else None
    elif park_id is None or spec.parks:
        value = spec.fetch(zone_id, year, park_id)
    return Figure(
        key=key,
        label=spec.label,
        value=value,
        unit=spec.unit,
        as_of=as_of,
        link=_link(spec) if value is not None else "",
        source=spec.module_label,
    )


def chain_gaps(zone_id: int) -> list[dict[str, Any]] | None:
    """Each industry chain of the zone with its number of gaps (links without a local enterprise).

    None when the investment module offers no chain figures. Read once within a :func:`memo` block.
    """
    cache = _memo.get()
    if cache is None:
        return _chain_gaps_now(zone_id)
    key = ("chain_gaps", zone_id)
    if key not in cache:
        cache[key] = _chain_gaps_now(zone_id)
    return cache[key]


def _chain_gaps_now(zone_id: int) -> list[dict[str, Any]] | None:
    selectors = _selectors("investment.selectors")
    if selectors is None:
        return None
    try:
        rows = _isolated(lambda: list(selectors.chain_summaries(zone_id=zone_id)))
    except (TypeError, AttributeError, LookupError, DomainError, DatabaseError) as exc:
        log.warning("chain gaps failed: %s", exc)
        raise SourceError(f"investment.selectors.chain_summaries failed: {exc}") from exc
    return [{"name": row.chain.name, "gaps": row.gaps} for row in rows]


def installed(module: str) -> bool:
    return _selectors(f"{module}.selectors") is not None


def leaf_value(source: str, *, zone_id: int, year: int, area_km2: Decimal | None) -> Decimal | None:
    """An evaluation leaf's value from the zone's records: a figure, or a figure per km² of planned area."""
    if not source:
        return None
    if source.startswith("per_km2:"):
        value = figure(source.split(":", 1)[1], zone_id=zone_id, year=year).value
        if value is None or not area_km2:
            return None
        return value / Decimal(area_km2)
    return figure(source, zone_id=zone_id, year=year).value


def leaf_values(zone: Any, year: int, leaves: dict[str, str]) -> dict[str, Decimal]:
    """The values the zone's records give for the leaves (``{leaf key: source}``) in ``year``, to 0.0001;
    a leaf the records do not give is left out. A figure per km² is per the planned area the zone's facts
    record for that year, or else its planned area now."""
    from onezone.assessment.models import ZoneYearFact

    fact = ZoneYearFact.objects.filter(zone_id=zone.pk, year=year).first()
    area = fact.planned_area_km2 if fact is not None else zone.planned_area_km2
    values = {}
    for key, source in leaves.items():
        value = leaf_value(source, zone_id=zone.pk, year=year, area_km2=area)
        if value is not None:
            values[key] = value.quantize(Decimal("0.0001"))
    return values
