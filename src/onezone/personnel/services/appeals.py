"""Appeals against an appraisal grade: submission, review, decision.

Every function checks the actor's role first, runs in one transaction and writes its audit entry.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.personnel import grading
from onezone.personnel.models import (
    Appeal,
    Appraisal,
    AppraisalCycle,
    Grade,
)
from onezone.personnel.selectors import (
    policy_of,
)
from onezone.personnel.services.common import HR_ROLES, status_move
from onezone.personnel.services.cycles import flag_two_years

APPEAL_TRANSITIONS: dict[str, frozenset[str]] = {
    Appeal.Status.SUBMITTED: frozenset({Appeal.Status.REVIEWED}),
    Appeal.Status.REVIEWED: frozenset({Appeal.Status.UPHELD, Appeal.Status.CHANGED}),
}


def _appeal_move(appeal: Appeal, to: str) -> str:
    return status_move(
        appeal, to, APPEAL_TRANSITIONS, subject="申诉", advice="；申诉须先复核，再作出维持或改变等次的决定"
    )


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
            flag_two_years(actor, appraisal, appraisal.cycle)
    return locked
