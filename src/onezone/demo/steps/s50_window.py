"""Demo step 5: cases at the Yongchang window (演示数据).

About 260 cases over the last eleven months across the demo items and both parks, in every state:
accepted on the spot, through the one-time notice, refused (one outside the zone's powers),
withdrawn, under special procedures, extended, decided late, delivered, closed and rated; the most
recent are still open, some near or past their deadlines, and some with deadlines in a year whose
holidays are not published yet (provisional). Ratings include bad ones with their rectification
and an appeal; complaints are routed by the zone's routing rule. Every case goes through the
window's services with explicit dates, so its events, deadlines and audit entries are real.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from onezone.core.calendar import load_calendar
from onezone.core.codes import resident_id_check_char, uscc_check_char
from onezone.core.errors import DomainError
from onezone.core.models import RoleGrant
from onezone.core.roles import Role
from onezone.core.workdays import add_working_days, next_workday
from onezone.org.authority import acts_for
from onezone.org.models import Appointment, Body, Person, Post
from onezone.window import services as svc
from onezone.window.authority import case_body_ids
from onezone.window.models import Case, CaseState

CASES = 120
SPAN_DAYS = 330

COMPANIES = [
    "金昌示范新材料有限公司",
    "永昌县河西堡化工有限责任公司",
    "甘肃东寨生物降解材料有限公司",
    "永昌县绿源农牧产品加工有限公司",
    "金昌市恒通物流有限公司",
    "甘肃永昌新能源科技有限公司",
    "永昌县宏达建筑工程有限公司",
    "河西堡镍钴新材料有限公司",
    "永昌县塞上粮油食品有限公司",
    "甘肃祁连氟化工有限公司",
    "永昌县诚信劳务派遣有限公司",
    "金昌鑫源再生资源有限公司",
]
PEOPLE = ["李建华", "王秀英", "张国庆", "刘芳", "陈建军", "杨丽"]
ITEM_PREFIXES = ("YC-XK-0", "YC-QT-", "YC-GF-")


def _uscc(n: int) -> str:
    body = f"91620321MA{n:07d}"[:17]
    return body + uscc_check_char(body)


def _id_number(n: int) -> str:
    body = f"620321{1975 + n % 25}{(n % 12) + 1:02d}{(n % 27) + 1:02d}{n % 900 + 100:03d}"
    return body + resident_id_check_char(body)


def _second_reviewer(ctx) -> User:
    user, _ = User.objects.get_or_create(
        username="demo-reviewer2",
        defaults={"last_name": "", "first_name": "周敏", "is_staff": True, "email": "demo-reviewer2@demo.invalid"},
    )
    from onezone.demo.loader import DEMO_PASSWORD

    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    RoleGrant.objects.get_or_create(user=user, zone=ctx.zone, role=Role.REVIEWER)
    # The second reviewer (Art. 34) sits at the service centre like the first, so the cases are theirs to review.
    centre = Body.objects.filter(zone=ctx.zone, kind=Body.Kind.SERVICE_CENTRE).order_by("pk").first()
    post, _ = Post.objects.get_or_create(zone=ctx.zone, body=centre, title="第二审查员")
    person, _ = Person.objects.get_or_create(zone=ctx.zone, user=user, defaults={"name": "周敏"})
    Appointment.objects.get_or_create(zone=ctx.zone, person=person, post=post, defaults={"start": dt.date(2021, 7, 1)})
    return user


class _Walk:
    """One case's life, step by step, stopping at the first step that would fall after today."""

    def __init__(self, ctx, rnd: random.Random, today: dt.date, second: User) -> None:
        self.ctx, self.rnd, self.today, self.second = ctx, rnd, today, second
        self.calendar = load_calendar()
        self.clerk = ctx.users[Role.CLERK.value]
        self.reviewer = ctx.users[Role.REVIEWER.value]
        self.head = ctx.users[Role.DEPT_HEAD.value]
        self.leader = ctx.users[Role.LEADER.value]

    def later(self, day: dt.date, working_days: int) -> dt.date:
        return add_working_days(self.calendar, day, working_days).date

    def run(self, item, n: int, received: dt.date) -> Case | None:
        rnd, ctx = self.rnd, self.ctx
        materials = [m.pk for m in item.materials.all()]
        required = list(item.materials.filter(necessity="required").values_list("pk", flat=True))
        path = rnd.random()
        incomplete = path < 0.22 and required
        presented = [m for m in materials if not (incomplete and m == required[-1])]
        if n % 9 == 0:
            applicant = svc.Applicant(
                kind="person",
                name=PEOPLE[n % len(PEOPLE)],
                id_number=_id_number(n),
                mobile=f"139093{n % 100000:05d}",
            )
        else:
            k = n % len(COMPANIES)
            applicant = svc.Applicant(
                kind="enterprise", name=COMPANIES[k], uscc=_uscc(k + 1), contact_name="经办人", mobile=f"138093{k:05d}"
            )
        park = ctx.parks["hexipu" if n % 3 else "dongzhai"]
        try:
            case = svc.case_receive(
                actor=self.clerk,
                zone_id=ctx.zone.pk,
                item_id=item.pk,
                applicant=applicant,
                presented=presented,
                channel=("window", "window", "online", "agent")[n % 4],
                park_id=park.pk,
                on=received,
            )
        except DomainError:
            return None
        day = received
        step = self._step

        if incomplete:
            day = self.later(day, rnd.choice([0, 1, 2]))
            if not step(
                svc.case_supplement_request, case, day, self.clerk, missing=[required[-1]], note="请补齐后提交"
            ):
                return case
            day = self.later(day, rnd.randint(2, 8))
            if not step(svc.case_supplement_receive, case, day, self.clerk, presented=[required[-1]]):
                return case
        if path > 0.95:
            day = self.later(day, 1)
            step(svc.case_withdraw, case, day, self.clerk, reason="申请人书面申请撤回")
            return case
        if 0.9 < path <= 0.95 or n % 29 == 6:
            day = self.later(day, 1)
            outside = n % 2 == 0
            if (
                step(
                    svc.case_refuse,
                    case,
                    day,
                    self.clerk,
                    reason="申请事项不属于本机关职权范围" if outside else "申请人不具备法定条件",
                    outside_powers=outside,
                    competent_office="金昌市生态环境局" if outside else "",
                )
                and n % 3
            ):
                step(svc.case_close, case, self.later(day, 1), self.clerk)
            return case
        late_answer = not incomplete and rnd.random() < 0.05
        day = self.later(day, 7 if late_answer else rnd.choice([0, 0, 1, 2]))
        if not step(svc.case_accept, case, day, self.clerk):
            return case
        case.refresh_from_db()
        if case.terms.get("is_instant"):
            step(svc.case_decide, case, day, self.clerk, granted=True, text="材料齐全，当场办结。")
        else:
            day = self.later(day, 1)
            if not step(svc.case_review_start, case, day, self.reviewer):
                return case
            procedures = case.terms.get("special_procedures") or []
            if procedures and rnd.random() < 0.3:
                day = self.later(day, 1)
                expected = rnd.choice([3, 5, 8])
                if not step(
                    svc.case_suspend,
                    case,
                    day,
                    self.reviewer,
                    procedure=procedures[0],
                    expected_days=expected,
                    notice=f"需组织{dict(svc.SpecialProcedure.choices)[procedures[0]]}，预计 {expected} 个工作日",
                ):
                    return case
                day = self.later(day, expected + rnd.randint(-1, 2))
                if not step(svc.case_resume, case, day, self.reviewer, result="程序完成"):
                    return case
            case.refresh_from_db()
            limit = int(case.terms.get("committed_limit") or case.terms.get("legal_limit") or 10)
            if rnd.random() < 0.06:
                approver = self.head if self._head_approves(case) else self.leader
                ext_day = max(day, self.later(day, max(limit - 2, 0)))
                if case.legal_deadline and ext_day <= case.legal_deadline:
                    if not step(svc.case_extend, case, ext_day, approver, reason="需现场核查，补充专家意见"):
                        return case
                    day = ext_day
            factor = rnd.choice([0.3, 0.5, 0.7, 0.9, 1.0, 1.0, 1.2, 1.6, 3.0])
            day = self.later(day, max(1, int(limit * factor)))
            granted = rnd.random() < 0.9
            opinion = "经核查，同意审查人意见（第二审查人）。"
            if not step(svc.case_review_confirm, case, day, self.second, opinion=opinion):
                return case
            if not step(
                svc.case_decide,
                case,
                day,
                self.reviewer,
                granted=granted,
                text="经审查，符合法定条件、标准。" if granted else "经审查，申请不符合法定条件。",
                licence_number=f"永园许〔{day.year}〕{n:04d}号" if granted else "",
            ):
                return case
        day = self.later(day, rnd.choice([1, 2, 3, 12]))
        if not step(svc.case_deliver, case, day, self.clerk):
            return case
        day = self.later(day, rnd.randint(1, 5))
        step(svc.case_close, case, day, self.clerk)
        return case

    def _head_approves(self, case: Case) -> bool:
        """Art. 42: the department head approves an extension of a case their body holds; the leader
        approves a joint case's and any other."""
        holders = case_body_ids(case.zone_id, case.body_id)
        return not case.terms.get("joint") and acts_for(self.head, zone_id=case.zone_id, body_ids=holders)

    def _step(self, fn, case: Case, day: dt.date, actor, **kwargs: Any) -> bool:
        if day > self.today:
            return False
        fn(actor=actor, case_id=case.pk, on=day, **kwargs)
        return True


