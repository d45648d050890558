"""Demo step: 找人才 / 找员工 and the monthly enterprise statistics.

Demo data (演示数据): jobs of the demo enterprises with applications, one shared-labour agreement,
the zone's talent needs (安全、环保、化工、应急) with placements, and every enterprise's monthly
reports for 2025 and 2026 to date.

The reports are the source of the zone's figures, and the records agree with them:

- 2025 adds up to the zone's yearly facts (``s80_assessment.FACTS``): 180亿元 of industrial output and
  8,150 employees at the year's end, so the dashboard's ×40 output and +5,000 jobs since 2020 are the
  sums of these reports; each enterprise's yearly record for 2025 is the sum of its twelve months.
- 2026 to date (January to the last month due) adds up to what the economic-development body
  reported for January–October: 151.2亿元 of output and 7.05亿元 of taxes (pro rata for another count
  of months); each enterprise's 2026 record is the sum of its confirmed months so far.
- The yearly records of 2019–2024, before the monthly reports, are scaled to the zone's facts of
  those years (2019 with the factor of 2020).
- One enterprise has not reported the last month due (the chase reminds it); the demo enterprise
  reported that month ten times its usual output, late, and its report waits for its confirmation.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.roles import Role
from onezone.demo.steps.s80_assessment import FACTS
from onezone.support.models import MonthlyReport
from onezone.support.services import labour as jobs
from onezone.support.services import labour_sharing as sharing
from onezone.support.services import statistics as reports
from onezone.support.services.statistics_rules import last_due_month, usual

SEED = 20261208
CENT = Decimal("0.01")
OUTPUT_2026_OCT = Decimal("15120000000")  # 经济发展局2026年1–10月工业经济运行分析: 1,512,000万元
TAX_2026_OCT = Decimal("705000000")  # 县税务局园区税收月报（2026年10月）: 70,500万元
MONEY_FIELDS = ("output_value", "revenue", "tax", "energy_tce", "rd_spend", "exports")

JOBS = [
    # enterprise (None: the demo enterprise), title, places, pay, requirements, place
    (
        None,
        "镍钴湿法冶炼操作工",
        12,
        (5500, 8000),
        "高中或中专以上学历，身体健康，能适应倒班；有冶炼经验者优先。",
        "河西堡工业园",
    ),
    (
        None,
        "化工工艺工程师",
        2,
        (9000, 14000),
        "化学工程与工艺本科以上，三年以上湿法冶金或精细化工工艺经验。",
        "河西堡工业园",
    ),
    (
        None,
        "安全管理员",
        3,
        (6500, 9000),
        "持注册安全工程师或安全管理人员证书，熟悉危险化学品企业安全管理。",
        "河西堡工业园",
    ),
    (1, "电气维修工", 4, (6000, 8500), "持低压电工作业证，两年以上工厂设备维修经验。", "河西堡工业园"),
    (2, "叉车司机", 3, (4800, 6500), "持叉车作业证，责任心强。", "东寨工业园"),
    (3, "食品检验员", 2, (4500, 6000), "食品、生物相关专业大专以上，持食品检验工证优先。", "东寨工业园"),
]
APPLICANTS = [("马晓军", "13909351101", "在金川公司做过三年湿法冶炼，能倒班。"), ("李娜", "13909351102", "")]
TALENT = [
    ("safety", "注册安全工程师", 6, ["王立", "赵敏", "孙磊", "周红"]),
    ("safety", "危险化学品安全管理人员", 10, ["陈刚", "杨帆", "吴静", "郑凯", "冯雪", "朱亮", "何平"]),
    ("environment", "环境影响评价工程师", 3, ["韩梅"]),
    ("environment", "环保设施运维人员", 5, ["许强", "邓洁", "曹阳"]),
    ("chemical", "化工工艺工程师", 8, ["彭涛", "潘玲", "袁博", "蒋鹏", "蔡琳"]),
    ("chemical", "仪表自控工程师", 4, ["余海", "杜娟"]),
    ("emergency", "应急救援队员", 12, ["叶斌", "程亮", "魏东", "苏航", "吕军", "丁伟", "沈浩", "姚远", "卢鑫"]),
    ("emergency", "危化品应急处置专家", 2, []),
]


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _scale_to(rows: list, field: str, target: Decimal | int, *, integer: bool = False) -> Decimal:
    """Scale ``field`` of ``rows`` so that they add up to ``target`` exactly; the rounding
    remainder goes to the largest row. Returns the factor."""
    total = sum(Decimal(getattr(r, field)) for r in rows)
    factor = Decimal(target) / total if total else Decimal(1)
    for r in rows:
        value = Decimal(getattr(r, field)) * factor
        setattr(r, field, max(1, int(value.to_integral_value(ROUND_HALF_UP))) if integer else _q(value))
    largest = max(rows, key=lambda r: getattr(r, field))
    rest = Decimal(target) - sum(Decimal(getattr(r, field)) for r in rows)
    setattr(largest, field, getattr(largest, field) + (int(rest) if integer else rest))
    return factor


def _split(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` in parts proportional to ``weights``, to the fen, adding up exactly."""
    whole = sum(weights)
    parts = [_q(total * w / whole) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _yearly_records(zone, years) -> dict[int, list]:
    from onezone.enterprises.models import EnterpriseYear

    by_year: dict[int, list] = {}
    for row in EnterpriseYear.objects.filter(zone_id=zone.pk, year__in=years).select_related("enterprise"):
        by_year.setdefault(row.year, []).append(row)
    return by_year


def _scale_history(by_year: dict[int, list]) -> None:
    """The years before the reports: output (and what follows it) and employees to the zone's facts."""
    factors: dict[int, tuple[Decimal, Decimal]] = {}
    for year in sorted(by_year, reverse=True):
        rows = by_year[year]
        if year in FACTS:
            _area, output, employees = FACTS[year]
            factor = _scale_to(rows, "output_value", Decimal(output))
            staff = _scale_to(rows, "employees", employees, integer=True)
            factors[year] = (factor, staff)
        else:
            factor, staff = factors.get(year + 1, (Decimal(1), Decimal(1)))
            for r in rows:
                r.output_value = _q(Decimal(r.output_value) * factor)
                r.employees = max(1, int((Decimal(r.employees) * staff).to_integral_value(ROUND_HALF_UP)))
        for r in rows:
            for name in MONEY_FIELDS[1:]:
                setattr(r, name, _q(Decimal(getattr(r, name)) * factor))


def _reports_2025(rng, rows: list, desk) -> list[MonthlyReport]:
    out = []
    for record in rows:
        weights = [Decimal(str(round(rng.uniform(0.85, 1.15), 4))) for _ in range(12)]
        parts = {
            name: _split(Decimal(getattr(record, name)), weights)
            for name in ("output_value", "revenue", "tax", "energy_tce")
        }
        for month in range(1, 13):
            employees = record.employees if month == 12 else max(1, round(record.employees * rng.uniform(0.95, 1.02)))
            out.append(
                _report(record.enterprise, 2025, month, {k: v[month - 1] for k, v in parts.items()}, employees, desk)
            )
    return out


def _report(enterprise, year: int, month: int, figures: dict, employees: int, desk) -> MonthlyReport:
    reported = dt.date(year + (month == 12), month % 12 + 1, 5)
    return MonthlyReport(
        zone_id=enterprise.zone_id,
        enterprise=enterprise,
        year=year,
        month=month,
        employees=employees,
        status="confirmed",
        source="import",
        reported_at=timezone.make_aware(dt.datetime.combine(reported, dt.time(9, 30))),
        reported_by=desk,
        confirmed_at=timezone.make_aware(dt.datetime.combine(reported, dt.time(9, 30))),
        **figures,
    )


def _reports_2026(rng, pace: list, staff: dict[int, int], months: int, missing, flagged, desk) -> list[MonthlyReport]:
    """January to ``months`` of 2026 at each enterprise's pace, the confirmed ones adding up to the
    body's January–October figures (pro rata); the missing and flagged cells are left out."""
    cells = []
    for record in pace:
        for month in range(1, months + 1):
            weight = Decimal(str(round(rng.uniform(0.85, 1.15), 4))) / 12
            figures = {
                name: _q(Decimal(getattr(record, name)) * weight)
                for name in ("output_value", "revenue", "tax", "energy_tce")
            }
            employees = max(1, round(staff[record.enterprise_id] * rng.uniform(0.97, 1.06)))
            cells.append(_report(record.enterprise, 2026, month, figures, employees, desk))
    kept = [c for c in cells if not (c.month == months and c.enterprise_id in {missing.pk, flagged.pk})]
    factor = _scale_to(kept, "output_value", OUTPUT_2026_OCT * months / 10)
    _scale_to(kept, "tax", TAX_2026_OCT * months / 10)
    for cell in kept:
        cell.revenue = _q(cell.revenue * factor)
        cell.energy_tce = _q(cell.energy_tce * factor)
    return kept


def _statistics(ctx, rng) -> str:
    from onezone.enterprises.models import EnterpriseMember, EnterpriseYear

    zone = ctx.zone
    desk = ctx.users[Role.DEPT_HEAD.value]
    demo = ctx.extra["enterprise"]
    today = timezone.localdate()
    due_year, due_month = last_due_month(today)
    months_2026 = due_month if due_year == 2026 else (12 if due_year > 2026 else 0)
    by_year = _yearly_records(zone, range(2019, 2027))
    _scale_history({y: rows for y, rows in by_year.items() if y <= 2025})
    made = _reports_2025(rng, by_year[2025], desk)
    staff = {r.enterprise_id: r.employees for r in by_year[2025]}
    linked = set(EnterpriseMember.objects.filter(zone_id=zone.pk).values_list("enterprise_id", flat=True))
    candidates = sorted((r.enterprise for r in by_year[2026] if r.enterprise_id != demo.pk), key=lambda e: e.name)
    missing = next((e for e in candidates if e.pk in linked), candidates[0])
    if months_2026:
        made += _reports_2026(rng, by_year[2026], staff, months_2026, missing, demo, desk)
    MonthlyReport.objects.bulk_create(made, batch_size=1000)
    flagged = None
    if months_2026:
        history = reports.history_of(demo.pk, 2026, months_2026)
        normal = next(c for c in sorted(made, key=lambda c: -c.month) if c.enterprise_id == demo.pk)
        flagged = reports.report_submit(
            actor=ctx.users[Role.ENTERPRISE.value],
            enterprise=demo,
            year=2026,
            month=months_2026,
            output_value=(usual(history["output_value"]) * 10).quantize(CENT, rounding=ROUND_UP),
            revenue=normal.revenue,
            tax=normal.tax,
            employees=normal.employees,
            energy_tce=normal.energy_tce,
        )
    # Each enterprise's yearly records are the sums of its confirmed months.
    sums: dict[tuple[int, int], dict] = {}
    for cell in made:
        into = sums.setdefault(
            (cell.enterprise_id, cell.year),
            {
                "output_value": Decimal(0),
                "revenue": Decimal(0),
                "tax": Decimal(0),
                "energy_tce": Decimal(0),
                "employees": (0, 0),
            },
        )
        for name in ("output_value", "revenue", "tax", "energy_tce"):
            into[name] += getattr(cell, name)
        if cell.month >= into["employees"][0]:
            into["employees"] = (cell.month, cell.employees)
    changed = []
    for year in (2025, 2026):
        for record in by_year.get(year, []):
            found = sums.get((record.enterprise_id, year))
            if found is None:
                continue
            for name in ("output_value", "revenue", "tax", "energy_tce"):
                setattr(record, name, found[name])
            record.employees = found["employees"][1]
            changed.append(record)
    history_rows = [r for y, rows in by_year.items() if y < 2025 for r in rows]
    EnterpriseYear.objects.bulk_update(
        history_rows + changed,
        ["output_value", "revenue", "tax", "employees", "energy_tce", "rd_spend", "exports"],
        batch_size=1000,
    )
    audit_record(
        actor=desk,
        action="support.demo.reports",
        zone_id=zone.pk,
        object_type="support.monthlyreport",
        object_repr="演示数据：企业月度统计与其年度合计",
        changes={"reports": len(made) + (1 if flagged else 0), "years_updated": len(history_rows) + len(changed)},
    )
    chased = reports.reports_chase(today=today)  # the sweep's reminder to the missing reporter
    ctx.extra["support_missing_reporter"] = missing
    ctx.extra["support_flagged_report"] = flagged
    total_2025 = sum(r.output_value for r in by_year[2025])
    return (
        f"企业月报 {len(made) + (1 if flagged else 0)} 份（2025年合计工业总产值 {total_2025 / 100_000_000:.2f}亿元），"
        f"{due_year}年{due_month}月缺报 1 家（{missing.name}，{chased}），待确认 {1 if flagged else 0} 份"
    )


def _labour(ctx) -> str:
    enterprises = ctx.extra["enterprises"]
    demo = ctx.extra["enterprise"]
    desk = ctx.users[Role.DEPT_HEAD.value]
    portal_user = ctx.users[Role.ENTERPRISE.value]
    today = timezone.localdate()
    others = [e for e in enterprises if e.pk != demo.pk]
    hexipu = [e for e in others if e.park.code == "hexipu"]
    dongzhai = [e for e in others if e.park.code == "dongzhai"]
    hosts = {None: demo, 1: hexipu[0], 2: dongzhai[0], 3: dongzhai[1]}
    posted = []
    for index, (host, title, places, (low, high), requirements, place) in enumerate(JOBS):
        enterprise = hosts[host]
        posted.append(
            jobs.job_post(
                actor=portal_user if enterprise == demo else desk,
                enterprise=enterprise,
                title=title,
                places=places,
                pay_min=Decimal(low),
                pay_max=Decimal(high),
                requirements=requirements,
                place=place,
                valid_until=today + dt.timedelta(days=30 + 15 * index),
            )
        )
    applications = 0
    for name, phone, note in APPLICANTS:
        jobs.job_apply(actor=None, job=posted[0], name=name, phone=phone, note=note)
        applications += 1
    jobs.job_apply(actor=None, job=posted[3], name="刘洋", phone="13909351103", note="有低压电工证。")
    applications += 1
    lender = next((e for e in dongzhai + hexipu if _member(e) is not None), dongzhai[0])
    lent = sharing.sharing_propose(
        actor=desk,
        lender=lender,
        borrower=demo,
        workers=6,
        start=today - dt.timedelta(days=20),
        end=today + dt.timedelta(days=70),
        work="镍钴新材料产线检修期间的物料搬运与包装",
    )
    lender_user = _member(lent.lender)
    if lender_user is not None:
        sharing.sharing_confirm(actor=lender_user, sharing=lent)
    sharing.sharing_confirm(actor=portal_user, sharing=lent)
    lent.refresh_from_db()
    placed = 0
    for field, title, needed, names in TALENT:
        need = sharing.talent_need_save(
            actor=desk, zone_id=ctx.zone.pk, field=field, title=title, needed=needed, year=today.year
        )
        for index, person in enumerate(names):
            sharing.talent_place(
                actor=desk,
                need=need,
                person_name=person,
                placed_on=max(dt.date(today.year, 1, 1), today - dt.timedelta(days=11 * (index + 1))),
                enterprise=hexipu[index % len(hexipu)] if field in {"safety", "chemical"} else None,
            )
            placed += 1
    needed = sum(row[2] for row in TALENT)
    return (
        f"招聘岗位 {len(posted)} 个、求职申请 {applications} 份；用工调剂 1 项（{lent.get_status_display()}）；"
        f"人才需求 {len(TALENT)} 项共 {needed} 人，已到岗 {placed} 人"
    )


def _member(enterprise):
    from onezone.enterprises.models import EnterpriseMember

    link = EnterpriseMember.objects.filter(enterprise=enterprise).select_related("user").first()
    return link.user if link else None


def load(ctx) -> None:
    if not ctx.extra.get("enterprises"):
        return
    rng = random.Random(SEED)
    ctx.say(_statistics(ctx, rng))
    ctx.say(_labour(ctx))
