"""Demo step: 高效办成一件事 at the Yongchang window (演示数据).

Two bundles: 企业开办 (registration first, then seal, tax and social insurance in parallel) and 项目开工
(filing and land-use planning, then the works planning permit, then the construction permit). A few
bundle cases go through the bundle services with explicit dates: finished and rated, in a later stage,
waiting for the one-time notice's materials, and just received. Their sub-cases are decided through
the window's own services, so every figure on the efficiency page comes from these records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from onezone.core.calendar import load_calendar
from onezone.core.roles import Role
from onezone.core.workdays import add_working_days, next_workday
from onezone.demo.steps.s50_window import _second_reviewer
from onezone.window import services as window
from onezone.window.bundles import services as bundles
from onezone.window.bundles.models import BundleCase
from onezone.window.models import Case

START_UP = [("YC-KB-001", 1), ("YC-KB-002", 2), ("YC-KB-003", 2), ("YC-KB-004", 2)]
PROJECT_START = [("YC-QT-001", 1), ("YC-XK-006", 1), ("YC-XK-001", 2), ("YC-XK-002", 3)]
APPLICANTS = [
    ("金昌示范新能源储能有限公司", "91620321MA74B3K50X"),
    ("永昌县祁连新材料科技有限公司", "91620321MA74B3K61Y"),
    ("甘肃河西堡循环化工有限公司", "91620321MA74B3K72Q"),
    ("永昌东寨绿色食品有限公司", "91620321MA74B3K83C"),
]


def _uscc(seed: str) -> str:
    from onezone.core.codes import uscc_check_char

    body = seed[:17]
    return body + uscc_check_char(body)


class _Run:
    def __init__(self, ctx: Any, today: dt.date) -> None:
        self.ctx, self.today = ctx, today
        self.calendar = load_calendar()
        self.clerk = ctx.users[Role.CLERK.value]
        self.reviewer = ctx.users[Role.REVIEWER.value]
        self.second = _second_reviewer(ctx)

    def day(self, start: dt.date, working_days: int) -> dt.date:
        return min(add_working_days(self.calendar, start, working_days).date, self.today)

    def decide(self, case: Case, on: dt.date) -> None:
        if case.terms.get("is_instant"):
            window.case_decide(actor=self.clerk, case_id=case.pk, granted=True, text="准予办理（演示数据）。", on=on)
            return
        window.case_review_start(actor=self.reviewer, case_id=case.pk, on=on)
        window.case_review_confirm(actor=self.second, case_id=case.pk, opinion="同意审查人意见（演示数据）。", on=on)
        window.case_decide(
            actor=self.reviewer,
            case_id=case.pk,
            granted=True,
            text="经审查，符合法定条件，准予许可（演示数据）。",
            on=on,
        )

    def stage(self, bundle_case: BundleCase, on: dt.date, *, close: bool = False) -> None:
        for case in Case.objects.filter(bundle_link__bundle_case=bundle_case, state="accepted").order_by("id"):
            # An instant item is decided on the spot (Art. 34), the others after their review.
            decided = case.accepted_on if case.terms.get("is_instant") else on
            self.decide(case, decided)
            if close:
                window.case_deliver(actor=self.clerk, case_id=case.pk, on=decided)
                window.case_close(actor=self.clerk, case_id=case.pk, on=decided)

    def apply(self, bundle, n: int, received: dt.date, *, complete: bool = True) -> BundleCase:
        name, seed = APPLICANTS[n % len(APPLICANTS)]
        from onezone.window.bundles.selectors import bundle_guide

        names = [m["name"] for m in bundle_guide(zone_id=self.ctx.zone.pk, bundle_id=bundle.pk, on=received).materials]
        presented = names if complete else names[:-1]
        return bundles.bundle_receive(
            actor=self.clerk,
            zone_id=self.ctx.zone.pk,
            bundle_id=bundle.pk,
            applicant=window.Applicant(
                kind="enterprise", name=name, uscc=_uscc(seed), contact_name="经办人", mobile=f"1389350{n:04d}"
            ),
            presented=presented,
            park_id=self.ctx.parks["hexipu" if n % 2 else "dongzhai"].pk,
            on=received,
        )

    def through(self, bundle_case: BundleCase, accepted: dt.date, gaps: list[int], *, close: bool) -> dt.date:
        """Accept, then decide each stage ``gaps[i]`` working days after it opened, starting the next."""
        bundles.bundle_accept(actor=self.clerk, bundle_case_id=bundle_case.pk, on=accepted)
        on = accepted
        for i, gap in enumerate(gaps):
            on = self.day(on, gap)
            self.stage(bundle_case, on, close=close)
            if i + 1 < len(gaps):
                bundles.bundle_advance(actor=self.clerk, bundle_case_id=bundle_case.pk, on=on)
        return on


def _members(ctx: Any, codes: list[tuple[str, int]]) -> list[tuple[int, int]]:
    powers = ctx.extra.get("powers") or {}
    return [(powers[code].pk, stage) for code, stage in codes if code in powers]


def load(ctx: Any) -> None:
    powers = ctx.extra.get("powers") or {}
    if not all(code in powers for code, _ in START_UP + PROJECT_START) or Role.CLERK.value not in ctx.users:
        ctx.say("一件事：缺少演示事项或窗口人员，未生成")
        return
    admin = ctx.users[Role.ADMIN.value]
    start_up = bundles.bundle_define(
        actor=admin,
        zone_id=ctx.zone.pk,
        code="qiye-kaiban",
        name="企业开办一件事",
        members=_members(ctx, START_UP),
        description="新设立企业：设立登记、印章刻制、涉税事项、社保登记一次申请、一窗受理（演示数据）。",
        service_objects="拟设立的企业",
        committed_limit=3,
        visits=1,
        place="永昌工业园区政务服务中心“高效办成一件事”综合窗口",
    )
    project = bundles.bundle_define(
        actor=admin,
        zone_id=ctx.zone.pk,
        code="xiangmu-kaigong",
        name="项目开工一件事",
        members=_members(ctx, PROJECT_START),
        description="企业投资工业项目从备案到取得施工许可：各阶段并联审批、一次受理（演示数据）。",
        service_objects="企业投资项目的建设单位",
        committed_limit=30,
        visits=2,
        place="永昌工业园区政务服务中心招商引资项目服务代办窗口",
    )
    run = _Run(ctx, timezone.localdate())
    today, cal = run.today, run.calendar
    ago = lambda days: next_workday(cal, today - dt.timedelta(days=days))  # noqa: E731

    done = run.apply(start_up, 0, ago(120))
    run.through(done, done.received_on, [1, 0], close=True)
    bundles.bundle_rate(number=done.number, query_code=done.query_code, level=5, comment="一次就办好了。")
    second = run.apply(start_up, 1, ago(60))
    run.through(second, second.received_on, [1, 0], close=True)
    waiting = run.apply(start_up, 2, ago(3), complete=False)
    missing = [m["name"] for m in waiting.materials if not m["presented"]]
    bundles.bundle_supplement_request(
        actor=run.clerk, bundle_case_id=waiting.pk, missing=missing, note="请补齐后再来窗口（演示数据）。", on=ago(3)
    )

    built = run.apply(project, 3, ago(150))
    run.through(built, built.received_on, [2, 12, 3], close=True)
    bundles.bundle_rate(number=built.number, query_code=built.query_code, level=4)
    running = run.apply(project, 0, ago(40))
    run.through(running, running.received_on, [4, 8], close=False)
    run.apply(project, 1, today)
    ctx.extra["bundles"] = {"start_up": start_up, "project": project}
    ctx.say(f"一件事：2 个（企业开办、项目开工），一件事办件 {BundleCase.objects.filter(zone=ctx.zone).count()} 件")
