"""Writes of personnel: contracts, appraisal schemes and cycles, appeals, payroll.

Every function checks the actor's role first, runs in one transaction and writes its audit entry.
Pay is read through functions here too, because every view of pay is audited.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, ErrorCode, InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.money import FEN
from onezone.core.permissions import has_role, require
from onezone.core.roles import Role
from onezone.org.models import Appointment, Body, Person, Post
from onezone.personnel import formula, grading
from onezone.personnel.models import (
    Appeal,
    Appraisal,
    AppraisalCycle,
    AppraisalScheme,
    EmploymentContract,
    Grade,
    Indicator,
    IndicatorResult,
    PayrollRun,
    Payslip,
    PayslipItem,
    RaterKind,
    Rating,
)
from onezone.personnel.payroll import Held, held_on, rate_on, split_pool
from onezone.personnel.selectors import (
    appraisals_of,
    grade_pay_table,
    month_end,
    payslips_of,
    policy_of,
    scheme_for,
    score_appraisal,
)

HR_ROLES = (Role.HR_OFFICER,)
FINAL_FORMULA_NAMES = frozenset({"self", "leader", "peer"})
Contract = EmploymentContract

# Contracts -------------------------------------------------------------------------------------

CONTRACT_TRANSITIONS: dict[str, frozenset[str]] = {
    Contract.Status.DRAFT: frozenset({Contract.Status.ACTIVE}),
    Contract.Status.ACTIVE: frozenset({Contract.Status.RENEWED, Contract.Status.EXPIRED, Contract.Status.TERMINATED}),
}


def _contract_move(contract: EmploymentContract, to: str) -> str:
    """Move ``contract`` to ``to`` if the pipeline allows it; return the old status."""
    old = contract.status
    if to not in CONTRACT_TRANSITIONS.get(old, frozenset()):
        raise TransitionNotAllowed(
            f"合同“{contract.number}”当前为“{contract.get_status_display()}”，不能改为“{Contract.Status(to).label}”。"
        )
    contract.status = to
    return old


def _check_terms(*, term_type: str, start: dt.date, end: dt.date | None, probation_months: int) -> None:
    if term_type not in Contract.TermType.values:
        raise InvalidInput(
            "期限类型不正确。", fields={"term_type": "请选择固定期限、无固定期限或以完成一定工作任务为期限。"}
        )
    if term_type == Contract.TermType.FIXED and end is None:
        raise InvalidInput("固定期限合同必须填写终止日期。", fields={"end": "固定期限合同必须填写终止日期。"})
    if term_type == Contract.TermType.OPEN_ENDED and end is not None:
        raise InvalidInput("无固定期限合同不填终止日期。", fields={"end": "无固定期限合同不填终止日期。"})
    if end is not None and end < start:
        raise InvalidInput("合同终止日期不能早于起始日期。", fields={"end": "合同终止日期不能早于起始日期。"})
    if not 0 <= probation_months <= 6:
        raise InvalidInput("试用期应为 0 至 6 个月。", fields={"probation_months": "试用期应为 0 至 6 个月。"})


def _overlapping_active(person: Person, start: dt.date, end: dt.date | None, exclude: Iterable[int] = ()) -> Any:
    qs = Contract.objects.filter(person=person, status=Contract.Status.ACTIVE).exclude(pk__in=list(exclude))
    qs = qs.filter(Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        qs = qs.filter(start__lte=end)
    return qs.first()


def _refuse_overlap(person: Person, start: dt.date, end: dt.date | None, exclude: Iterable[int] = ()) -> None:
    other = _overlapping_active(person, start, end, exclude)
    if other is not None:
        until = other.end.isoformat() if other.end else "无固定期限"
        raise Conflict(
            f"{person.name}已有履行中的合同“{other.number}”（{other.start}至{until}），期间重叠；"
            "请先续订、解除或调整该合同。"
        )


def contract_create(
    *,
    actor: Any,
    person: Person,
    post: Post,
    number: str,
    start: dt.date,
    end: dt.date | None = None,
    term_type: str = Contract.TermType.FIXED,
    probation_months: int = 0,
) -> EmploymentContract:
    """Draft a contract for ``person`` on ``post``."""
    require(actor, zone_id=person.zone_id, roles=HR_ROLES, action="草拟聘用合同")
    if post.zone_id != person.zone_id:
        raise InvalidInput("聘用岗位必须属于同一开发区。", fields={"post": "聘用岗位必须属于同一开发区。"})
    if not number.strip():
        raise InvalidInput("请填写合同编号。", fields={"number": "请填写合同编号。"})
    _check_terms(term_type=term_type, start=start, end=end, probation_months=probation_months)
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        _refuse_overlap(person, start, end)
        try:
            with transaction.atomic():
                contract = Contract.objects.create(
                    zone_id=person.zone_id,
                    person=person,
                    post=post,
                    number=number.strip(),
                    term_type=term_type,
                    start=start,
                    end=end,
                    probation_months=probation_months,
                )
        except IntegrityError as exc:
            raise Conflict(f"合同编号“{number}”已被使用，请换一个编号。", fields={"number": "编号已被使用。"}) from exc
        audit_record(
            actor=actor,
            action="contract.create",
            obj=contract,
            changes={"person": person.name, "post": str(post), "start": start, "end": end, "term_type": term_type},
        )
    return contract


def contract_activate(*, actor: Any, contract: EmploymentContract) -> EmploymentContract:
    """Sign a draft contract: it becomes active unless it overlaps another active one of the person."""
    require(actor, zone_id=contract.zone_id, roles=HR_ROLES, action="签订聘用合同")
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=contract.person_id)
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        old = _contract_move(locked, Contract.Status.ACTIVE)
        _refuse_overlap(locked.person, locked.start, locked.end, exclude=[locked.pk])
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="contract.activate", obj=locked, changes={"status": [old, locked.status]})
    return locked


def contract_renew(
    *,
    actor: Any,
    contract: EmploymentContract,
    end: dt.date | None,
    number: str,
    term_type: str | None = None,
    post: Post | None = None,
) -> EmploymentContract:
    """Renew an active contract: a new active contract from the day after it ends, linked to it."""
    require(actor, zone_id=contract.zone_id, roles=HR_ROLES, action="续订聘用合同")
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=contract.person_id)
        locked = Contract.objects.select_for_update().select_related("person", "post").get(pk=contract.pk)
        if locked.end is None:
            raise TransitionNotAllowed(f"合同“{locked.number}”没有终止日期，无需续订。")
        old = _contract_move(locked, Contract.Status.RENEWED)
        start = locked.end + dt.timedelta(days=1)
        term_type = term_type or locked.term_type
        _check_terms(term_type=term_type, start=start, end=end, probation_months=0)
        _refuse_overlap(locked.person, start, end, exclude=[locked.pk])
        locked.save(update_fields=["status", "updated_at"])
        try:
            with transaction.atomic():
                renewal = Contract.objects.create(
                    zone_id=locked.zone_id,
                    person=locked.person,
                    post=post or locked.post,
                    number=number.strip(),
                    term_type=term_type,
                    start=start,
                    end=end,
                    probation_months=0,
                    status=Contract.Status.ACTIVE,
                    previous=locked,
                )
        except IntegrityError as exc:
            raise Conflict(f"合同编号“{number}”已被使用，请换一个编号。", fields={"number": "编号已被使用。"}) from exc
        audit_record(actor=actor, action="contract.renew", obj=locked, changes={"status": [old, locked.status]})
        audit_record(
            actor=actor,
            action="contract.create_renewal",
            obj=renewal,
            changes={"previous": locked.number, "start": start, "end": end},
        )
    return renewal


def contract_terminate(*, actor: Any, contract: EmploymentContract, on: dt.date, reason: str) -> EmploymentContract:
    """End an active contract early, with the date and the reason (解除聘用合同)."""
    require(actor, zone_id=contract.zone_id, roles=HR_ROLES, action="解除聘用合同")
    if not reason.strip():
        raise InvalidInput("请填写解除原因。", fields={"reason": "请填写解除原因。"})
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if on < locked.start or (locked.end is not None and on > locked.end):
            raise InvalidInput(
                "解除日期应在合同期限之内。", fields={"on": f"应在 {locked.start} 至 {locked.end or '—'} 之间。"}
            )
        old = _contract_move(locked, Contract.Status.TERMINATED)
        locked.terminated_on = on
        locked.termination_reason = reason.strip()
        locked.save(update_fields=["status", "terminated_on", "termination_reason", "updated_at"])
        audit_record(
            actor=actor,
            action="contract.terminate",
            obj=locked,
            changes={"status": [old, locked.status], "terminated_on": on, "reason": locked.termination_reason},
        )
    return locked


def contract_review_clear(*, actor: Any, contract: EmploymentContract, note: str) -> EmploymentContract:
    """Record that HR reviewed a flagged contract and clear the flag."""
    require(actor, zone_id=contract.zone_id, roles=HR_ROLES, action="处理合同审查")
    if not note.strip():
        raise InvalidInput("请填写审查结论。", fields={"note": "请填写审查结论。"})
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if not locked.review_flag:
            raise TransitionNotAllowed(f"合同“{locked.number}”没有待审查标记。")
        locked.review_flag = False
        locked.save(update_fields=["review_flag", "updated_at"])
        audit_record(
            actor=actor,
            action="contract.review_clear",
            obj=locked,
            changes={"reason": locked.review_reason, "note": note},
        )
    return locked


def contracts_expire_due(*, today: dt.date) -> int:
    """Mark active contracts whose end has passed as expired. Idempotent; run by the sweep."""
    count = 0
    with transaction.atomic():
        for contract in Contract.objects.select_for_update().filter(status=Contract.Status.ACTIVE, end__lt=today):
            old = _contract_move(contract, Contract.Status.EXPIRED)
            contract.save(update_fields=["status", "updated_at"])
            audit_record(actor="system", action="contract.expire", obj=contract, changes={"status": [old, "expired"]})
            count += 1
    return count


# Appraisal schemes -----------------------------------------------------------------------------


def check_indicators(rows: Iterable[Mapping[str, Any]]) -> None:
    """Refuse a set of indicators unless the weights add up to exactly 100 and every source is usable.

    ``rows``: ``{"name", "weight", "source", "formula", "metric_key"}``.
    """
    rows = list(rows)
    if not rows:
        raise InvalidInput("考核方案至少需要一个指标。")
    total = Decimal(0)
    names = set()
    for row in rows:
        name = str(row.get("name", "")).strip()
        if not name:
            raise InvalidInput("每个指标都要有名称。")
        if name in names:
            raise InvalidInput(f"指标“{name}”重复。")
        names.add(name)
        try:
            weight = Decimal(str(row.get("weight")))
        except InvalidOperation as exc:
            raise InvalidInput(f"指标“{name}”的权重不是数字。") from exc
        if weight <= 0:
            raise InvalidInput(f"指标“{name}”的权重应大于 0。")
        total += weight
        source = row.get("source", Indicator.Source.MANUAL)
        text = str(row.get("formula") or "").strip()
        if source == Indicator.Source.FORMULA:
            if not text:
                raise InvalidInput(f"指标“{name}”按公式计算，请填写公式。")
            try:
                formula.parse(text)
            except formula.FormulaError as exc:
                raise formula.FormulaError(f"指标“{name}”的公式有误：{exc.message}") from exc
        elif source == Indicator.Source.METRIC:
            if not str(row.get("metric_key") or "").strip():
                raise InvalidInput(f"指标“{name}”取业务数据，请选择数据来源。")
            if text:
                try:
                    formula.validate(text, {"value"})
                except formula.FormulaError as exc:
                    raise formula.FormulaError(f"指标“{name}”的换算公式有误：{exc.message}") from exc
        elif source != Indicator.Source.MANUAL:
            raise InvalidInput(f"指标“{name}”的评分方式不正确。")
    if total != 100:
        raise InvalidInput(
            f"各指标权重合计应恰好为 100，现为 {total.normalize():f}；请调整权重。",
            fields={"weight": f"权重合计 {total.normalize():f}，应为 100。"},
        )


def scheme_define(
    *,
    actor: Any,
    zone_id: int,
    name: str,
    category: str,
    indicators: list[Mapping[str, Any]],
    body: Body | None = None,
    note: str = "",
    activate: bool = True,
) -> AppraisalScheme:
    """Create a scheme with its indicators (weights adding up to 100), active unless asked otherwise."""
    require(actor, zone_id=zone_id, roles=HR_ROLES, action="制定考核方案")
    if category not in Post.Category.values:
        raise InvalidInput("岗位类别不正确。", fields={"category": "请选择管理、专业技术或工勤技能岗位。"})
    if body is not None and body.zone_id != zone_id:
        raise InvalidInput("适用机构必须属于本开发区。")
    check_indicators(indicators)
    with transaction.atomic():
        try:
            with transaction.atomic():
                scheme = AppraisalScheme.objects.create(
                    zone_id=zone_id, name=name.strip(), category=category, body=body, note=note
                )
        except IntegrityError as exc:
            raise Conflict(f"考核方案“{name}”已存在，请换一个名称。") from exc
        for order, row in enumerate(indicators, start=1):
            Indicator.objects.create(
                zone_id=zone_id,
                scheme=scheme,
                order=order,
                name=str(row["name"]).strip(),
                weight=Decimal(str(row["weight"])),
                source=row.get("source", Indicator.Source.MANUAL),
                formula=str(row.get("formula") or "").strip(),
                metric_key=str(row.get("metric_key") or "").strip(),
                description=str(row.get("description") or ""),
            )
        audit_record(
            actor=actor,
            action="scheme.define",
            obj=scheme,
            changes={"category": category, "indicators": [dict(r) for r in indicators]},
        )
        if activate:
            _scheme_activate(actor, scheme)
    return scheme


def _scheme_activate(actor: Any, scheme: AppraisalScheme) -> None:
    check_indicators(scheme.indicators.values("name", "weight", "source", "formula", "metric_key"))
    others = AppraisalScheme.objects.select_for_update().filter(
        zone_id=scheme.zone_id, category=scheme.category, body=scheme.body, is_active=True
    )
    for other in others.exclude(pk=scheme.pk):
        other.is_active = False
        other.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action="scheme.deactivate", obj=other, changes={"replaced_by": scheme.name})
    scheme.is_active = True
    scheme.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, action="scheme.activate", obj=scheme, changes={"is_active": [False, True]})


def scheme_activate(*, actor: Any, scheme: AppraisalScheme) -> AppraisalScheme:
    """Put a scheme in use (its weights must add up to 100); it replaces the active one of its category."""
    require(actor, zone_id=scheme.zone_id, roles=HR_ROLES, action="启用考核方案")
    with transaction.atomic():
        locked = AppraisalScheme.objects.select_for_update().get(pk=scheme.pk)
        _scheme_activate(actor, locked)
    return locked


# Appraisal cycles ------------------------------------------------------------------------------


def _refuse_locked(cycle: AppraisalCycle) -> None:
    if cycle.is_locked:
        raise Conflict(
            f"考核周期“{cycle.name}”已完成并锁定，不能再修改；对结果有异议请走申诉程序。", code=ErrorCode.LOCKED
        )


def _principal_posts(zone_id: int, on: dt.date) -> dict[int, Post]:
    """Person id → the principal post held on ``on``, for everyone in the zone holding one."""
    appointments = list(
        Appointment.objects.filter(zone_id=zone_id, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("post__body", "person")
    )
    by_person: dict[int, list[Appointment]] = defaultdict(list)
    for a in appointments:
        by_person[a.person_id].append(a)
    posts = {}
    for person_id, items in by_person.items():
        chosen = held_on([Held(a.post_id, a.start, a.end, a.is_concurrent) for a in items], on)
        if chosen is not None:
            posts[person_id] = next(a.post for a in items if a.post_id == chosen.post_id)
    return posts


def cycle_open(
    *,
    actor: Any,
    zone_id: int,
    name: str,
    period: str,
    start: dt.date,
    end: dt.date,
    final_formula: str = "0.2*self + 0.5*leader + 0.3*peer",
) -> AppraisalCycle:
    """Open a cycle: one appraisal for each person holding a post on ``end`` whose category has a scheme."""
    require(actor, zone_id=zone_id, roles=HR_ROLES, action="发起考核")
    if period not in AppraisalCycle.Period.values:
        raise InvalidInput("考核周期类型不正确。", fields={"period": "请选择月度、季度或年度。"})
    if end < start:
        raise InvalidInput("考核期止不能早于考核期起。", fields={"end": "考核期止不能早于考核期起。"})
    try:
        formula.validate(final_formula, FINAL_FORMULA_NAMES)
    except formula.FormulaError as exc:
        raise formula.FormulaError(exc.message, fields={"final_formula": exc.message}) from exc
    with transaction.atomic():
        try:
            with transaction.atomic():
                cycle = AppraisalCycle.objects.create(
                    zone_id=zone_id,
                    name=name.strip(),
                    period=period,
                    start=start,
                    end=end,
                    final_formula=final_formula.strip(),
                )
        except IntegrityError as exc:
            raise Conflict(f"考核周期“{name}”已存在，请换一个名称。") from exc
        schemes = list(AppraisalScheme.objects.filter(zone_id=zone_id, is_active=True))
        created, without = [], []
        for person_id, post in sorted(_principal_posts(zone_id, end).items()):
            scheme = scheme_for(schemes, category=post.category, body_id=post.body_id)
            if scheme is None:
                without.append(person_id)
                continue
            created.append(
                Appraisal(
                    zone_id=zone_id,
                    cycle=cycle,
                    person_id=person_id,
                    body_id=post.body_id,
                    post=post,
                    category=post.category,
                    scheme=scheme,
                )
            )
        Appraisal.objects.bulk_create(created)
        audit_record(
            actor=actor,
            action="cycle.open",
            obj=cycle,
            changes={"period": period, "start": start, "end": end, "appraisals": len(created), "no_scheme": without},
        )
    return cycle


def _appraisal_for_write(appraisal: Appraisal) -> tuple[Appraisal, AppraisalCycle]:
    cycle = AppraisalCycle.objects.select_for_update().get(pk=appraisal.cycle_id)
    _refuse_locked(cycle)
    return Appraisal.objects.select_related("scheme").get(pk=appraisal.pk), cycle


def ratings_record(
    *,
    actor: Any,
    appraisal: Appraisal,
    scores: Mapping[tuple[int, str], Decimal | str | int | None],
    rater: Person | None = None,
) -> int:
    """Record hand scores of an appraisal: ``{(indicator id, "self"|"leader"|"peer"): score}``.

    A score of None removes that rating. Several peers are told apart by ``rater``; one rating per
    indicator, kind and rater. Refused once the cycle is completed.
    """
    require(actor, zone_id=appraisal.zone_id, roles=HR_ROLES, action="录入考核评分")
    with transaction.atomic():
        appraisal, _cycle = _appraisal_for_write(appraisal)
        manual = {i.pk: i for i in appraisal.scheme.indicators.filter(source=Indicator.Source.MANUAL)}
        changed = {}
        for (indicator_id, kind), raw in scores.items():
            indicator = manual.get(int(indicator_id))
            if indicator is None:
                raise InvalidInput("只能为本方案中人工评分的指标录入分数。")
            if kind not in RaterKind.values:
                raise InvalidInput("评分类型应为自评、领导评分或同事互评。")
            existing = Rating.objects.filter(appraisal=appraisal, indicator=indicator, kind=kind, rater=rater)
            if raw is None or raw == "":
                existing.delete()
                changed[f"{indicator.name}/{kind}"] = None
                continue
            try:
                value = Decimal(str(raw))
            except InvalidOperation as exc:
                raise InvalidInput(f"“{indicator.name}”的分数“{raw}”不是数字。") from exc
            if not Decimal(0) <= value <= Decimal(100) or value != value.quantize(Decimal("0.01")):
                raise InvalidInput(f"“{indicator.name}”的分数应在 0 至 100 之间，最多两位小数。")
            row = existing.first()
            if row is None:
                Rating.objects.create(
                    zone_id=appraisal.zone_id,
                    appraisal=appraisal,
                    indicator=indicator,
                    kind=kind,
                    rater=rater,
                    score=value,
                )
            else:
                row.score = value
                row.save(update_fields=["score", "updated_at"])
            changed[f"{indicator.name}/{kind}"] = value
        audit_record(
            actor=actor,
            action="appraisal.rate",
            obj=appraisal,
            changes={"rater": rater.name if rater else "", "scores": changed},
        )
    return len(changed)


def indicator_inputs_record(
    *, actor: Any, appraisal: Appraisal, indicator: Indicator, inputs: Mapping[str, Decimal | str | int]
) -> IndicatorResult:
    """Record the figures a formula indicator is computed from (e.g. days absent)."""
    require(actor, zone_id=appraisal.zone_id, roles=HR_ROLES, action="录入考核数据")
    with transaction.atomic():
        appraisal, _cycle = _appraisal_for_write(appraisal)
        if indicator.scheme_id != appraisal.scheme_id or indicator.source != Indicator.Source.FORMULA:
            raise InvalidInput("只能为本方案中按公式计算的指标录入数据。")
        needed = formula.names(indicator.formula)
        clean = {}
        for key, raw in inputs.items():
            if key not in needed:
                raise InvalidInput(f"指标“{indicator.name}”的公式不使用“{key}”；需要：{'、'.join(sorted(needed))}。")
            try:
                clean[key] = str(Decimal(str(raw)))
            except InvalidOperation as exc:
                raise InvalidInput(f"“{key}”的值“{raw}”不是数字。") from exc
        result, _ = IndicatorResult.objects.update_or_create(
            appraisal=appraisal, indicator=indicator, defaults={"zone_id": appraisal.zone_id, "inputs": clean}
        )
        audit_record(actor=actor, action="appraisal.inputs", obj=appraisal, changes={indicator.name: clean})
    return result


def cycle_close(*, actor: Any, cycle: AppraisalCycle) -> AppraisalCycle:
    """Complete a cycle: score everyone, grade them, hold 优秀 to the quota of each body, then lock it.

    Refused while any rating or input is missing, or an indicator's data source is unavailable.
    Closing a yearly cycle flags the contract of anyone graded 不称职 two years running.
    """
    require(actor, zone_id=cycle.zone_id, roles=HR_ROLES, action="完成考核")
    policy = policy_of(cycle.zone_id)
    with transaction.atomic():
        locked = AppraisalCycle.objects.select_for_update().get(pk=cycle.pk)
        _refuse_locked(locked)
        percent = policy.excellent_quota_percent
        appraisals = list(appraisals_of(locked))
        if not appraisals:
            raise InvalidInput(f"考核周期“{locked.name}”没有考核对象，请先确认人员岗位和考核方案。")
        rows = [score_appraisal(a, locked, policy.thresholds()) for a in appraisals]
        problems = [r for r in rows if r.problem]
        if problems:
            listed = "；".join(f"{r.appraisal.person.name}：{r.problem}" for r in problems[:5])
            more = f"等 {len(problems)} 人" if len(problems) > 5 else ""
            raise InvalidInput(f"还不能完成考核，{listed}{more}。请补齐后再完成。")
        by_body: dict[int, list] = defaultdict(list)
        for row in rows:
            by_body[row.appraisal.body_id].append(row)
        demoted_all: set[int] = set()
        for body_rows in by_body.values():
            seats = grading.quota(len(body_rows), percent)
            candidates = [
                grading.Candidate(key=r.appraisal.pk, score=r.final, leader=r.perspectives["leader"])
                for r in body_rows
                if r.score_grade == Grade.EXCELLENT
            ]
            _kept, demoted = grading.apply_quota(candidates, seats)
            demoted_all |= demoted
        for row in rows:
            a = row.appraisal
            for item in row.computed:
                IndicatorResult.objects.update_or_create(
                    appraisal=a,
                    indicator=item.indicator,
                    defaults={"zone_id": a.zone_id, "value": item.value, "score": item.score, "note": item.note},
                )
            a.self_score = row.perspectives["self"]
            a.leader_score = row.perspectives["leader"]
            a.peer_score = row.perspectives["peer"]
            a.final_score = row.final
            a.score_grade = row.score_grade
            a.quota_demoted = a.pk in demoted_all
            a.grade = Grade.COMPETENT if a.quota_demoted else row.score_grade
        Appraisal.objects.bulk_update(
            appraisals,
            ["self_score", "leader_score", "peer_score", "final_score", "score_grade", "grade", "quota_demoted"],
        )
        locked.status = AppraisalCycle.Status.CLOSED
        locked.excellent_quota_percent = percent
        locked.closed_at = timezone.now()
        locked.closed_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save(update_fields=["status", "excellent_quota_percent", "closed_at", "closed_by", "updated_at"])
        counts = {g: sum(1 for a in appraisals if a.grade == g) for g in Grade.values}
        audit_record(
            actor=actor,
            action="cycle.close",
            obj=locked,
            changes={
                "status": ["open", "closed"],
                "grades": counts,
                "quota_percent": percent,
                "demoted": len(demoted_all),
            },
        )
        if locked.period == AppraisalCycle.Period.YEARLY:
            for a in appraisals:
                if a.grade == Grade.UNSATISFACTORY:
                    _flag_two_years(actor, a, locked)
    return locked


def _flag_two_years(actor: Any, appraisal: Appraisal, cycle: AppraisalCycle) -> bool:
    """Flag the person's active contract when last year's yearly grade was 不称职 too (能进能出)."""
    year = cycle.end.year
    previous = Appraisal.objects.filter(
        person_id=appraisal.person_id,
        cycle__zone_id=cycle.zone_id,
        cycle__period=AppraisalCycle.Period.YEARLY,
        cycle__status=AppraisalCycle.Status.CLOSED,
        cycle__end__year=year - 1,
        grade=Grade.UNSATISFACTORY,
    ).exists()
    if not previous:
        return False
    reason = f"{year - 1}、{year}年度考核连续两年不称职"
    flagged = False
    for contract in EmploymentContract.objects.select_for_update().filter(
        person_id=appraisal.person_id, status=EmploymentContract.Status.ACTIVE
    ):
        contract.review_flag = True
        contract.review_reason = reason
        contract.save(update_fields=["review_flag", "review_reason", "updated_at"])
        audit_record(actor=actor, action="contract.flag_review", obj=contract, changes={"reason": reason})
        flagged = True
    return flagged


# Appeals ---------------------------------------------------------------------------------------

APPEAL_TRANSITIONS: dict[str, frozenset[str]] = {
    Appeal.Status.SUBMITTED: frozenset({Appeal.Status.REVIEWED}),
    Appeal.Status.REVIEWED: frozenset({Appeal.Status.UPHELD, Appeal.Status.CHANGED}),
}


def _appeal_move(appeal: Appeal, to: str) -> str:
    old = appeal.status
    if to not in APPEAL_TRANSITIONS.get(old, frozenset()):
        raise TransitionNotAllowed(
            f"申诉当前为“{appeal.get_status_display()}”，不能改为“{Appeal.Status(to).label}”；"
            "申诉须先复核，再作出维持或改变等次的决定。"
        )
    appeal.status = to
    return old


def appeal_submit(*, actor: Any, appraisal: Appraisal, reason: str) -> Appeal:
    """Appeal a grade of a completed cycle: by the person concerned or by HR on their behalf."""
    own = appraisal.person.user_id is not None and appraisal.person.user_id == getattr(actor, "pk", None)
    if not own:
        require(actor, zone_id=appraisal.zone_id, roles=HR_ROLES, action="登记考核申诉")
    if not reason.strip():
        raise InvalidInput("请写明申诉理由。", fields={"reason": "请写明申诉理由。"})
    with transaction.atomic():
        cycle = AppraisalCycle.objects.select_for_update().get(pk=appraisal.cycle_id)
        if not cycle.is_locked:
            raise TransitionNotAllowed(f"考核周期“{cycle.name}”尚未完成，等次确定后才能申诉。")
        if Appeal.objects.filter(
            appraisal=appraisal, status__in=[Appeal.Status.SUBMITTED, Appeal.Status.REVIEWED]
        ).exists():
            raise Conflict("该考核结果已有正在处理的申诉，请等待处理结果。")
        appeal = Appeal.objects.create(
            zone_id=appraisal.zone_id, appraisal=appraisal, reason=reason.strip(), grade_before=appraisal.grade
        )
        audit_record(actor=actor, action="appeal.submit", obj=appeal, changes={"grade": appraisal.grade})
    return appeal


def appeal_review(*, actor: Any, appeal: Appeal, note: str) -> Appeal:
    """Record the review of an appeal (复核)."""
    require(actor, zone_id=appeal.zone_id, roles=HR_ROLES, action="复核考核申诉")
    if not note.strip():
        raise InvalidInput("请填写复核意见。", fields={"note": "请填写复核意见。"})
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        old = _appeal_move(locked, Appeal.Status.REVIEWED)
        locked.review_note = note.strip()
        locked.save(update_fields=["status", "review_note", "updated_at"])
        audit_record(actor=actor, action="appeal.review", obj=locked, changes={"status": [old, locked.status]})
    return locked


def appeal_decide(*, actor: Any, appeal: Appeal, grade: str, note: str) -> Appeal:
    """Decide a reviewed appeal: the same grade upholds it, another grade changes the appraisal.

    A change to 优秀 must still fit the body's quota; a change to 不称职 in a yearly cycle is checked
    for the two-years rule.
    """
    require(actor, zone_id=appeal.zone_id, roles=HR_ROLES, action="决定考核申诉")
    if grade not in Grade.values:
        raise InvalidInput("等次不正确。", fields={"grade": "请选择优秀、称职、基本称职或不称职。"})
    if not note.strip():
        raise InvalidInput("请填写处理决定。", fields={"note": "请填写处理决定。"})
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        appraisal = Appraisal.objects.select_for_update().select_related("cycle").get(pk=locked.appraisal_id)
        before = appraisal.grade
        to = Appeal.Status.UPHELD if grade == before else Appeal.Status.CHANGED
        old = _appeal_move(locked, to)
        if to == Appeal.Status.CHANGED:
            if grade == Grade.EXCELLENT:
                same_body = Appraisal.objects.filter(cycle=appraisal.cycle, body_id=appraisal.body_id)
                percent = (
                    appraisal.cycle.excellent_quota_percent or policy_of(appraisal.zone_id).excellent_quota_percent
                )
                seats = grading.quota(same_body.count(), percent)
                taken = same_body.filter(grade=Grade.EXCELLENT).count()
                if taken >= seats:
                    raise Conflict(
                        f"{appraisal.body}的优秀名额（{seats} 名，{percent.normalize():f}%）已满，不能改为优秀；"
                        "如需调整，请先改变其他人员的等次。"
                    )
            appraisal.grade = grade
            appraisal.save(update_fields=["grade", "updated_at"])
            audit_record(
                actor=actor, action="appraisal.grade_change", obj=appraisal, changes={"grade": [before, grade]}
            )
        locked.grade_after = grade
        locked.decision_note = note.strip()
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "grade_after", "decision_note", "decided_at", "updated_at"])
        audit_record(actor=actor, action="appeal.decide", obj=locked, changes={"status": [old, to], "grade": grade})
        if (
            to == Appeal.Status.CHANGED
            and grade == Grade.UNSATISFACTORY
            and appraisal.cycle.period == AppraisalCycle.Period.YEARLY
        ):
            _flag_two_years(actor, appraisal, appraisal.cycle)
    return locked


# Payroll ---------------------------------------------------------------------------------------

PAYROLL_TRANSITIONS: dict[str, frozenset[str]] = {
    PayrollRun.Status.DRAFT: frozenset({PayrollRun.Status.APPROVED}),
    PayrollRun.Status.APPROVED: frozenset({PayrollRun.Status.PAID}),
}


def _payroll_move(run: PayrollRun, to: str) -> str:
    old = run.status
    if to not in PAYROLL_TRANSITIONS.get(old, frozenset()):
        raise TransitionNotAllowed(
            f"“{run}”当前为“{run.get_status_display()}”，不能改为“{PayrollRun.Status(to).label}”。"
        )
    run.status = to
    return old


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
        posts = {pid: post for pid, post in _principal_posts(body.zone_id, last).items() if post.body_id == body.pk}
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
