"""Demo step: targets for 2026, and a province of demo zones evaluated 2020–2025.

Seventy demo zones of Gansu (演示) get indicator values from a seeded generator. The Yongchang
zone's values are generated along one quality parameter per year; the parameter is searched
(deterministically) until the evaluation itself ranks the zone 36th in 2020 and 15th in 2025. With
the enterprises loaded, the leaves the zone's own records give are what the evaluation collects: they
stay as the records say, only the reported leaves follow the parameter, and a year where the records
keep the zone from its target rank gets the best rank the reported values reach.
The ranks shown come from the evaluation of the stored values, not from this file.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from onezone.assessment.evaluation import ranks
from onezone.assessment.models import Actual, EvaluationStatus, Indicator, ZoneValue
from onezone.assessment.selectors import scheme_tree
from onezone.assessment.services import (
    actual_enter,
    actuals_compute,
    evaluation_compute,
    evaluation_transition,
    indicators_load_catalogue,
    scheme_create_default,
    target_set,
    zone_fact_record,
    zones_on_site,
)
from onezone.assessment.sources import leaf_values
from onezone.core.roles import Role

SEED = 20260101
YEARS = range(2020, 2026)
# The Yongchang zone's rank per year; the generator makes the evaluation produce exactly these.
TARGET_RANKS = {2020: 36, 2021: 33, 2022: 28, 2023: 24, 2024: 19, 2025: 15}
PLACES = [
    "榆中", "皋兰", "永登", "红古", "西固", "安宁", "七里河", "嘉峪关", "金川", "白银",
    "平川", "靖远", "会宁", "景泰", "秦州", "麦积", "清水", "秦安", "甘谷", "武山",
    "凉州", "民勤", "古浪", "天祝", "甘州", "民乐", "临泽", "高台", "山丹", "崆峒",
    "泾川", "灵台", "崇信", "华亭", "庄浪", "静宁", "肃州", "金塔", "瓜州", "玉门",
    "敦煌", "西峰", "庆城", "环县", "华池", "合水", "正宁", "宁县", "镇原", "安定",
    "通渭", "陇西", "渭源", "临洮", "漳县", "岷县", "武都", "成县", "文县", "宕昌",
    "康县", "西和", "礼县", "徽县", "两当", "临夏", "康乐", "永靖", "广河", "和政",
]  # fmt: skip
PREFECTURES = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "29", "30"]

# leaf key → (low, high, integer, grows with the years)
RANGES = {
    "fdi": (Decimal(0), Decimal(20000), False, True),
    "trade": (Decimal("0.5"), Decimal(200), False, True),
    "output_per_km2": (Decimal(2000), Decimal(60000), False, True),
    "tax_per_km2": (Decimal(100), Decimal(3000), False, True),
    "value_added_growth": (Decimal(-5), Decimal(20), False, False),
    "rd_intensity": (Decimal("0.3"), Decimal("4.0"), False, False),
    "hightech": (Decimal(0), Decimal(80), True, True),
    "energy_intensity": (Decimal("0.3"), Decimal("3.5"), False, False),
    "co2_intensity": (Decimal("0.8"), Decimal("9.0"), False, False),
    "new_jobs": (Decimal(50), Decimal(3000), True, False),
    "on_time_rate": (Decimal(85), Decimal(100), False, False),
}
LOWER_IS_BETTER = {"energy_intensity", "co2_intensity"}

# The Yongchang zone's facts: planned area from the approved 9.8 km² to 78.4 km², output ×40, +5,000 jobs.
FACTS = {
    2020: ("9.80", 450_000_000, 3150),
    2021: ("9.80", 1_200_000_000, 4000),
    2022: ("30.00", 3_500_000_000, 5200),
    2023: ("52.60", 8_000_000_000, 6500),
    2024: ("78.40", 13_000_000_000, 7600),
    2025: ("78.40", 18_000_000_000, 8150),
}
CENT = Decimal("0.01")


def _value(key: str, quality: float, year: int) -> Decimal:
    low, high, integer, grows = RANGES[key]
    quality = min(max(quality, 0.0), 1.0)
    share = Decimal(str(round(quality, 6)))
    if key in LOWER_IS_BETTER:
        share = 1 - share
    value = low + (high - low) * share
    if grows:
        value *= Decimal(1) + Decimal("0.08") * (year - 2020)
    if key in LOWER_IS_BETTER:
        value *= Decimal(1) - Decimal("0.03") * (year - 2020)
    return value.quantize(Decimal(1) if integer else CENT)


def province_values(rng: random.Random, zone_keys: list[str]) -> dict[int, dict[str, dict[str, Decimal | None]]]:
    """Values of the other zones per year: each zone has a level, each indicator its own spread."""
    by_year: dict[int, dict[str, dict[str, Decimal | None]]] = {year: {} for year in YEARS}
    for key in zone_keys:
        level = rng.random()
        leaf_bias = {leaf: rng.gauss(0, 0.15) for leaf in RANGES}
        trend = rng.gauss(0, 0.02)
        gaps = {rng.choice(list(RANGES))} if rng.random() < 0.06 else set()
        for year in YEARS:
            by_year[year][key] = {
                leaf: None
                if leaf in gaps and year % 2 == 0
                else _value(leaf, level + bias + trend * (year - 2020) + rng.gauss(0, 0.03), year)
                for leaf, bias in leaf_bias.items()
            }
    return by_year


def yongchang_values(quality: float, year: int, recorded: dict[str, Decimal]) -> dict[str, Decimal]:
    """The zone's values: those its records give (``recorded``, what the evaluation collects), the rest
    reported along ``quality``; its new jobs are the change of its year-end employees."""
    values = {leaf: _value(leaf, quality, year) for leaf in RANGES}
    _area, _output, employees = FACTS[year]
    before = FACTS.get(year - 1, (None, None, employees - 260))[2]
    values["new_jobs"] = Decimal(employees - before)
    return {**values, **recorded}


def _rank(tree, others: dict, quality: float, year: int, rule: str, recorded: dict[str, Decimal]) -> int:
    values = {**others, "yc": yongchang_values(quality, year, recorded)}
    return ranks(tree, values, missing_rule=rule)["yc"]


def search_quality(tree, others: dict, year: int, rank: int, rule: str, recorded: dict[str, Decimal]) -> float:
    """The least quality at which the evaluation ranks the zone ``rank`` or better (bisection); the best
    quality where the values its records give keep it below ``rank`` whatever the reported ones."""
    low, high = 0.0, 1.0
    if _rank(tree, others, high, year, rule, recorded) > rank:
        return high
    for _ in range(30):
        middle = (low + high) / 2
        if _rank(tree, others, middle, year, rule, recorded) <= rank:
            high = middle
        else:
            low = middle
    return high


def load(ctx) -> None:
    from onezone.zones.services import zone_create

    root = ctx.users[Role.ADMIN.value]
    zone = ctx.zone
    indicators_load_catalogue()
    scheme = scheme_create_default(
        actor=root, province_code=zone.province_code, name="甘肃省开发区综合发展水平考核评价"
    )
    tree = scheme_tree(scheme)

    rng = random.Random(SEED)
    zones = []
    for index, place in enumerate(PLACES, start=1):
        prefecture = PREFECTURES[index % len(PREFECTURES)]
        area = Decimal(rng.randint(300, 4000)) / 100
        zones.append(
            zone_create(
                actor=root,
                name=f"甘肃{place}经济开发区（演示）",
                code=f"demo-gs-{index:02d}",
                level="provincial",
                area_code=f"62{prefecture}{index % 20 + 1:02d}",
                province_code="620000",
                approved_area_km2=area,
                planned_area_km2=area * 3,
                is_demo=True,
            )
        )
    keys = [z.code for z in zones]
    by_year = province_values(rng, keys)
    for year, (area, output, employees) in FACTS.items():
        zone_fact_record(
            actor=root,
            zone_id=zone.pk,
            year=year,
            planned_area_km2=Decimal(area),
            industrial_output=Decimal(output),
            employees=employees,
            source="演示数据（统计年报）",
        )
    # What the zone's own records give (its enterprises' output and taxes per km², R&D intensity ...): the
    # evaluation collects exactly these, so the search keeps them and moves only the reported values.
    leaves = {n.key: n.source for n in scheme.nodes.all() if n.source}
    on_site = zone.pk in {z.pk for z in zones_on_site(zone.province_code)}
    recorded = {year: leaf_values(zone, year, leaves) if on_site else {} for year in YEARS}
    qualities = {
        year: search_quality(tree, by_year[year], year, TARGET_RANKS[year], scheme.missing_rule, recorded[year])
        for year in YEARS
    }
    expected = {
        year: _rank(tree, by_year[year], qualities[year], year, scheme.missing_rule, recorded[year]) for year in YEARS
    }

    by_code = {z.code: z.pk for z in zones}
    now = timezone.now()
    rows = []
    for year in YEARS:
        for code, values in by_year[year].items():
            rows.extend(
                ZoneValue(
                    zone_id=by_code[code],
                    year=year,
                    key=leaf,
                    value=value,
                    origin=ZoneValue.Origin.IMPORTED,
                    source="演示数据（按年报送）",
                    recorded_at=now,
                )
                for leaf, value in values.items()
                if value is not None
            )
        rows.extend(
            ZoneValue(
                zone_id=zone.pk,
                year=year,
                key=leaf,
                value=value,
                origin=ZoneValue.Origin.REPORTED,
                source="演示数据（开发区年度报送）",
                recorded_at=now,
            )
            for leaf, value in yongchang_values(qualities[year], year, {}).items()
            if leaf not in recorded[year]
        )
    ZoneValue.objects.bulk_create(rows, batch_size=1000)

    ranks = {}
    for year in YEARS:
        evaluation = evaluation_compute(actor=root, scheme=scheme, year=year)
        evaluation_transition(actor=root, evaluation=evaluation, to=EvaluationStatus.PUBLISHED)
        ranks[year] = evaluation.results.get(zone_id=zone.pk).rank
    if ranks != expected:
        raise RuntimeError(f"demo ranks {ranks} differ from the values' {expected}")

    _targets_2026(ctx, root)
    ctx.say(
        f"考核评价：演示开发区 {len(zones)} 个（全省共 {len(zones) + 1} 个参评），2020–2025 年排名 "
        f"{ranks[2020]} → {ranks[2025]}；2026 年目标 {ctx.extra.get('assessment_targets', 0)} 项"
    )


ZONE_TARGETS_2026 = [
    # indicator, value, weight, rule
    ("funds_in_place", "350000", "20", {"kind": "linear", "cap": 120}),
    ("start_rate", "85", "15", {"kind": "steps", "steps": [[0.6, 60], [0.8, 80], [0.9, 90], [1, 100]]}),
    ("cumulative_investment", "600000", "15", {"kind": "linear", "cap": 120}),
    ("industrial_output", "2000000", "15", {"kind": "linear", "cap": 110}),
    ("tax", "80000", "10", {"kind": "linear", "cap": 110}),
    ("new_enterprises", "25", "5", {"kind": "linear", "cap": 120}),
    ("on_time_rate", "98", "10", {"kind": "steps", "steps": [[0.9, 60], [0.95, 80], [1, 100]]}),
    ("energy_per_value_added", "1.2", "10", {"kind": "linear", "cap": 100}),
]
BODY_TARGETS_2026 = [
    # body key, indicator, value, weight, actual by hand where no record gives it, its evidence
    ("investment", "funds_in_place", "350000", "60", "281000", "招商服务局2026年1–10月到位资金统计表"),
    ("investment", "new_enterprises", "25", "40", "19", "招商服务局2026年新入驻企业台账"),
    ("service", "on_time_rate", "98", "100", "99.2", "政务服务中心2026年10月办件统计"),
    ("economy", "industrial_output", "2000000", "60", "1512000", "经济发展局2026年1–10月工业经济运行分析"),
    ("economy", "tax", "80000", "40", "70500", "县税务局园区税收月报（2026年10月）"),
    ("ecology", "energy_per_value_added", "1.2", "100", "1.28", "园区2026年前三季度能耗双控监测报告"),
]


def _targets_2026(ctx, root) -> None:
    zone = ctx.zone
    leader = ctx.users[Role.LEADER.value]
    count = 0
    for key, value, weight, rule in ZONE_TARGETS_2026:
        target_set(actor=leader, zone_id=zone.pk, year=2026, indicator_key=key, value=value, weight=weight, rule=rule)
        count += 1
    for park_key, funds in (("hexipu", "250000"), ("dongzhai", "100000")):
        target_set(
            actor=leader,
            zone_id=zone.pk,
            year=2026,
            indicator_key="funds_in_place",
            value=funds,
            weight="100",
            level="park",
            park_id=ctx.parks[park_key].pk,
        )
        count += 1
    bodies = []
    for body_key, key, value, weight, actual, evidence in BODY_TARGETS_2026:
        target = target_set(
            actor=leader,
            zone_id=zone.pk,
            year=2026,
            indicator_key=key,
            value=value,
            weight=weight,
            level="body",
            body_id=ctx.bodies[body_key].pk,
        )
        bodies.append((target, actual, evidence))
        count += 1
    # Computed where the records say (the zone's and parks' figures, a body's funds by its officers, its
    # cases); entered by hand with evidence only where no record gives the figure.
    actuals_compute(actor=leader, zone_id=zone.pk, year=2026)
    for target, actual, evidence in bodies:
        if not Actual.objects.filter(target=target).exists():
            actual_enter(actor=leader, target=target, value=actual, evidence_reference=evidence)
    manual = Indicator.objects.get(key="energy_per_value_added")
    zone_target = zone_target_of(zone.pk, manual)
    actual_enter(
        actor=leader, target=zone_target, value="1.28", evidence_reference="园区2026年前三季度能耗双控监测报告"
    )
    ctx.extra["assessment_targets"] = count


def zone_target_of(zone_id: int, indicator):
    from onezone.assessment.models import Target

    return Target.objects.get(zone_id=zone_id, year=2026, indicator=indicator, level="zone")