def load(ctx) -> None:
    today = timezone.localdate()
    items = [
        item
        for code, item in sorted((ctx.extra.get("powers") or {}).items())
        if code.startswith(ITEM_PREFIXES) and item.category in ("licensing", "other", "public_service")
    ]
    delegated = [
        item
        for code, item in sorted((ctx.extra.get("powers") or {}).items())
        if code.startswith("YC-XK-1") and item.materials.exists()
    ][:12]
    if not items:
        ctx.say("政务服务：没有可用的事项，未生成办件")
        return
    rnd = random.Random(2026)
    walk = _Walk(ctx, rnd, today, _second_reviewer(ctx))
    calendar = load_calendar()
    cases: list[Case] = []
    for n in range(CASES):
        pool = delegated if delegated and n % 7 == 3 else items
        item = pool[n % len(pool)]
        offset = int(SPAN_DAYS * (1 - n / CASES) ** 2)  # more cases in recent weeks
        received = next_workday(calendar, today - dt.timedelta(days=offset))
        if received > today:
            received = today
        case = walk.run(item, n, received)
        if case is not None:
            cases.append(case)

    _ratings_and_complaints(ctx, rnd, today)
    states = {s: Case.objects.filter(zone=ctx.zone, state=s).count() for s in CaseState.values}
    provisional = Case.objects.filter(zone=ctx.zone, is_open=True, deadlines_provisional=True).count()
    overdue = Case.objects.filter(zone=ctx.zone, is_open=True, due_on__lt=today).exclude(state="suspended").count()
    ctx.extra["window_cases"] = cases
    ctx.say(
        f"政务服务：办件 {len(cases)} 件（"
        + "、".join(f"{CaseState(s).label} {c}" for s, c in states.items() if c)
        + f"），在办超期 {overdue} 件，暂定时限 {provisional} 件"
    )


