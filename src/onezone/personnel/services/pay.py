"""Payroll runs and payslips, and reading pay (every view of pay is audited).

Every function checks the actor's role first, runs in one transaction and writes its audit entry.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.money import FEN
from onezone.core.permissions import has_role, require
from onezone.org.models import Body, Person
from onezone.personnel.models import (
    Appraisal,
    AppraisalCycle,
    Grade,
    PayrollRun,
    Payslip,
    PayslipItem,
)
from onezone.personnel.payroll import rate_on, split_pool
from onezone.personnel.selectors import (
    grade_pay_table,
    month_end,
    payslips_of,
    policy_of,
)
from onezone.personnel.services.common import HR_ROLES, status_move
from onezone.personnel.services.cycles import principal_posts

PAYROLL_TRANSITIONS: dict[str, frozenset[str]] = {
    PayrollRun.Status.DRAFT: frozenset({PayrollRun.Status.APPROVED}),
    PayrollRun.Status.APPROVED: frozenset({PayrollRun.Status.PAID}),
}


def _payroll_move(run: PayrollRun, to: str) -> str:
    return status_move(run, to, PAYROLL_TRANSITIONS, subject=f"“{run}”")


def _month(value: dt.date) -> dt.date:
    return value.replace(day=1)


def payroll_run_create(
    *,
    actor: Any,
    body: Body,
    month: dt.date,
    pool: Decimal,
    cycle: AppraisalCycle | None = None,
) -> PayrollRun:
    """Compute a body's payroll for a month: one payslip per person whose principal post is in the body.

    Base pay is that of the post's grade in force on the last day of the month; the performance pool
    is split by the grade coefficients of the latest completed cycle (or ``cycle``) so the parts add
    up exactly to the pool. One run per body and month.
    """
    require(actor, zone_id=body.zone_id, roles=HR_ROLES, action="核算工资")
    month = _month(month)
    last = month_end(month)
    try:
        pool = Decimal(pool)
    except InvalidOperation as exc:
        raise InvalidInput("绩效工资总额不是数字。", fields={"pool": "请填写金额。"}) from exc
    if pool < 0 or pool != pool.quantize(FEN):
        raise InvalidInput("绩效工资总额应为非负数，精确到分。", fields={"pool": "应为非负数，精确到分。"})
    policy = policy_of(body.zone_id)
    with transaction.atomic():
        if cycle is None:
            cycle = (
                AppraisalCycle.objects.filter(zone_id=body.zone_id, status=AppraisalCycle.Status.CLOSED, end__lt=month)
                .order_by("-end", "-pk")
                .first()
            )
        elif not cycle.is_locked or cycle.zone_id != body.zone_id:
            raise InvalidInput(f"考核周期“{cycle.name}”尚未完成，不能作为绩效工资分配依据。")
        posts = {pid: post for pid, post in principal_posts(body.zone_id, last).items() if post.body_id == body.pk}
        if not posts:
            raise InvalidInput(f"{body.name}在{month:%Y年%m月}没有在岗人员，无法核算工资。")
        scales = grade_pay_table(body.zone_id)
        missing = sorted(
            {
                f"{post.get_category_display()}·{post.grade or '（未定等级）'}"
                for post in posts.values()
                if rate_on(scales.get((post.category, post.grade), []), last) is None
            }
        )
        if missing:
            raise InvalidInput(
                f"以下岗位等级在{last}没有基本工资标准：{'、'.join(missing)}；请先在“岗位等级工资”中设置。"
            )
        grades = (
            dict(Appraisal.objects.filter(cycle=cycle, person_id__in=posts).values_list("person_id", "grade"))
            if cycle
            else {}
        )
        people = {p.pk: p for p in Person.objects.filter(pk__in=posts)}
        order = sorted(posts, key=lambda pid: (people[pid].name, pid))
        coefficients = {pid: policy.coefficient(grades.get(pid, "")) for pid in order}
        shares = split_pool(pool, [(pid, coefficients[pid]) for pid in order])
        try:
            with transaction.atomic():
                run = PayrollRun.objects.create(zone_id=body.zone_id, body=body, month=month, pool=pool, cycle=cycle)
        except IntegrityError as exc:
            raise Conflict(f"{body.name}{month:%Y年%m月}的工资已在核算，不能重复核算；请打开已有的核算。") from exc
        slips = []
        for pid in order:
            post = posts[pid]
            base = rate_on(scales[(post.category, post.grade)], last)
            slips.append(
                Payslip(
                    zone_id=body.zone_id,
                    run=run,
                    person_id=pid,
                    post=post,
                    post_grade=post.grade,
                    appraisal_grade=grades.get(pid, ""),
                    coefficient=coefficients[pid],
                    base_pay=base,
                    performance_pay=shares[pid],
                    other_total=Decimal("0.00"),
                    total=base + shares[pid],
                )
            )
        Payslip.objects.bulk_create(slips)
        audit_record(
            actor=actor,
            action="payroll.create",
            obj=run,
            changes={"pool": pool, "payslips": len(slips), "cycle": cycle.name if cycle else ""},
        )
    return run


def payslip_item_add(*, actor: Any, payslip: Payslip, name: str, amount: Decimal) -> PayslipItem:
    """Add an allowance (positive) or deduction (negative) to a payslip of a run still in draft."""
    require(actor, zone_id=payslip.zone_id, roles=HR_ROLES, action="调整工资项目")
    if not name.strip():
        raise InvalidInput("请填写项目名称。", fields={"name": "请填写项目名称。"})
    amount = Decimal(amount)
    if amount != amount.quantize(FEN):
        raise InvalidInput("金额应精确到分。", fields={"amount": "金额应精确到分。"})
    with transaction.atomic():
        run = PayrollRun.objects.select_for_update().get(pk=payslip.run_id)
        if run.status != PayrollRun.Status.DRAFT:
            raise TransitionNotAllowed(f"“{run}”已{run.get_status_display()}，不能再调整工资项目。")
        slip = Payslip.objects.select_for_update().get(pk=payslip.pk)
        item = PayslipItem.objects.create(zone_id=slip.zone_id, payslip=slip, name=name.strip(), amount=amount)
        slip.other_total = sum((i.amount for i in slip.items.all()), Decimal("0.00"))
        slip.total = slip.base_pay + slip.performance_pay + slip.other_total
        slip.save(update_fields=["other_total", "total", "updated_at"])
        audit_record(actor=actor, action="payslip.item_add", obj=slip, changes={"name": item.name, "amount": amount})
    return item


def payroll_run_approve(*, actor: Any, run: PayrollRun) -> PayrollRun:
    """Approve a draft payroll after checking its performance parts add up to the pool."""
    require(actor, zone_id=run.zone_id, roles=HR_ROLES, action="审核工资")
    with transaction.atomic():
        locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
        old = _payroll_move(locked, PayrollRun.Status.APPROVED)
        parts = sum(locked.payslips.values_list("performance_pay", flat=True), Decimal("0.00"))
        if parts != locked.pool:
            raise Conflict(f"绩效工资合计 {parts} 元与总额 {locked.pool} 元不符，请重新核算。")
        locked.approved_at = timezone.now()
        locked.save(update_fields=["status", "approved_at", "updated_at"])
        audit_record(actor=actor, action="payroll.approve", obj=locked, changes={"status": [old, locked.status]})
    return locked


def payroll_run_pay(*, actor: Any, run: PayrollRun) -> PayrollRun:
    """Record that an approved payroll was paid."""
    require(actor, zone_id=run.zone_id, roles=HR_ROLES, action="发放工资")
    with transaction.atomic():
        locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
        old = _payroll_move(locked, PayrollRun.Status.PAID)
        locked.paid_at = timezone.now()
        locked.save(update_fields=["status", "paid_at", "updated_at"])
        audit_record(actor=actor, action="payroll.pay", obj=locked, changes={"status": [old, locked.status]})
    return locked


# Reading pay (every view is audited) -----------------------------------------------------------


def payslip_open(*, actor: Any, payslip_id: int) -> Payslip:
    """One payslip for its owner or HR, with an audit entry; anyone else is refused and nothing is shown."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录后再查看工资条。")
    slip = (
        Payslip.objects.select_related("person", "post", "run__body")
        .prefetch_related("items")
        .filter(pk=payslip_id)
        .first()
    )
    if slip is None:
        raise NotFound("工资条不存在。")
    own = slip.person.user_id is not None and slip.person.user_id == actor.pk
    if own and slip.run.status == PayrollRun.Status.DRAFT:
        raise NotFound("该月工资尚在核算，审核后即可查看。")
    if not own and not has_role(actor, slip.zone_id, HR_ROLES):
        raise PermissionDenied("工资信息只对本人和人事专员开放，您无权查看他人的工资条。")
    audit_record(actor=actor, action="payslip.view", obj=slip, changes={"own": own})
    return slip


