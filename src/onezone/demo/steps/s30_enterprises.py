"""Demo step 3: about 200 enterprises in the two parks, their yearly figures, contacts and tags,
the demo enterprise account, requests in every state, and the inspection register.

Everything is demo data (演示数据): names are generated from templates with a fixed seed, USCCs are
valid codes of Yongchang county (620321) that belong to no real company.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.calendar import load_calendar
from onezone.core.codes import USCC_ALPHABET, resident_id_check_char, uscc_check_char
from onezone.core.roles import Role
from onezone.core.workdays import add_working_days
from onezone.enterprises import services
from onezone.enterprises.access import REQUEST_STAFF_ROLES
from onezone.enterprises.models import EnterpriseContact, EnterpriseYear, Inspection
from onezone.enterprises.rules import period_bounds
from onezone.org.authority import may_act

SEED = 20260330
YEARS = range(2019, 2027)
COUNT = 200
DEMO_ENTERPRISE = "金昌鑫源新材料有限公司"

# park key, industry code, name stems, weight; the last ones of each park fit the other park instead.
PROFILES = {
    "hexipu": [
        ("C3211", ["铜业", "有色金属", "铜材"], 10),
        ("C3213", ["镍钴新材料", "镍业", "钴业"], 10),
        ("C3252", ["铝材", "合金材料"], 6),
        ("C2612", ["氯碱化工", "化工"], 8),
        ("C2614", ["精细化工", "化学"], 8),
        ("C2622", ["磷化工", "肥业"], 6),
        ("C2661", ["氟化工", "化学试剂"], 6),
        ("C2521", ["煤化工", "焦化"], 5),
        ("D4416", ["光伏发电", "新能源"], 6),
        ("D4415", ["风力发电", "风电"], 4),
        ("C3841", ["储能科技", "锂电"], 5),
    ],
    "dongzhai": [
        ("C2651", ["生物降解材料", "新材料", "树脂"], 10),
        ("C2921", ["塑业", "包装材料"], 8),
        ("C1351", ["肉业", "牧业食品"], 8),
        ("C1353", ["肉制品", "清真食品"], 5),
        ("C133", ["粮油", "油脂"], 6),
        ("C144", ["乳业", "乳制品"], 5),
        ("C139", ["农产品", "马铃薯制品"], 6),
    ],
}
# Enterprises whose industry lies outside their park's leading industries (错位发展 flags).
MISFITS = [
    ("hexipu", "C1351", "永昌河西堡清真肉业有限公司"),
    ("hexipu", "C2921", "金昌河西堡塑料包装有限公司"),
    ("dongzhai", "C3211", "永昌东寨铜材加工有限公司"),
    ("dongzhai", "C2614", "永昌东寨精细化工有限公司"),
    ("hexipu", "F51", "金昌河西堡物资贸易有限公司"),
]
PREFIXES = ["金昌", "永昌", "甘肃", "金川", "河西", "祁连"]
CORES = list("鑫源昌盛华泰恒宏瑞达祥丰德隆兴益佳瀚嘉博创远宇晟昊凯诚通汇")
FORMS = ["有限公司", "有限责任公司", "股份有限公司"]
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐")
GIVEN = ["建国", "志强", "海燕", "晓东", "丽娟", "国庆", "永平", "红梅", "立新", "文博", "雪梅", "振华", "明", "军"]
STREETS = ["纬一路", "经二路", "金川路", "化工大道", "创业路"]
CONTACT_ROLES = ["总经理", "办公室主任", "财务负责人", "安全环保部长", "行政主管"]


def _uscc(rng: random.Random, used: set[str]) -> str:
    while True:
        organisation = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(7))
        first17 = "91620321" + organisation
        code = first17 + uscc_check_char(first17)
        if code not in used:
            used.add(code)
            return code


def _resident_id(rng: random.Random) -> str:
    born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(30 * 365))
    first17 = f"620321{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + resident_id_check_char(first17)


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def _plans(rng: random.Random) -> list[dict]:
    plans = [{"park": "hexipu", "code": "C3213", "name": DEMO_ENTERPRISE, "size": "above"}]
    used = {DEMO_ENTERPRISE}
    for park, code, name in MISFITS:
        plans.append({"park": park, "code": code, "name": name, "size": "below"})
        used.add(name)
    choices = [
        (park, code, stems) for park, rows in PROFILES.items() for code, stems, weight in rows for _ in range(weight)
    ]
    while len(plans) < COUNT:
        park, code, stems = rng.choice(choices)
        name = f"{rng.choice(PREFIXES)}{rng.choice(CORES)}{rng.choice(CORES)}{rng.choice(stems)}{rng.choice(FORMS)}"
        if name in used:
            continue
        used.add(name)
        plans.append({"park": park, "code": code, "name": name, "size": "above" if rng.random() < 0.35 else "below"})
    return plans


def _tags_for(rng: random.Random, plan: dict) -> list[str]:
    tags = []
    if plan["size"] == "above" and plan["code"].startswith("C"):
        tags.append("above_scale_industry")
    if rng.random() < 0.08 or plan["name"] == DEMO_ENTERPRISE:
        tags.append("zjtx")
    if rng.random() < 0.12 or plan["name"] == DEMO_ENTERPRISE:
        tags.append("hightech")
    if plan["size"] == "below" and rng.random() < 0.15:
        tags.append("tech_sme")
    if rng.random() < 0.06:
        tags.append("foreign_trade")
    return tags


def _risk(rng: random.Random, code: str) -> str:
    if code.startswith(("C25", "C26")):
        return "high" if rng.random() < 0.6 else "medium"
    return "low" if rng.random() < 0.45 else "medium"


def _years(rng: random.Random, enterprise, plan: dict, established: dt.date, tags: list[str]) -> list[EnterpriseYear]:
    above = plan["size"] == "above"
    output = Decimal(rng.randrange(25_000, 1_500_000) if above else rng.randrange(800, 18_000)) * 1000
    heavy = plan["code"][:3] in {"C25", "C26", "C32", "C31"}
    intensity = Decimal(rng.randrange(60, 140) if heavy else rng.randrange(5, 25)) / 100  # tce per 10,000 yuan
    rd_rate = Decimal(rng.randrange(30, 60) if "hightech" in tags or "zjtx" in tags else rng.randrange(2, 15)) / 1000
    export_rate = Decimal(rng.randrange(10, 40)) / 100 if "foreign_trade" in tags else Decimal(0)
    employees = rng.randrange(150, 2500) if above else rng.randrange(12, 150)
    rows = []
    for year in YEARS:
        if year < established.year:
            continue
        growth = Decimal(rng.randrange(88, 122)) / 100
        output = (output * growth).quantize(Decimal("1"))
        revenue = (output * Decimal(rng.randrange(92, 106)) / 100).quantize(Decimal("0.01"))
        employees = max(5, int(employees * rng.uniform(0.95, 1.08)))
        rows.append(
            EnterpriseYear(
                zone_id=enterprise.zone_id,
                enterprise=enterprise,
                year=year,
                output_value=output,
                revenue=revenue,
                tax=(revenue * Decimal(rng.randrange(15, 60)) / 1000).quantize(Decimal("0.01")),
                employees=employees,
                energy_tce=(output / 10_000 * intensity).quantize(Decimal("0.01")),
                rd_spend=(revenue * rd_rate).quantize(Decimal("0.01")),
                exports=(revenue * export_rate).quantize(Decimal("0.01")),
            )
        )
    return rows


def load(ctx) -> None:
    rng = random.Random(SEED)
    zone = ctx.zone
    admin = ctx.users[Role.ADMIN.value]
    services.tags_seed(actor=admin, zone_id=zone.pk)
    services.request_categories_seed(actor=admin, zone_id=zone.pk)

    used: set[str] = set()
    enterprises = []
    years: list[EnterpriseYear] = []
    contacts: list[EnterpriseContact] = []
    for plan in _plans(rng):
        established = dt.date(2004, 1, 1) + dt.timedelta(days=rng.randrange(19 * 365))
        tags = _tags_for(rng, plan)
        enterprise = services.enterprise_register(
            actor=admin,
            zone_id=zone.pk,
            uscc=_uscc(rng, used),
            name=plan["name"],
            industry_code=plan["code"],
            park=ctx.parks[plan["park"]],
            legal_representative=rng.choice(SURNAMES) + rng.choice(GIVEN),
            registered_capital=Decimal(rng.choice([100, 200, 500, 1000, 2000, 5000, 10000, 30000])) * 10_000,
            address=f"{ctx.parks[plan['park']].address}{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
            size=plan["size"],
            status="operating" if rng.random() > 0.04 else rng.choice(["suspended", "building"]),
            established=established,
            risk_level="medium" if plan["name"] == DEMO_ENTERPRISE else _risk(rng, plan["code"]),
            tags=tags,
        )
        enterprises.append(enterprise)
        years.extend(_years(rng, enterprise, plan, established, tags))
        for index in range(rng.choice([1, 1, 2])):
            contacts.append(
                EnterpriseContact(
                    zone_id=zone.pk,
                    enterprise=enterprise,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    role=CONTACT_ROLES[index if index else rng.randrange(len(CONTACT_ROLES))],
                    mobile=_mobile(rng),
                    id_number=_resident_id(rng),
                    is_primary=index == 0,
                )
            )
    with transaction.atomic():
        EnterpriseYear.objects.bulk_create(years, batch_size=1000)
        EnterpriseContact.objects.bulk_create(contacts, batch_size=1000)
        audit_record(
            actor=admin,
            action="enterprises.demo.figures",
            zone_id=zone.pk,
            object_type="enterprises.enterpriseyear",
            object_repr="演示数据：企业年度数据与联系人",
            changes={"years": len(years), "contacts": len(contacts)},
        )

    demo = next(e for e in enterprises if e.name == DEMO_ENTERPRISE)
    services.member_link(actor=admin, user=ctx.users[Role.ENTERPRISE.value], enterprise=demo)
    ctx.extra["enterprises"] = enterprises
    ctx.extra["enterprise"] = demo

    requests = _requests(ctx, rng, enterprises, demo)
    inspections = _inspections(ctx, rng, enterprises, demo)
    ctx.say(
        f"企业：{len(enterprises)} 家（不符合园区定位 {len(MISFITS)} 家），"
        f"年度数据 {len(years)} 条，联系人 {len(contacts)} 名；"
        f"诉求 {requests} 件；涉企检查 {inspections} 项；企业账号 demo-enterprise → {demo.name}"
    )


def _working_days_ago(today: dt.date, n: int) -> dt.date:
    """The date from which ``n`` working days end today (approximately: steps back until they do)."""
    calendar = load_calendar()
    day = today
    while add_working_days(calendar, day, n).date > today:
        day -= dt.timedelta(days=1)
    return day


def _requests(ctx, rng: random.Random, enterprises, demo) -> int:
    today = timezone.localdate()
    staff = ctx.users[Role.INVESTMENT_OFFICER.value]
    member = ctx.users[Role.ENTERPRISE.value]
    others = [e for e in enterprises if e != demo]
    # title, text, state, working days ago, by the demo enterprise, clerk's correction
    scripted = [
        (
            "镍钴车间扩能用地",
            "企业计划扩建镍钴新材料车间，需新增用地约30亩，希望协调地块和厂房。",
            "submitted",
            0,
            True,
            None,
        ),
        ("申报专精特新奖补", "我司已获评省级专精特新企业，咨询奖补政策申报和兑现流程。", "resolved", 12, True, None),
        ("技术工人招聘困难", "今年缺工严重，电解车间招聘不到技工，希望协助组织招聘会。", "closed", 30, True, None),
        ("夏季用电负荷不足", "夏季高峰期间频繁限电，影响连续生产，希望协调供电公司增容。", "submitted", 3, False, None),
        (
            "银行续贷",
            "流动资金周转困难，一笔贷款即将到期，希望协调银行续贷并给予贴息。",
            "acknowledged",
            4,
            False,
            None,
        ),
        ("环评手续办理", "新建生产线需要办理环评和施工许可手续，希望提供代办服务。", "acknowledged", 2, False, None),
        ("蒸汽管网压力不足", "冬季园区蒸汽管网压力不足，影响生产。", "responded", 6, False, "utilities"),
        ("拓展海外市场", "希望园区组织参加国际展会，开拓海外市场和客户。", "responded", 8, False, None),
        (
            "引进高层次人才",
            "研发中心需要引进博士和高级工程师，咨询人才住房和子女入学政策。",
            "resolved",
            15,
            False,
            None,
        ),
        ("产销对接", "希望对接金川集团的采购订单，成为配套供应商。", "closed", 40, False, None),
        ("危化品仓库安全咨询", "危化品仓库改造后的消防和安全隐患整改标准咨询。", "closed", 25, False, None),
        ("厂区道路破损", "厂区门口道路破损严重，大车通行困难，其他企业也有反映。", "reopened", 20, False, None),
    ]
    count = 0
    for title, text, state, ago, by_demo, correction in scripted:
        enterprise = demo if by_demo else rng.choice(others)
        actor = member if by_demo else staff
        request = services.request_submit(
            actor=actor,
            enterprise=enterprise,
            title=title,
            description=text,
            on=_working_days_ago(today, ago),
        )
        count += 1
        if correction:
            request = services.request_category_confirm(
                actor=_desk_staff(ctx, request), request=request, category=correction
            )
        elif state != "submitted":
            request = services.request_category_confirm(
                actor=_desk_staff(ctx, request), request=request, category=request.category
            )
        if state == "submitted":
            continue
        request = services.request_acknowledge(actor=_desk_staff(ctx, request), request=request)
        if state == "acknowledged":
            continue
        request = services.request_respond(
            actor=_desk_staff(ctx, request),
            request=request,
            response=f"已收到“{title}”，承办单位正在协调，一周内反馈进展。",
        )
        if state == "responded":
            continue
        request = services.request_resolve(
            actor=_desk_staff(ctx, request), request=request, resolution=f"“{title}”已协调解决，请企业确认。"
        )
        if state == "resolved":
            continue
        if state == "reopened":
            enterprise_user = _enterprise_user(ctx, enterprise)
            services.request_reopen(actor=enterprise_user, request=request, reason="道路只是临时填补，雨后又坏了。")
            continue
        services.request_confirm(actor=_enterprise_user(ctx, enterprise), request=request, satisfaction="满意")
    services.requests_sweep(today=today)
    return count


def _desk_staff(ctx, request):
    """The demo user who works on the request's handling body (the investment officer for 招商服务局,
    the department head for 经济发展局); the leader, who acts for every body, for any other body."""
    for role in (Role.INVESTMENT_OFFICER, Role.DEPT_HEAD, Role.CLERK, Role.AGENT):
        user = ctx.users[role.value]
        if may_act(user, zone_id=request.zone_id, roles=REQUEST_STAFF_ROLES, body_ids=[request.handling_body_id]):
            return user
    return ctx.users[Role.LEADER.value]


def _enterprise_user(ctx, enterprise):
    """The portal account that confirms for ``enterprise``: the demo account, or a demo account of its own.

    Every demo account is printed with the demo password when the demo starts, so each can sign in with it.
    """
    from django.contrib.auth.models import User

    from onezone.core.models import RoleGrant
    from onezone.demo.loader import DEMO_PASSWORD

    if enterprise == ctx.extra["enterprise"]:
        return ctx.users[Role.ENTERPRISE.value]
    username = f"demo-ent-{enterprise.uscc[-6:].lower()}"
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": enterprise.name[:30], "email": f"{username}@demo.invalid"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        RoleGrant.objects.create(user=user, zone=ctx.zone, role=Role.ENTERPRISE)
        services.member_link(actor=ctx.users[Role.ADMIN.value], user=user, enterprise=enterprise)
    return user


def _inspections(ctx, rng: random.Random, enterprises, demo) -> int:
    today = timezone.localdate()
    head = ctx.users[Role.DEPT_HEAD.value]
    zone = ctx.zone
    services.inspection_rule_save(
        actor=ctx.users[Role.ADMIN.value], zone_id=zone.pk, max_routine=1, period="quarter", joint_window_days=15
    )
    quarter_start = period_bounds(today, "quarter")[0]
    previous_start = period_bounds(quarter_start - dt.timedelta(days=1), "quarter")[0]
    safety, environment, market = ctx.bodies["enforcement"], ctx.bodies["environment"], ctx.bodies["market"]
    checkable = [e for e in enterprises if e.risk_level != "low" and e != demo]
    low = [e for e in enterprises if e.risk_level == "low"]
    rng.shuffle(checkable)

    def plan(enterprise, body, day, kind="routine", purpose="安全生产例行检查", **kw):
        return services.inspection_plan(
            actor=head, enterprise=enterprise, body=body, kind=kind, planned_on=day, purpose=purpose, **kw
        )

    planned = []
    # Last quarter's routine visits, all done; this quarter's spread over its weeks.
    for index, enterprise in enumerate(checkable[:10]):
        planned.append(plan(enterprise, safety, previous_start + dt.timedelta(days=5 + index * 7)))
    for index, enterprise in enumerate(checkable[10:22]):
        body = safety if index % 2 else environment
        purpose = "安全生产例行检查" if body == safety else "环保设施运行与排污许可检查"
        planned.append(plan(enterprise, body, quarter_start + dt.timedelta(days=3 + index * 6), purpose=purpose))
    # Two bodies plan the same enterprise in the same fortnight: one joint inspection (综合查一次).
    joint_target = checkable[22]
    joint_day = max(today + dt.timedelta(days=3), quarter_start + dt.timedelta(days=2))
    planned.append(plan(joint_target, safety, joint_day))
    planned.append(
        plan(joint_target, environment, joint_day + dt.timedelta(days=4), purpose="环保设施运行检查", join=True)
    )
    # A second routine visit in the same quarter is blocked, and so is a routine visit of a low-risk firm.
    blocked_target = checkable[10]
    for enterprise, body, day in (
        (blocked_target, market, quarter_start + dt.timedelta(days=60)),
        (low[0], safety, quarter_start + dt.timedelta(days=20)),
    ):
        with contextlib.suppress(services.InspectionBlocked):
            plan(enterprise, body, day, purpose="例行检查")
    # Triggered visits are allowed and recorded as such.
    planned.append(
        plan(
            blocked_target,
            environment,
            quarter_start + dt.timedelta(days=25),
            kind="complaint",
            purpose="群众投诉夜间异味排放，现场核查",
            trigger_note="12345热线投诉（演示数据）",
        )
    )
    planned.append(
        plan(
            low[1],
            safety,
            quarter_start + dt.timedelta(days=15),
            kind="accident",
            purpose="车间机械伤害事故调查",
            trigger_note="一般生产安全事故报告（演示数据）",
        )
    )
    for inspection in planned:
        inspection.refresh_from_db()
        if inspection.status == Inspection.Status.PLANNED and inspection.planned_on < today:
            services.inspection_complete(
                actor=head, inspection=inspection, done_on=inspection.planned_on, result="未发现问题（演示数据）"
            )
    return Inspection.objects.filter(zone_id=zone.pk).count()
