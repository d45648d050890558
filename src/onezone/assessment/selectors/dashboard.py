"""The leadership dashboard (领导驾驶舱): growth since the reform, key figures, parks, safety."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from onezone.assessment import sources
from onezone.assessment.models import (
    Scheme,
    ZoneYearFact,
)
from onezone.assessment.selectors.ranking import RankPoint, rank_history, scheme_for_zone
from onezone.assessment.selectors.safety import SafetyPanel, safety_panel
from onezone.assessment.selectors.targets import TargetRow, target_rows
from onezone.core.prepared import Prepared
from onezone.zones.models import Park

_YEAR_FACTS = Prepared(lambda zone_id: ZoneYearFact.objects.filter(zone_id=zone_id).order_by("year"), zone_id=int)


# The zone's parks for the per-park figures (their leading industries are not shown there).
_PARKS = Prepared(lambda zone_id: Park.objects.filter(zone_id=zone_id).order_by("code"), zone_id=int)


# --- growth and dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class Growth:
    baseline: ZoneYearFact | None
    latest: ZoneYearFact | None
    current_planned_area: Decimal
    area_multiple: Decimal | None
    output_multiple: Decimal | None
    jobs_added: int | None


def reported_year(zone: Any, facts: list[ZoneYearFact]) -> ZoneYearFact | None:
    """The latest whole year of the enterprises' monthly reports (``support``) as a year's facts (not
    stored): its output is the sum of the confirmed reports, its employees those at the year's end,
    its planned area the latest recorded. None when no year of reports is as recent as the facts."""
    from onezone.support.selectors.statistics import latest_complete_year, year_figures

    year = latest_complete_year(zone.pk, before=timezone.localdate().year + 1)
    if year is None or (facts and year < facts[-1].year):
        return None
    figures = year_figures(zone.pk, year)
    area = next((f.planned_area_km2 for f in reversed(facts) if f.year <= year), zone.planned_area_km2)
    return ZoneYearFact(
        zone_id=zone.pk,
        year=year,
        planned_area_km2=area,
        industrial_output=figures.output_value,
        employees=figures.employees,
        source=f"企业月度统计（{figures.reporters} 家企业已确认月报合计）",
    )


def growth(zone: Any, *, baseline_year: int | None = None) -> Growth:
    """The zone's growth from the year before its reform (or ``baseline_year``) to its latest year:
    the latest whole year of the enterprises' monthly reports, or else the latest recorded facts."""
    facts = _YEAR_FACTS(zone_id=zone.pk)
    if baseline_year is None and zone.reform_date:
        baseline_year = zone.reform_date.year - 1
    baseline = next((f for f in facts if f.year == baseline_year), facts[0] if facts else None)
    latest = reported_year(zone, facts) or (facts[-1] if facts else None)
    if baseline is None or latest is None or baseline.year == latest.year:
        return Growth(baseline, latest, zone.planned_area_km2, None, None, None)

    def multiple(new: Decimal, old: Decimal) -> Decimal | None:
        return (Decimal(new) / Decimal(old)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if old else None

    return Growth(
        baseline=baseline,
        latest=latest,
        current_planned_area=zone.planned_area_km2,
        area_multiple=multiple(zone.planned_area_km2, baseline.planned_area_km2),
        output_multiple=multiple(latest.industrial_output, baseline.industrial_output),
        jobs_added=latest.employees - baseline.employees,
    )


@dataclass
class DashboardFigure:
    key: str
    label: str
    value: Decimal | None
    unit: str
    as_of: dt.date
    link: str
    note: str = ""

    @property
    def shown(self) -> str:
        if self.value is None:
            return "无数据"
        if self.value == self.value.to_integral_value():
            return f"{self.value:,.0f}"
        return f"{self.value:,.2f}"


@dataclass
class Dashboard:
    zone: Any
    year: int
    as_of: dt.date
    figures: list[DashboardFigure]
    chain_gaps: list[dict[str, Any]] | None
    targets_at_risk: list[TargetRow]
    targets_total: int
    history: list[RankPoint]
    parks: list[dict[str, Any]]
    growth: Growth
    scheme: Scheme | None
    latest_rank: RankPoint | None = None
    missing_sources: list[str] = field(default_factory=list)
    safety: SafetyPanel | None = None


DASHBOARD_FIGURES = [
    ("investment.funds_in_place", "到位资金"),
    ("investment.start_rate", "重点项目开工率"),
    ("investment.cumulative_completed", "累计完成投资"),
    ("window.overdue_now", "当前超期办件"),
    ("enterprises.open_requests", "未办结企业诉求"),
    ("investment.chain_gaps", "产业链缺失环节"),
]


def dashboard(zone: Any, user: Any, *, year: int | None = None, today: dt.date | None = None) -> Dashboard:
    """The committee head's figures (领导驾驶舱), each with its date and its link to the records."""
    with sources.memo():
        return _dashboard(zone, user, year=year, today=today)


def _dashboard(zone: Any, user: Any, *, year: int | None, today: dt.date | None) -> Dashboard:
    today = today or timezone.localdate()
    year = year or today.year
    figures = []
    missing = []
    for key, label in DASHBOARD_FIGURES:
        found = sources.figure(key, zone_id=zone.pk, year=year, as_of=today)
        if not found.available:
            missing.append(label)
        figures.append(DashboardFigure(key, label, found.value, found.unit, found.as_of, found.link, found.note))
    rows = target_rows(zone.pk, year, today=today)
    parks = []
    for park in _PARKS(zone_id=zone.pk):
        parks.append(
            {
                "park": park,
                "funds": sources.figure("investment.funds_in_place", zone_id=zone.pk, year=year, park_id=park.pk),
                "start_rate": sources.figure("investment.start_rate", zone_id=zone.pk, year=year, park_id=park.pk),
                "cumulative": sources.figure(
                    "investment.cumulative_completed", zone_id=zone.pk, year=year, park_id=park.pk
                ),
            }
        )
    scheme = scheme_for_zone(zone)
    history = rank_history(zone.pk, user, scheme=scheme) if scheme else []
    return Dashboard(
        zone=zone,
        year=year,
        as_of=today,
        figures=figures,
        chain_gaps=sources.chain_gaps(zone.pk),
        targets_at_risk=[r for r in rows if r.at_risk],
        targets_total=len(rows),
        history=history,
        parks=parks,
        growth=growth(zone),
        scheme=scheme,
        latest_rank=history[-1] if history else None,
        missing_sources=missing,
        safety=safety_panel(zone.pk, today),
    )