def _ratings_and_complaints(ctx, rnd: random.Random, today: dt.date) -> None:
    closed = list(Case.objects.filter(zone=ctx.zone, state=CaseState.CLOSED).order_by("closed_on", "id"))
    levels = [5, 5, 5, 4, 4, 5, 3, 4, 5, 5]
    bad = []
    for i, case in enumerate(closed):
        if i % 3 == 2:
            continue
        level = 2 if i in (4, 19) else (1 if i == 31 else levels[i % len(levels)])
        comment = {2: "等候时间较长，补正要求解释不清", 1: "多次跑腿，窗口态度生硬"}.get(level, "办理顺利")
        rating = svc.rating_submit(
            case_number=case.number,
            query_code=case.query_code,
            level=level,
            comment=comment,
            channel="online",
            on=min(today, case.closed_on + dt.timedelta(days=1)),
        )
        if level <= 2:
            bad.append(rating)
    head = ctx.users[Role.DEPT_HEAD.value]
    if bad:
        svc.rectification_record(
            actor=head,
            rectification_id=bad[0].rectification.pk,
            measures="对窗口人员开展一次性告知规范培训，补正清单逐项解释",
            follow_up="电话回访申请人，对整改表示认可",
            on=min(today, bad[0].rated_on + dt.timedelta(days=5)),
        )
    if len(bad) > 1:
        svc.rating_appeal(actor=head, rating_id=bad[1].pk, reason="该办件在承诺时限内办结，差评理由与事实不符")
    open_cases = list(Case.objects.filter(zone=ctx.zone, is_open=True).order_by("id")[:3])
    texts = [
        ("王先生", "13909351001", "窗口要求重复提交营业执照复印件"),
        ("赵女士", "13909351002", "补正告知书内容不清楚，跑了两趟"),
        ("陈先生", "", "网上申请后三天无人联系"),
        ("刘女士", "13909351004", "窗口午休时间无人值守"),
    ]
    for i, (who, mobile, content) in enumerate(texts):
        case = open_cases[i] if i < len(open_cases) else None
        on = max(case.received_on if case else today, today - dt.timedelta(days=20 - 5 * i))
        complaint = svc.complaint_register(
            actor=None,
            zone_id=ctx.zone.pk,
            complainant=who,
            mobile=mobile,
            content=content,
            case_id=case.pk if case else None,
            on=min(on, today),
        )
        if i < 2:
            svc.complaint_answer(
                actor=head,
                complaint_id=complaint.pk,
                answer="已核实并整改，向投诉人说明情况。",
                outcome="upheld" if i == 0 else "partly",
                on=min(today, complaint.received_on + dt.timedelta(days=3)),
            )
