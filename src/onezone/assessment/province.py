"""The province's overview for its supervisor: every zone's rank, key figures and warnings on one page.

One row per zone of the province, in the order of the latest evaluation the supervisor may see; the
figures come from the same selectors the zones' own pages use, read for all zones at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from onezone.assessment.models import EvaluationResult
from onezone.assessment.selectors import evaluations_visible
from onezone.core.areacodes import area_name
from onezone.enterprises.selectors import open_requests_by_zone
from onezone.window.selectors import case_figures_by_zone
from onezone.zones.models import Zone


@dataclass(frozen=True)
class ProvinceRow:
    zone_id: int
    zone_name: str
    rank: int | None
    score: Decimal | None
    cases: int
    on_time_rate: Decimal | None
    overdue_now: int
    violations: int
    open_requests: int

    @property
    def warnings(self) -> int:
        return self.overdue_now + self.violations


@dataclass(frozen=True)
class ProvinceOverview:
    province_code: str
    province_name: str
    year: int
    evaluation_label: str  # "2025年 · 开发区综合发展水平考核评价", or "" when none is visible
    rows: list[ProvinceRow]


def province_overview(*, user: Any, province_code: str, year: int) -> ProvinceOverview:
    """Every zone of ``province_code``: latest visible rank and score, this year's cases and requests."""
    zones = list(Zone.objects.filter(province_code=province_code).order_by("name").values_list("id", "name"))
    ids = [zone_id for zone_id, _name in zones]
    evaluation = evaluations_visible(user, province_code=province_code).order_by("-year", "-id").first()
    results = {}
    if evaluation is not None:
        results = {
            zone_id: (rank, score)
            for zone_id, rank, score in EvaluationResult.objects.filter(evaluation=evaluation).values_list(
                "zone_id", "rank", "score"
            )
        }
    cases = case_figures_by_zone(zone_ids=ids, year=year)
    requests = open_requests_by_zone(zone_ids=ids)
    rows = [
        ProvinceRow(
            zone_id=zone_id,
            zone_name=name,
            rank=results.get(zone_id, (None, None))[0],
            score=results.get(zone_id, (None, None))[1],
            cases=cases[zone_id].cases,
            on_time_rate=cases[zone_id].on_time_rate,
            overdue_now=cases[zone_id].overdue_now,
            violations=cases[zone_id].violations,
            open_requests=requests[zone_id],
        )
        for zone_id, name in zones
    ]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.zone_name))
    return ProvinceOverview(
        province_code=province_code,
        province_name=area_name(province_code) or province_code,
        year=year,
        evaluation_label=f"{evaluation.year}年 · {evaluation.scheme.name}" if evaluation else "",
        rows=rows,
    )


def main_province() -> str | None:
    """The province a province-level user of this site oversees: the one most of the site's zones are in."""
    from django.db.models import Count

    row = (
        Zone.objects.order_by()
        .values("province_code")
        .annotate(n=Count("id"))
        .order_by("-n", "province_code")
        .values_list("province_code", flat=True)
        .first()
    )
    return row