def own_payslips_open(*, actor: Any, zone_id: int) -> list[Payslip]:
    """The actor's own payslips (approved or paid), with an audit entry for the view."""
    from onezone.personnel.selectors import own_payslips

    slips = list(own_payslips(actor, zone_id))
    audit_record(
        actor=actor,
        action="payslip.view_own",
        zone_id=zone_id,
        object_type="personnel.payslip",
        object_repr="我的工资条",
        changes={"payslips": [s.pk for s in slips]},
    )
    return slips


def payroll_run_open(*, actor: Any, run: PayrollRun) -> list[Payslip]:
    """All payslips of a run, for HR only, with an audit entry."""
    require(actor, zone_id=run.zone_id, roles=HR_ROLES, action="查看工资")
    slips = list(payslips_of(run))
    audit_record(actor=actor, action="payroll.view", obj=run, changes={"payslips": len(slips)})
    return slips


PAYSLIP_HEADERS = ["姓名", "岗位", "岗位等级", "考核等次", "绩效系数", "基本工资", "绩效工资", "其他项目", "应发合计"]


def payroll_run_export(*, actor: Any, run: PayrollRun) -> bytes:
    """The run's payslips as an .xlsx workbook (amounts as numbers in yuan), audited."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    require(actor, zone_id=run.zone_id, roles=HR_ROLES, action="导出工资表")
    slips = list(payslips_of(run))
    book = Workbook()
    sheet = book.active
    sheet.title = f"{run.month:%Y-%m}"
    sheet.append([f"{run.body.name} {run.month:%Y年%m月}工资表（{run.get_status_display()!s}）"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(PAYSLIP_HEADERS)
    for slip in slips:
        sheet.append(
            [
                slip.person.name,
                slip.post.title,
                slip.post_grade,
                str(Grade(slip.appraisal_grade).label) if slip.appraisal_grade else "未考核",
                slip.coefficient,
                slip.base_pay,
                slip.performance_pay,
                slip.other_total,
                slip.total,
            ]
        )
    sheet.append(
        [
            "合计",
            "",
            "",
            "",
            "",
            sum((s.base_pay for s in slips), Decimal("0.00")),
            sum((s.performance_pay for s in slips), Decimal("0.00")),
            sum((s.other_total for s in slips), Decimal("0.00")),
            sum((s.total for s in slips), Decimal("0.00")),
        ]
    )
    for column in "FGHI":
        for cell in sheet[column][2:]:
            cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    audit_record(actor=actor, action="payroll.export", obj=run, changes={"payslips": len(slips)})
    return buffer.getvalue()
