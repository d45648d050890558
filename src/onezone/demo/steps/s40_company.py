"""Demo step: the operating company's books (演示数据).

Standard factory buildings in both parks leased to demo enterprises, rent billed since each lease
began with some of it paid and some in arrears, two loans (one per repayment method), and the
second phase of the Dongzhai standard factories, decided at the committee's meeting of the
foundation demo. Everything goes through the company's services, as company staff.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from onezone.company.services import (
    asset_register,
    bills_generate,
    construction_payment_record,
    contract_sign,
    lease_sign,
    loan_register,
    payment_record,
    progress_record,
    project_create,
)
from onezone.core.roles import Role
from onezone.org.models import AgendaItem
from onezone.org.services import meeting_record

D = Decimal

ASSETS = [
    # code, name, kind, park, cost, acquired, life (months), residual, area m²
    ("DZ-CF-01", "东寨标准化厂房一期1号楼", "factory", "dongzhai", "8600000", "2022-09-28", 240, "0.05", "6200"),
    ("DZ-CF-02", "东寨标准化厂房一期2号楼", "factory", "dongzhai", "8600000", "2022-09-28", 240, "0.05", "6200"),
    ("DZ-CF-03", "东寨标准化厂房一期3号楼", "factory", "dongzhai", "5400000", "2023-06-15", 240, "0.05", "3800"),
    ("HX-CF-01", "河西堡标准化厂房A栋", "factory", "hexipu", "12800000", "2021-11-10", 240, "0.05", "9000"),
    ("HX-CF-02", "河西堡标准化厂房B栋", "factory", "hexipu", "12800000", "2021-11-10", 240, "0.05", "9000"),
    (
        "DZ-LD-01",
        "东寨工业园储备工业用地使用权（120亩）",
        "land",
        "dongzhai",
        "9600000",
        "2021-06-30",
        600,
        "0",
        "80000",
    ),
    ("HX-IN-01", "河西堡工业园污水处理厂配套管网", "infrastructure", "hexipu", "7200000", "2022-12-20", 360, "0", None),
    ("HX-EQ-01", "河西堡工业园公共检测设备", "equipment", "hexipu", "860000", "2023-03-08", 120, "0.05", None),
]

LEASES = [
    # asset code, number, start, end, rent, unit, cycle, deposit, share of the billed rent paid
    ("DZ-CF-01", "YCKF-ZL-2023-001", "2023-01-01", "2027-12-31", "37200", "month", "quarterly", "74400", "all"),
    ("DZ-CF-02", "YCKF-ZL-2023-004", "2023-07-01", "2026-06-30", "420000", "year", "yearly", "70000", "all_but_last"),
    ("DZ-CF-03", "YCKF-ZL-2024-002", "2024-04-01", "2029-03-31", "22800", "month", "monthly", "45600", "first_half"),
    ("HX-CF-01", "YCKF-ZL-2022-003", "2022-03-01", "2027-02-28", "54000", "month", "quarterly", "108000", "all"),
    (
        "HX-CF-02",
        "YCKF-ZL-2025-001",
        "2025-05-01",
        "2030-04-30",
        "648000",
        "year",
        "quarterly",
        "108000",
        "none_recent",
    ),
]

PROJECT_TOPIC = "研究东寨工业园标准化厂房二期建设方案"


def load(ctx) -> None:
    staff = ctx.users[Role.COMPANY_STAFF.value]
    zone = ctx.zone
    today = timezone.localdate()
    assets = {}
    for code, name, kind, park, cost, acquired, life, residual, area in ASSETS:
        assets[code] = asset_register(
            actor=staff,
            zone_id=zone.pk,
            code=code,
            name=name,
            kind=kind,
            park=ctx.parks[park],
            cost=D(cost),
            acquired_on=dt.date.fromisoformat(acquired),
            useful_life_months=life,
            residual_rate=D(residual),
            area_m2=D(area) if area else None,
            status="in_use" if kind in ("infrastructure", "equipment") else "idle",
            location=ctx.parks[park].address,
            note="演示数据",
        )

    leases = _leases(ctx, staff, assets, today)
    decision = _financing_decision(ctx)
    loan_register(
        actor=staff,
        zone_id=zone.pk,
        contract_number="国开甘2025-ZX-0318",
        lender="国家开发银行甘肃省分行",
        principal=D("30000000"),
        annual_rate=D("3.45"),
        start=dt.date(2025, 3, 18),
        term_months=120,
        method="equal_instalments",
        payment_day=20,
        purpose="园区基础设施与标准化厂房一期建设（演示数据）",
        decision=decision,
    )
    loan_register(
        actor=staff,
        zone_id=zone.pk,
        contract_number="甘银永昌2025-LD-0926",
        lender="甘肃银行金昌永昌支行",
        principal=D("4800000"),
        annual_rate=D("3.90"),
        start=dt.date(2025, 9, 26),
        term_months=36,
        method="equal_principal",
        payment_day=21,
        purpose="流动资金（演示数据）",
    )
    project = _phase_two(ctx, staff)
    ctx.extra["company_project"] = project
    ctx.say(
        f"开发运营公司：资产 {len(assets)} 项，租赁合同 {len(leases)} 份，借款 2 笔，"
        f"建设项目“{project.name}”（演示数据）"
    )


def _leases(ctx, staff, assets, today: dt.date) -> list:
    enterprises = ctx.extra.get("enterprises")
    if not enterprises:
        ctx.say("开发运营公司：没有演示企业，跳过厂房租赁")
        return []
    by_park: dict[int, list] = {}
    for enterprise in enterprises:
        by_park.setdefault(enterprise.park_id, []).append(enterprise)
    used: set[int] = set()
    leases = []
    for code, number, start, end, rent, unit, cycle, deposit, paid in LEASES:
        asset = assets[code]
        candidates = [e for e in by_park.get(asset.park_id, enterprises) if e.pk not in used] or [
            e for e in enterprises if e.pk not in used
        ]
        lessee = candidates[0]
        used.add(lessee.pk)
        start_on = dt.date.fromisoformat(start)
        lease = lease_sign(
            actor=staff,
            asset=asset,
            number=number,
            lessee=lessee,
            start=start_on,
            end=dt.date.fromisoformat(end),
            rent=D(rent),
            rent_unit=unit,
            deposit=D(deposit),
            billing_cycle=cycle,
            signed_on=start_on - dt.timedelta(days=15),
        )
        bills = bills_generate(actor=staff, lease=lease, through=today)
        _pay(staff, lease, bills, paid, today)
        leases.append(lease)
    return leases


def _pay(staff, lease, bills, how: str, today: dt.date) -> None:
    """Pay the bills as the demo's lessees do: on time, late, in part, or not lately."""
    if how == "all":
        chosen = bills
    elif how == "all_but_last":
        chosen = bills[:-1]
    elif how == "first_half":
        chosen = bills[: len(bills) // 2]
    else:  # "none_recent": paid for its first year, nothing since
        chosen = [b for b in bills if b.period_start < lease.start + dt.timedelta(days=365)]
    for index, bill in enumerate(chosen):
        paid_on = min(bill.due_on + dt.timedelta(days=5 + 7 * (index % 3)), today)
        payment_record(actor=staff, lease=lease, paid_on=paid_on, amount=bill.amount, reference=f"HD{bill.number[2:]}")
    if how == "first_half" and len(bills) > len(chosen):
        # One part payment on the first unpaid month.
        bill = bills[len(chosen)]
        payment_record(
            actor=staff,
            lease=lease,
            paid_on=min(bill.due_on + dt.timedelta(days=20), today),
            amount=(bill.amount / 2).quantize(D("0.01")),
            reference=f"HD{bill.number[2:]}-1",
        )


def _financing_decision(ctx) -> AgendaItem:
    """The committee's decision on the development bank loan (above the company's threshold)."""
    meeting = meeting_record(
        actor=ctx.users[Role.LEADER.value],
        zone_id=ctx.zone.pk,
        title="2025年第6次主任办公会议",
        kind="directors",
        held_on=dt.date(2025, 3, 6),
        chair=ctx.people.get("王建国"),
        minutes_number="永工管纪〔2025〕6号",
        agenda=[
            {
                "topic": "研究运营公司申请国家开发银行项目贷款事项",
                "presenter": ctx.bodies["company"],
                "approved": True,
                "decision": "同意运营公司申请项目贷款3000万元，期限10年，用于园区基础设施和标准化厂房一期建设。",
                "amount": D("30000000"),
            }
        ],
    )
    return meeting.agenda_items.get()


def _phase_two(ctx, staff):
    decision = AgendaItem.objects.filter(zone_id=ctx.zone.pk, topic=PROJECT_TOPIC, approved=True).first()
    project = project_create(
        actor=staff,
        zone_id=ctx.zone.pk,
        name="东寨工业园标准化厂房二期",
        park=ctx.parks["dongzhai"],
        budget=D("36000000"),
        start=dt.date(2026, 11, 20),
        planned_end=dt.date(2027, 10, 31),
        decision=decision,
        description="新建标准化厂房6栋，建筑面积约3.2万平方米，配套道路、管网（演示数据）。",
    )
    if decision is None:
        ctx.say("开发运营公司：未找到管委会“标准化厂房二期”议题，二期只登记了项目，未登记合同")
        return project
    contract = contract_sign(
        actor=staff,
        project=project,
        number="YCKF-SG-2026-011",
        contractor="甘肃金昌建设工程有限公司",
        amount=D("28000000"),
        signed_on=dt.date(2026, 11, 18),
        decision=decision,
    )
    construction_payment_record(
        actor=staff,
        project=project,
        contract=contract,
        amount=D("5600000"),
        paid_on=dt.date(2026, 11, 22),
        note="工程预付款（合同价20%）",
    )
    progress_record(actor=staff, project=project, on=dt.date(2026, 11, 24), percent=3, note="场地平整，基础放线")
    return project
