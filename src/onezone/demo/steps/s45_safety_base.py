"""Demo step: the safety base of the zone's chemical enterprises in 河西堡工业园 — their sites, licences
(one expiring soon), the key supervised processes, hazardous chemicals, filings and contractors —
major hazard installations graded by GB 18218-2018 with their responsible people and checks (one
overdue), risk points of all four levels, and hidden hazards in every state: a 重大 one under 挂牌督办
with its 五落实 plan, one overdue, one rejected back to rectification; and the day's sweep has raised
their warnings.

Everything is demo data (演示数据), written through the services; dates are relative to the day the
demo loads. The enterprises are those the safety operations step uses (the demo enterprise and the
first five chemical enterprises of 河西堡 by name), on the same map positions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from onezone.core.roles import Role
from onezone.enterprises.models import Enterprise
from onezone.safety.services import base as services
from onezone.safety.services import base_hazards as hazards

DEMO_ENTERPRISE = "金昌鑫源新材料有限公司"
# Sites on the park map (metres east and north of the map's origin), in the order of the enterprises.
SITES = [(820, 1240), (1460, 980), (2100, 1420), (1180, 520), (2480, 760), (600, 700)]

# Per enterprise (by position): processes, installations (name, kind, people within 500 m, substances,
# offset of the unit from the site), hazardous chemicals on site.
PLANS = [
    {
        "processes": ["fluorination", "hydrogenation"],
        "installations": [
            ("氟化氢装置", "unit", 45, [("氟化氢", "3"), ("氢", "2")], (40, 30)),
            ("氢气充装站", "unit", 45, [("氢", "3")], (-60, 20)),
        ],
        "chemicals": [("氟化氢", "7664-39-3", "3"), ("氢", "1333-74-0", "5")],
    },
    {
        "processes": ["chlor_alkali", "chlorination"],
        "installations": [
            ("液氯储罐区", "storage", 120, [("液氯", "60")], (50, -40)),
            ("电解车间", "unit", 120, [("氯", "3"), ("氢", "1")], (-40, 10)),
        ],
        "chemicals": [("液氯", "7782-50-5", "63"), ("氢", "1333-74-0", "1")],
    },
    {
        "processes": ["ammonia", "hydrogenation"],
        "installations": [("液氨储罐", "storage", 200, [("液氨", "150")], (30, 40))],
        "chemicals": [("液氨", "7664-41-7", "150")],
    },
    {
        "processes": ["phosgenation"],
        "installations": [("光气及光气化装置", "unit", 60, [("光气", "2")], (20, -30))],
        "chemicals": [("碳酰氯（光气）", "75-44-5", "2"), ("氯", "7782-50-5", "4")],
    },
    {
        "processes": ["oxidation"],
        "installations": [("甲醇罐区", "storage", 20, [("甲醇", "800")], (-30, -30))],
        "chemicals": [("甲醇", "67-56-1", "800")],
    },
    {
        "processes": ["calcium_carbide"],
        "installations": [("电石库", "storage", 0, [("电石", "500")], (25, 25))],
        "chemicals": [("电石", "75-20-7", "500")],
    },
]

# name, level, controls, owner; by enterprise position and installation name.
RISKS = [
    (
        1,
        "液氯储罐区",
        "液氯储罐泄漏",
        "major",
        "储罐紧急切断与氯气吸收装置联锁；双人巡检；泄漏报警接入DCS",
        "罐区主任 赵建军",
    ),
    (
        3,
        "光气及光气化装置",
        "光气合成反应器",
        "major",
        "负压操作、破坏处理系统备用；有毒气体报警与SIS联锁",
        "装置主任 周立",
    ),
    (2, "液氨储罐", "液氨装卸区", "larger", "装卸鹤管拉断阀；静电接地报警；装卸全程视频监控", "储运部 钱鹏"),
    (0, "氟化氢装置", "氟化反应釜", "larger", "反应温度与进料联锁；尾气碱洗吸收", "车间主任 孙磊"),
    (4, "甲醇罐区", "甲醇储罐区防火堤", "general", "防火堤完好检查；可燃气体报警；泡沫灭火系统月检", "罐区班长 李强"),
    (5, "电石库", "电石库房防潮", "general", "库房防水检查；氮气保护；严禁水源进入", "仓储主管 吴敏"),
    (1, "电解车间", "电解槽检修作业", "low", "检修作业票制度；断电挂牌", "车间主任 郑浩"),
    (0, "氢气充装站", "钢瓶充装区", "low", "充装前检查；防静电措施", "站长 冯涛"),
]

RESPONSIBLES = [
    ("main", "总经理", "主要负责人"),
    ("technical", "总工程师", "技术负责人"),
    ("operations", "生产部经理", "操作负责人"),
]
NAMES = ["陈志强", "林国华", "黄海波", "张明远", "刘建平", "王志刚", "李振华", "杨立新", "赵永强", "孙德胜"]


def _enterprises(ctx) -> list[Enterprise]:
    chemical = list(
        Enterprise.objects.filter(zone=ctx.zone, park=ctx.parks["hexipu"], industry_code__startswith="C26").order_by(
            "name"
        )[:5]
    )
    demo = Enterprise.objects.filter(zone=ctx.zone, name=DEMO_ENTERPRISE).first()
    if demo is not None:
        chemical.insert(0, demo)
    return chemical


def _records(ctx, officer, enterprises, today) -> dict[str, object]:
    installations = {}
    for index, (enterprise, plan, (x, y)) in enumerate(zip(enterprises, PLANS, SITES, strict=False)):
        services.profile_save(
            actor=officer,
            enterprise=enterprise,
            x_m=Decimal(x),
            y_m=Decimal(y),
            hazardous_chemicals=True,
            safety_manager=f"{NAMES[index]}（安全总监）",
            safety_phone=f"0935-75{index:02d}119",
        )
        services.processes_set(actor=officer, enterprise=enterprise, processes=plan["processes"])
        for name, cas, quantity in plan["chemicals"]:
            services.chemical_save(
                actor=officer, enterprise=enterprise, name=name, cas=cas, max_quantity_t=Decimal(quantity)
            )
        for name, kind, people, substances, (dx, dy) in plan["installations"]:
            installations[name] = services.installation_save(
                actor=officer,
                enterprise=enterprise,
                name=name,
                kind=kind,
                substances=[{"name": n, "quantity_t": Decimal(q)} for n, q in substances],
                people_exposed=people,
                x_m=Decimal(x + dx),
                y_m=Decimal(y + dy),
                record_number=f"BA6203212024{index:02d}{len(installations) + 1:02d}",
            )
        # A production licence for each; the liquid-ammonia enterprise's expires within the warning period.
        expires = today + dt.timedelta(days=40) if index == 2 else dt.date(today.year + 2, 6, 30)
        services.licence_save(
            actor=officer,
            enterprise=enterprise,
            kind="production",
            number=f"（甘）WH安许证字〔{expires.year - 3}〕{620300 + index:06d}",
            issuer="甘肃省应急管理厅",
            valid_from=dt.date(expires.year - 3, expires.month, min(expires.day, 28)),
            valid_to=expires,
            scope="、".join(n for n, _cas, _q in plan["chemicals"]),
        )
    services.licence_save(
        actor=officer,
        enterprise=enterprises[1],
        kind="use",
        number="甘金危化使字〔2024〕0007",
        issuer="金昌市应急管理局",
        valid_from=dt.date(2024, 9, 1),
        valid_to=dt.date(2027, 8, 31),
        scope="液氯",
    )
    services.filing_submit(
        actor=officer,
        enterprise=enterprises[1],
        kind="overhaul",
        unit="离子膜电解装置",
        starts_on=today + dt.timedelta(days=6),
        ends_on=today + dt.timedelta(days=20),
        measures="编制大检修方案并报园区备案；检修前氯气系统置换合格；动火、受限空间作业逐项办票。",
    )
    services.filing_submit(
        actor=officer,
        enterprise=enterprises[2],
        kind="startup",
        unit="合成氨装置",
        starts_on=today - dt.timedelta(days=3),
        ends_on=today - dt.timedelta(days=1),
        measures="开车条件确认表逐项确认；开车期间主要负责人在岗带班。",
    )
    services.contractor_save(
        actor=officer,
        enterprise=enterprises[1],
        name="甘肃华安石化设备检修有限公司",
        work="离子膜电解槽大修",
        workers=36,
        on_site_from=today + dt.timedelta(days=5),
    )
    services.contractor_save(
        actor=officer,
        enterprise=enterprises[3],
        name="金昌恒泰防腐工程有限公司",
        work="光气装置区管廊防腐",
        workers=12,
        on_site_from=today - dt.timedelta(days=10),
        on_site_to=today + dt.timedelta(days=15),
    )
    return installations


def _responsibility(officer, installations, today) -> None:
    people = iter(NAMES * 4)
    majors = [i for i in installations.values() if i.major]
    for number, installation in enumerate(majors):
        for k, (duty, post, _label) in enumerate(RESPONSIBLES):
            person = services.responsible_save(
                actor=officer,
                installation=installation,
                duty=duty,
                name=next(people),
                post=post,
                phone=f"139{number:02d}{k:02d}{5800 + number * 3 + k:04d}",
            )
            # The liquid-ammonia tanks' operations lead last checked 12 days ago: a weekly check is overdue.
            days_ago = {"main": 30, "technical": 10, "operations": 2}[duty]
            if installation.name == "液氨储罐" and duty == "operations":
                days_ago = 12
            services.responsibility_check_record(
                actor=officer,
                responsible=person,
                checked_on=today - dt.timedelta(days=days_ago),
                findings="现场检查储罐液位、压力、温度及报警联锁正常，巡检记录完整（演示数据）。",
            )


def _risk_points(officer, enterprises, installations) -> None:
    for index, installation, name, level, controls, owner in RISKS:
        services.risk_point_save(
            actor=officer,
            enterprise=enterprises[index],
            installation=installations[installation],
            name=name,
            level=level,
            controls=controls,
            owner=owner,
        )


def _hazards(ctx, officer, enterprises, installations, today) -> None:
    body = ctx.bodies["emergency"]
    leader = ctx.users[Role.LEADER.value]

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def later(days: int) -> dt.date:
        return today + dt.timedelta(days=days)

    def record(index, title, description, level, found, deadline, installation=None, inspection=None):
        return hazards.hazard_report(
            actor=officer,
            enterprise=enterprises[index],
            title=title,
            description=description,
            level=level,
            found_on=found,
            deadline=deadline,
            source="inspection" if inspection else "park",
            body=body,
            installation=installations.get(installation) if installation else None,
            inspection=inspection,
        )

    def step(hazard, action, on, note="", actor=None):
        return hazards.hazard_transition(actor=actor or officer, hazard=hazard, action=action, on=on, note=note)

    # 已上报: reported by the demo enterprise itself.
    demo_user = ctx.users.get(Role.ENTERPRISE.value)
    if demo_user is not None and enterprises[0].name == DEMO_ENTERPRISE:
        hazards.hazard_report(
            actor=demo_user,
            enterprise=enterprises[0],
            title="氢气充装站防爆电气接线盒密封不良",
            description="自查发现充装站2号防爆接线盒密封圈老化。",
            level="general",
            found_on=ago(1),
            deadline=later(14),
        )
    # 已交办: found by a safety inspection of the liquid-chlorine tanks (outside the routine quota).
    inspection = _inspection(ctx, enterprises[1], installations["液氯储罐区"], today)
    assigned = record(
        1,
        "液氯储罐区洗消设施水压不足",
        "安全检查发现罐区洗眼器及喷淋设施水压低于0.2MPa。",
        "general",
        ago(3),
        later(12),
        installation="液氯储罐区",
        inspection=inspection.inspection,
    )
    step(assigned, "assign", ago(2), "请于期限内整改并报送整改照片。")
    # 整改中 and overdue.
    overdue = record(
        4,
        "甲醇罐区防火堤排水阀常开",
        "园区排查发现防火堤雨水排放阀处于常开状态。",
        "general",
        ago(40),
        ago(5),
        "甲醇罐区",
    )
    step(overdue, "assign", ago(39))
    step(overdue, "start", ago(35))
    # 已整改待验收.
    rectified = record(
        5, "电石库屋面局部渗漏", "雨后检查发现电石库东北角屋面渗漏。", "general", ago(20), later(5), "电石库"
    )
    step(rectified, "assign", ago(19))
    step(rectified, "start", ago(18))
    step(rectified, "complete", ago(2), "已更换屋面防水卷材并淋水试验合格。")
    # Rejected once, back in rectification.
    rejected = record(
        2, "液氨储罐区喷淋系统喷头堵塞", "喷淋试验中6个喷头出水不畅。", "general", ago(25), later(3), "液氨储罐"
    )
    step(rejected, "assign", ago(24))
    step(rejected, "start", ago(22))
    step(rejected, "complete", ago(8), "已疏通喷头。")
    step(rejected, "reject", ago(6), "复查仍有2个喷头堵塞，退回继续整改。")
    # 已验收销号.
    accepted = record(
        1, "电解车间应急照明不足", "电解车间北侧通道应急照明灯损坏3处。", "general", ago(45), ago(30), "电解车间"
    )
    step(accepted, "assign", ago(44))
    step(accepted, "start", ago(43))
    step(accepted, "complete", ago(36), "已更换应急照明灯。")
    step(accepted, "accept", ago(34), "现场验收合格，销号。")
    # 重大: 五落实 plan, 挂牌督办 by the committee, in rectification.
    major = record(
        3,
        "光气化装置有毒气体检测报警未与紧急切断联锁",
        "光气化装置区12台有毒气体检测报警仪仅声光报警，未与进料紧急切断阀联锁，"
        "不符合危险化学品企业重大事故隐患判定标准。",
        "major",
        ago(15),
        later(45),
        "光气及光气化装置",
    )
    step(major, "assign", ago(14), "列为重大事故隐患，请制定治理方案。")
    hazards.hazard_plan_save(
        actor=officer,
        hazard=major,
        goal="完成有毒气体检测报警与进料紧急切断阀联锁改造，消除重大事故隐患。",
        measures="新增SIS联锁回路12路，更换3台老化检测仪，联锁调试并经第三方验证。",
        funds=Decimal("1860000"),
        materials="SIS控制器扩展卡件、有毒气体检测仪3台、紧急切断阀2台",
        responsible="企业设备副总 周立；安全环保部",
        time_limit=later(45),
        safety_measures="改造期间装置降负荷运行，增设便携式检测仪，每小时人工巡检一次。",
        contingency="执行《光气泄漏专项应急预案》，整改期间应急队伍24小时备勤。",
    )
    step(major, "start", ago(10))
    hazards.hazard_supervise(
        actor=leader,
        hazard=major,
        body=ctx.bodies["committee"],
        leader="王建国",
        started_on=ago(12),
        document="永园安委督〔2026〕1号",
    )


def _inspection(ctx, enterprise, installation, today):
    from onezone.enterprises.services.inspections import JointInspectionOffered
    from onezone.safety.selectors.base import enforcement_items

    items = enforcement_items(zone_id=ctx.zone.pk)
    item = None
    if items:
        from onezone.powers.models import EnforcementItem

        item = EnforcementItem.objects.get(pk=items[0].id)
    plan = {
        "actor": ctx.users[Role.ADMIN.value],
        "enterprise": enterprise,
        "body": ctx.bodies["emergency"],
        "planned_on": today - dt.timedelta(days=3),
        "purpose": "重大危险源安全专项检查（演示数据）",
        "installation": installation,
        "enforcement_item": item,
    }
    try:
        row = services.safety_inspection_plan(**plan)
    except JointInspectionOffered:
        row = services.safety_inspection_plan(**plan, join=True)
    from onezone.enterprises.services.inspections import inspection_complete

    inspection_complete(
        actor=ctx.users[Role.ADMIN.value],
        inspection=row.inspection,
        done_on=today - dt.timedelta(days=3),
        result="发现一般事故隐患1项（洗消设施水压不足），已下达整改通知。",
    )
    return row


def load(ctx) -> None:
    today = timezone.localdate()
    officer = ctx.users[Role.SAFETY_OFFICER.value]
    enterprises = _enterprises(ctx)
    if len(enterprises) < len(PLANS):
        ctx.say("安全基础：化工企业不足，未载入")
        return
    installations = _records(ctx, officer, enterprises, today)
    _responsibility(officer, installations, today)
    _risk_points(officer, enterprises, installations)
    _hazards(ctx, officer, enterprises, installations, today)
    # The sweep's run of the day: the warnings, the escalation and the overdue check are in the inboxes.
    from onezone.safety.sweep import sweep_zone

    sweep_zone(ctx.zone.pk, today)
    from onezone.safety.models import Hazard

    majors = sum(1 for i in installations.values() if i.major)
    count = Hazard.objects.filter(zone=ctx.zone).count()
    ctx.say(
        f"安全基础：化工企业 {len(enterprises)} 家，危险化学品单元 {len(installations)} 个"
        f"（重大危险源 {majors} 处），隐患 {count} 项（演示数据）"
    )
