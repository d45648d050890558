"""Demo step: special work of today, the gates and their records, emergency plans, teams, supplies, drills,
an incident with its first report, the duty roster and the park's risk self-assessments with the
province's reviewed levels.

Everything is demo data (演示数据), written through the services; times are relative to the moment the
demo loads, so "today" on the desk is always today.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from onezone.core.roles import Role
from onezone.core.services import record_save
from onezone.enterprises.models import Enterprise
from onezone.safety.models import DutyShift, EmergencySupply, EmergencyTeam, Gate, ParkingArea
from onezone.safety.services import operations as works
from onezone.safety.services import operations_emergency as emergency
from onezone.safety.services.operations_gates import gate_passages_import

DEMO_ENTERPRISE = "金昌鑫源新材料有限公司"
# Where the park map's points sit when the safety base has no site for an enterprise (metres).
FALLBACK_SITES = [(820, 1240), (1460, 980), (2100, 1420), (1180, 520), (2480, 760), (600, 700)]

GATES = [
    ("G1", "危化品车辆专用卡口", Gate.Kind.HAZMAT, 150, 900),
    ("G2", "园区北门", Gate.Kind.ORDINARY, 1500, 1900),
    ("G3", "东侧无人值守卡口", Gate.Kind.UNATTENDED, 2950, 1100),
    ("G4", "应急通道", Gate.Kind.EMERGENCY, 1600, 60),
]

RISK_ITEMS = [
    ("1", "园区规划与布局", Decimal(15)),
    ("2", "园区安全管理机构与制度", Decimal(20)),
    ("3", "封闭化管理与危化品运输管控", Decimal(20)),
    ("4", "安全风险智能化管控平台", Decimal(20)),
    ("5", "应急救援能力", Decimal(25)),
]
# year: (scores of the items, the province's reviewed level, reviewed on, document)
RISK_YEARS = {
    2023: (["9", "13", "12.5", "12", "20"], "B", dt.date(2024, 3, 20), "甘应急〔2024〕31号"),
    2024: (["11", "15", "14", "13", "19"], "C", dt.date(2025, 3, 18), "甘应急〔2025〕27号"),
    2025: (["12", "16.5", "15", "14", "21"], "C", dt.date(2026, 3, 25), "甘应急〔2026〕22号"),
}


def _sites(enterprises: list[Enterprise]) -> dict[int, tuple[Decimal, Decimal]]:
    """Each enterprise's site on the park map: the safety base's where it has one."""
    from onezone.safety.models import SafetyProfile

    known = {
        p.enterprise_id: (p.x_m, p.y_m)
        for p in SafetyProfile.objects.filter(enterprise__in=enterprises, x_m__isnull=False, y_m__isnull=False)
    }
    return {
        e.pk: known.get(e.pk, (Decimal(x), Decimal(y)))
        for e, (x, y) in zip(enterprises, FALLBACK_SITES * 4, strict=False)
    }


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_default_timezone())


def _special_work(ctx, chemical: list[Enterprise], sites) -> None:
    admin = ctx.users[Role.ADMIN.value]
    officer = ctx.users[Role.SAFETY_OFFICER.value]
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    jobs = [
        # enterprise, kind, level, place, content, start, end, guardians
        (
            0,
            "hot",
            "special",
            "液氯储罐区防火堤内",
            "液氯储罐进料管线带压堵漏后补焊",
            _at(today, 9),
            _at(today, 15),
            "李红军、马海",
        ),
        (
            1,
            "hot",
            "second",
            "合成车间三楼平台",
            "夜间抢修蒸汽管线法兰焊接",
            _at(today, 21),
            _at(today + dt.timedelta(days=1), 3),
            "王强",
        ),
        (2, "confined", "", "2号反应釜", "反应釜内部清理及内衬检查", _at(today, 8), _at(today, 18), "赵亮、孙涛"),
        (0, "height", "", "精馏塔 25 米平台", "更换塔顶安全阀", _at(today, 8, 30), _at(today, 16), "周斌"),
        (
            3,
            "electricity",
            "",
            "新建仓库工地",
            "施工临时用电",
            _at(today - dt.timedelta(days=5), 8),
            _at(today + dt.timedelta(days=5), 18),
            "陈刚",
        ),
        (1, "lifting", "", "装置区东侧", "吊装换热器管束（约 18 吨）", _at(yesterday, 9), _at(yesterday, 12), "刘洋"),
    ]
    filed = []
    for index, (who, kind, level, place, content, start, end, guardians) in enumerate(jobs, start=1):
        enterprise = chemical[who % len(chemical)]
        x, y = sites[enterprise.pk]
        filed.append(
            works.special_work_file(
                actor=admin,
                enterprise=enterprise,
                kind=kind,
                level=level,
                permit_number=f"ZY-{today:%m%d}-{index:02d}",
                place=place,
                content=content,
                starts_at=start,
                ends_at=end,
                guardians=guardians,
                approver="企业安全总监",
                x_m=x + 40 * index,
                y_m=y - 30 * index,
            )
        )
    works.special_work_close(actor=admin, work=filed[-1], note="吊装完成，现场已清理")
    works.special_work_spot_check(actor=officer, work=filed[0], result="pass", findings="气体检测合格，监护到位")
    works.special_work_spot_check(
        actor=officer, work=filed[2], result="fail", findings="受限空间作业未按规定每2小时复测气体，检测记录缺失"
    )


def _gates(ctx) -> None:
    admin = ctx.users[Role.ADMIN.value]
    park = ctx.parks["hexipu"]
    for code, name, kind, x, y in GATES:
        record_save(
            actor=admin,
            obj=Gate(zone=ctx.zone, park=park, code=code, name=name, kind=kind, x_m=Decimal(x), y_m=Decimal(y)),
            roles=[Role.ADMIN],
        )
    record_save(
        actor=admin,
        obj=ParkingArea(
            zone=ctx.zone,
            park=park,
            code="P1",
            name="危化品车辆专用停车场",
            capacity=12,
            x_m=Decimal(380),
            y_m=Decimal(820),
        ),
        roles=[Role.ADMIN],
    )
    now = timezone.localtime().replace(second=0, microsecond=0)

    def t(hours: float) -> str:
        return f"{now - dt.timedelta(hours=hours):%Y-%m-%d %H:%M:%S}"

    rows = [
        f"G1,入园,{t(30)},甘C35821,,马永福,液氯,1017,28,P1",
        f"G1,入园,{t(5)},甘C62017,,杨建华,液氨,1005,18.5,P1",
        f"G1,入园,{t(3.5)},甘B07731,,何军,硫酸,1830,30,P1",
        f"G1,入园,{t(2)},甘C51190,,张海龙,甲醇,1230,25,",
        f"G1,入园,{t(6)},甘C18823,,李强,盐酸,1789,20,P1",
        f"G1,出园,{t(1)},甘C18823,,李强,,,,",
        f"G2,入园,{t(4)},甘C90210,,王磊,,,,",
        f"G2,出园,{t(2.5)},甘C90210,,王磊,,,,",
        f"G2,入园,{t(3)},,刘晓东,,,,,",
        f"G3,入园,{t(1.5)},,赵工,,,,,",
    ]
    header = "卡口编号,方向,通行时间,车牌号,人员姓名,驾驶员,危险化学品,UN编号,数量（吨）,停车场"
    gate_passages_import(
        actor=ctx.users[Role.SAFETY_OFFICER.value], zone_id=ctx.zone.pk, content="\n".join([header, *rows]).encode()
    )


def _emergency(ctx, chemical: list[Enterprise], sites) -> None:
    admin = ctx.users[Role.ADMIN.value]
    officer = ctx.users[Role.SAFETY_OFFICER.value]
    today = timezone.localdate()
    zone_id = ctx.zone.pk
    park_plan = emergency.emergency_plan_file(
        actor=officer,
        zone_id=zone_id,
        title="永昌工业园区生产安全事故综合应急预案",
        kind="comprehensive",
        version="2024版",
        issued_on=dt.date(2021, 6, 1),
        revised_on=dt.date(2024, 5, 20),
    )
    old_plan = emergency.emergency_plan_file(
        actor=officer,
        zone_id=zone_id,
        title="河西堡工业园危险化学品运输事故专项应急预案",
        kind="specific",
        version="2022版",
        issued_on=dt.date(2022, 6, 15),
    )
    emergency.drill_record(
        actor=officer,
        plan=park_plan,
        held_on=today - dt.timedelta(days=120),
        form="live",
        participants=160,
        summary="园区、企业、消防联动，疏散及堵漏处置用时符合预案要求",
    )
    emergency.drill_record(
        actor=officer,
        plan=old_plan,
        held_on=today - dt.timedelta(days=300),
        form="tabletop",
        participants=24,
        summary="桌面推演槽罐车泄漏处置流程，明确交通管制分工",
    )
    for index, enterprise in enumerate(chemical[:3]):
        plan = emergency.emergency_plan_file(
            actor=admin,
            zone_id=zone_id,
            enterprise=enterprise,
            title=f"{enterprise.name}泄漏事故现场处置方案",
            kind="on_site",
            version="V3",
            issued_on=dt.date(2024, 3, 1),
        )
        last = today - dt.timedelta(days=(240 if index == 1 else 60 + 20 * index))
        emergency.drill_record(
            actor=admin,
            plan=plan,
            held_on=last,
            form="live",
            participants=30 + 5 * index,
            summary="泄漏报警、紧急切断和人员疏散演练",
        )
    teams = [
        (None, "园区专职消防救援站", "full_time", 36, "蒋卫东", "0935-7521119", (300, 1000)),
        (chemical[0], f"{chemical[0].name}兼职救援队", "part_time", 18, "李红军", "0935-7526601", None),
        (
            chemical[1 % len(chemical)],
            f"{chemical[1 % len(chemical)].name}气防站",
            "full_time",
            12,
            "王强",
            "0935-7526602",
            None,
        ),
    ]
    saved = []
    for enterprise, name, kind, members, leader, phone, at in teams:
        x, y = at or sites[enterprise.pk]
        saved.append(
            record_save(
                actor=admin,
                obj=EmergencyTeam(
                    zone=ctx.zone,
                    enterprise=enterprise,
                    name=name,
                    kind=kind,
                    members=members,
                    leader=leader,
                    phone=phone,
                    base="河西堡工业园",
                    x_m=Decimal(x),
                    y_m=Decimal(y),
                ),
                roles=[Role.ADMIN],
            )
        )
    for team, name, quantity, unit, location in [
        (saved[0], "重型防化服", "24", "套", "消防救援站器材库"),
        (saved[0], "正压式空气呼吸器", "40", "具", "消防救援站器材库"),
        (saved[0], "泡沫灭火剂", "12.5", "吨", "消防救援站泡沫罐"),
        (saved[1], "堵漏工具", "6", "套", "企业应急物资库"),
        (None, "吸附棉", "800", "千克", "园区应急物资储备库"),
    ]:
        record_save(
            actor=admin,
            obj=EmergencySupply(
                zone=ctx.zone,
                team=team,
                name=name,
                quantity=Decimal(quantity),
                unit=unit,
                location=location,
                checked_on=today - dt.timedelta(days=20),
            ),
            roles=[Role.ADMIN],
        )
    occurred = _at(today - dt.timedelta(days=18), 10, 5)
    emergency.incident_report(
        actor=admin,
        enterprise=chemical[1 % len(chemical)],
        title="循环水泵房管线法兰泄漏致一人灼伤",
        place="循环水泵房",
        occurred_at=occurred,
        reported_at=occurred + dt.timedelta(minutes=75),
        injuries=1,
        cause="法兰垫片老化，检修时未泄压",
        measures="伤者送医，关闭上游阀门，泄漏物已收集处置",
    )
    body = ctx.bodies["emergency"]
    for offset in (-1, 0, 1, 2):
        day = today + dt.timedelta(days=offset)
        for post, name, phone in [
            (DutyShift.Post.LEADER, "王建国" if offset % 2 == 0 else "蒋卫东", "13909350001"),
            (DutyShift.Post.OFFICER, "马国栋" if offset % 2 == 0 else "韩梅", "13909350019"),
        ]:
            record_save(
                actor=admin,
                obj=DutyShift(zone=ctx.zone, on=day, post=post, name=name, phone=phone, body=body),
                roles=[Role.ADMIN],
            )


def _risk(ctx) -> None:
    officer = ctx.users[Role.SAFETY_OFFICER.value]
    province = ctx.users[Role.PROVINCE_SUPERVISOR.value]
    for year, (scores, reviewed, on, document) in RISK_YEARS.items():
        items = [
            {"code": code, "name": name, "full": full, "score": score}
            for (code, name, full), score in zip(RISK_ITEMS, scores, strict=True)
        ]
        assessment = works.risk_assessment_submit(actor=officer, park=ctx.parks["hexipu"], year=year, items=items)
        works.risk_assessment_review(
            actor=province, assessment=assessment, level=reviewed, reviewed_on=on, document=document
        )


def load(ctx) -> None:
    zone = ctx.zone
    chemical = list(
        Enterprise.objects.filter(zone=zone, park=ctx.parks["hexipu"], industry_code__startswith="C26").order_by(
            "name"
        )[:5]
    )
    demo = Enterprise.objects.filter(zone=zone, name=DEMO_ENTERPRISE).first()
    if demo is not None:
        chemical.insert(0, demo)
    sites = _sites(chemical)
    _gates(ctx)
    _special_work(ctx, chemical, sites)
    _emergency(ctx, chemical, sites)
    _risk(ctx)
    ctx.say("安全监管：今日特殊作业、卡口通行、应急预案与演练、事故快报、值班表、园区安全风险评估（演示数据）")
