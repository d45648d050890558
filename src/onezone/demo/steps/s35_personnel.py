"""Demo step: the committee's staff on contracts, appraisal schemes, the 2024 and 2025 yearly appraisals,
an open quarterly appraisal, and the October 2026 payroll (演示数据).

Everything goes through the personnel services; the grades, the quota and the pay are computed.
A few staff are added so that bodies are large enough for the 优秀 quota to matter.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from onezone.org.models import Appointment, Person, Post
from onezone.personnel.models import Appraisal, EmploymentContract, PostGradePay
from onezone.personnel.services import (
    contract_activate,
    contract_create,
    contract_renew,
    cycle_close,
    cycle_open,
    indicator_inputs_record,
    payroll_run_approve,
    payroll_run_create,
    payroll_run_pay,
    ratings_record,
    scheme_define,
)

D = Decimal

GRADE_PAY = [
    # category, grade, monthly base pay (yuan) from 2024-01-01
    ("management", "正科级", "7800"),
    ("management", "副科级", "6900"),
    ("management", "股级", "5600"),
    ("management", "科员", "4600"),
    ("management", "公司高管", "9000"),
    ("professional", "中级", "5200"),
    ("professional", "初级", "4500"),
    ("support", "技术工", "3800"),
]
RAISE_2026 = [("management", "科员", "4800"), ("professional", "初级", "4700")]

EXTRA_POSTS = [
    # body key, title, category, grade, headcount
    ("office", "文秘", "management", "科员", 2),
    ("office", "驾驶员", "support", "技术工", 1),
]

EXTRA_STAFF = [
    # name, body key, post title, start
    ("罗文静", "office", "文秘", "2022-03-01"),
    ("邓宇航", "office", "文秘", "2023-02-01"),
    ("田守仁", "office", "驾驶员", "2021-06-01"),
    ("唐佳怡", "service", "窗口受理员", "2022-05-01"),
    ("许浩然", "service", "窗口受理员", "2023-03-01"),
    ("彭雅琴", "service", "审查员", "2022-09-01"),
]

# (self, leader, peer) for 2025; the 2024 scores are these minus a few points.
SCORES = {
    "王建国": (95, 94, 93),
    "马红梅": (94, 92, 91),
    "何永平": (90, 86, 85),
    "管理员": (85, 80, 82),
    "杨志华": (96, 95, 94),
    "孙丽娟": (95, 93, 92),
    "罗文静": (93, 92, 91),
    "邓宇航": (80, 78, 80),
    "田守仁": (70, 55, 58),
    "李淑芬": (92, 90, 88),
    "高鹏": (85, 84, 83),
    "钱国栋": (90, 88, 89),
    "刘海涛": (93, 91, 90),
    "陈志强": (84, 82, 80),
    "冯雪": (86, 84, 85),
    "蒋卫东": (88, 86, 87),
    "韩梅": (94, 92, 93),
    "张晓燕": (95, 94, 92),
    "赵立新": (88, 87, 86),
    "唐佳怡": (92, 91, 92),
    "许浩然": (78, 70, 72),
    "彭雅琴": (82, 80, 81),
    "周文博": (90, 88, 87),
    "吕建军": (80, 79, 78),
}
ABSENT_DAYS = {"何永平": 3, "管理员": 2, "邓宇航": 4}
EXPIRING_SOON = {"高鹏": 25, "陈志强": 45, "许浩然": 58}


def load(ctx) -> None:
    hr = ctx.users["hr_officer"]
    zone = ctx.zone
    today = timezone.localdate()

    for category, grade, amount in GRADE_PAY:
        PostGradePay.objects.create(
            zone=zone, category=category, grade=grade, base_pay=D(amount), effective_from=dt.date(2024, 1, 1)
        )
    for category, grade, amount in RAISE_2026:
        PostGradePay.objects.create(
            zone=zone, category=category, grade=grade, base_pay=D(amount), effective_from=dt.date(2026, 7, 1)
        )

    posts = {(p.body_id, p.title): p for p in Post.objects.filter(zone=zone)}
    for body_key, title, category, grade, headcount in EXTRA_POSTS:
        body = ctx.bodies[body_key]
        posts[(body.pk, title)] = Post.objects.create(
            zone=zone, body=body, title=title, category=category, grade=grade, headcount=headcount
        )
    for name, body_key, title, start in EXTRA_STAFF:
        person = Person.objects.create(zone=zone, name=name)
        Appointment.objects.create(
            zone=zone, person=person, post=posts[(ctx.bodies[body_key].pk, title)], start=dt.date.fromisoformat(start)
        )
        ctx.people[name] = person

    _contracts(ctx, hr, today)
    _schemes(ctx, hr)
    cycles = [_yearly(ctx, hr, 2024), _yearly(ctx, hr, 2025)]
    quarter = cycle_open(
        actor=hr,
        zone_id=zone.pk,
        name="2026年第四季度考核",
        period="quarterly",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 12, 31),
    )
    _rate(hr, quarter, only=["杨志华", "孙丽娟", "罗文静", "韩梅", "张晓燕"])

    office = payroll_run_create(
        actor=hr, body=ctx.bodies["office"], month=dt.date(2026, 10, 1), pool=D("36000.00"), cycle=cycles[-1]
    )
    payroll_run_pay(actor=hr, run=payroll_run_approve(actor=hr, run=office))
    service = payroll_run_create(
        actor=hr, body=ctx.bodies["service"], month=dt.date(2026, 10, 1), pool=D("25000.00"), cycle=cycles[-1]
    )
    payroll_run_approve(actor=hr, run=service)
    ctx.extra["personnel_cycles"] = {"2024": cycles[0], "2025": cycles[1], "2026Q4": quarter}
    ctx.extra["payroll_runs"] = {"office": office, "service": service}
    flagged = EmploymentContract.objects.filter(zone=zone, review_flag=True).count()
    ctx.say(
        f"人事薪酬（演示数据）：聘用合同 {EmploymentContract.objects.filter(zone=zone).count()} 份，"
        f"年度考核 2 次，季度考核 1 次（评分中），2026年10月工资核算 2 份，待审查合同 {flagged} 份"
    )


def _principal(person: Person) -> Appointment:
    appointments = list(person.appointments.all())
    return next((a for a in appointments if not a.is_concurrent), appointments[0])


def _contracts(ctx, hr, today: dt.date) -> None:
    for number, (name, person) in enumerate(sorted(ctx.people.items()), start=1):
        held = _principal(person)
        code = f"永工聘〔{held.start.year}〕{number:03d}号"
        if name in EXPIRING_SOON:
            # A first contract renewed once, the renewal now close to its end.
            first = contract_create(
                actor=hr,
                person=person,
                post=held.post,
                number=code,
                start=held.start,
                end=dt.date(held.start.year + 2, held.start.month, 1) - dt.timedelta(days=1),
                probation_months=3,
            )
            contract_activate(actor=hr, contract=first)
            contract_renew(
                actor=hr,
                contract=first,
                end=today + dt.timedelta(days=EXPIRING_SOON[name]),
                number=f"永工聘〔{first.end.year + 1}〕{number:03d}号",
            )
            continue
        head = held.post.is_head and held.post.category == "management"
        contract = contract_create(
            actor=hr,
            person=person,
            post=held.post,
            number=code,
            start=held.start,
            end=None if head else dt.date(2028, 12, 31),
            term_type=EmploymentContract.TermType.OPEN_ENDED if head else EmploymentContract.TermType.FIXED,
            probation_months=0 if head else 3,
        )
        contract_activate(actor=hr, contract=contract)


def _schemes(ctx, hr) -> None:
    zone_id = ctx.zone.pk
    scheme_define(
        actor=hr,
        zone_id=zone_id,
        name="管理岗位考核方案",
        category="management",
        note="德、能、勤、绩、廉；会议督办任务按时办结率取自会议督办记录。",
        indicators=[
            {"name": "工作实绩", "weight": 40, "description": "年度目标任务完成情况"},
            {"name": "能力作风", "weight": 20, "description": "履职能力、工作作风、廉洁自律"},
            {
                "name": "督办任务按时办结",
                "weight": 20,
                "source": "metric",
                "metric_key": "org.meeting_tasks_on_time",
                "description": "会议督办任务按时办结率（%），无任务时不计入",
            },
            {
                "name": "出勤",
                "weight": 20,
                "source": "formula",
                "formula": "max(0, 100 - 5*absent_days)",
                "description": "每缺勤一天扣 5 分",
            },
        ],
    )
    scheme_define(
        actor=hr,
        zone_id=zone_id,
        name="专业技术岗位考核方案",
        category="professional",
        indicators=[
            {"name": "业务能力", "weight": 30},
            {"name": "工作实绩", "weight": 50},
            {"name": "服务评价", "weight": 20, "description": "办事群众和企业的评价"},
        ],
    )
    scheme_define(
        actor=hr,
        zone_id=zone_id,
        name="工勤技能岗位考核方案",
        category="support",
        indicators=[{"name": "工作质量", "weight": 60}, {"name": "工作态度", "weight": 40}],
    )


def _rate(hr, cycle, *, minus: int = 0, only: list[str] | None = None) -> None:
    appraisals = Appraisal.objects.filter(cycle=cycle).select_related("person", "scheme")
    for appraisal in appraisals:
        name = appraisal.person.name
        if only is not None and name not in only:
            continue
        triple = SCORES.get(name, (80, 80, 80))
        indicators = list(appraisal.scheme.indicators.all())
        marks = {}
        for offset, indicator in enumerate(i for i in indicators if i.source == "manual"):
            for kind, score in zip(("self", "leader", "peer"), triple, strict=True):
                marks[(indicator.pk, kind)] = max(0, min(100, score - minus - offset))
        ratings_record(actor=hr, appraisal=appraisal, scores=marks)
        for indicator in indicators:
            if indicator.source == "formula":
                indicator_inputs_record(
                    actor=hr, appraisal=appraisal, indicator=indicator, inputs={"absent_days": ABSENT_DAYS.get(name, 0)}
                )


def _yearly(ctx, hr, year: int):
    cycle = cycle_open(
        actor=hr,
        zone_id=ctx.zone.pk,
        name=f"{year}年度考核",
        period="yearly",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )
    _rate(hr, cycle, minus=2025 - year)
    return cycle_close(actor=hr, cycle=cycle)
