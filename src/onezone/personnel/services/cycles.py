"""Appraisal cycles: opening, ratings and indicator inputs, closing with grades and the quota.

Every function checks the actor's role first, runs in one transaction and writes its audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, ErrorCode, InvalidInput
from onezone.core.permissions import require
from onezone.org.models import Appointment, Person, Post
from onezone.personnel import formula, grading
from onezone.personnel.models import (
    Appraisal,
    AppraisalCycle,
    AppraisalScheme,
    EmploymentContract,
    Grade,
    Indicator,
    IndicatorResult,
    RaterKind,
    Rating,
)
from onezone.personnel.payroll import Held, held_on
from onezone.personnel.selectors import (
    appraisals_of,
    policy_of,
    scheme_for,
    score_appraisal,
)
from onezone.personnel.services.common import HR_ROLES

FINAL_FORMULA_NAMES = frozenset({"self", "leader", "peer"})


def _refuse_locked(cycle: AppraisalCycle) -> None:
    if cycle.is_locked:
        raise Conflict(
            f"考核周期“{cycle.name}”已完成并锁定，不能再修改；对结果有异议请走申诉程序。", code=ErrorCode.LOCKED
        )


def principal_posts(zone_id: int, on: dt.date) -> dict[int, Post]:
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
        for person_id, post in sorted(principal_posts(zone_id, end).items()):
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
                    flag_two_years(actor, a, locked)
    return locked


def flag_two_years(actor: Any, appraisal: Appraisal, cycle: AppraisalCycle) -> bool:
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
