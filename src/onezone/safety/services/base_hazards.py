"""Hidden hazards (事故隐患): reporting, the one transition function, the 五落实 plan, 挂牌督办.

A hazard is reported by its enterprise, found by an inspection or by the park; it is held by a body
(the supervising body), and only that body's staff (its head above it, a leader, an administrator)
assign, accept and reject it. The enterprise's own users report and rectify only its own hazards.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from onezone.core.audit import audit_record, diff, snapshot
from onezone.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, TransitionNotAllowed
from onezone.core.permissions import require, roles_in
from onezone.core.roles import Role
from onezone.safety import base_rules
from onezone.safety.models import (
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardPlan,
    HazardSource,
    HazardStatus,
    HazardSupervision,
)
from onezone.safety.services import base_common
from onezone.safety.services.base_common import (
    SAFETY_STAFF_ROLES,
    body_allows,
    decimal,
    is_enterprise_user_of,
    require_body,
    require_staff_or_own,
    text,
)

SUPERVISE_ROLES = frozenset({Role.ADMIN, Role.LEADER})
MAX_FUNDS = Decimal("999999999999")
# The longest time limit a notice may set.
MAX_DEADLINE_DAYS = 3 * 366


def safety_body(zone_id: int) -> Any:
    """The zone's safety supervising body: its 应急管理 department (an enterprise's own reports go to it)."""
    from onezone.org.models import Body

    body = (
        Body.objects.filter(zone_id=zone_id, name__contains="应急管理", kind=Body.Kind.DEPARTMENT)
        .order_by("order")
        .first()
        or Body.objects.filter(zone_id=zone_id, name__contains="应急管理").order_by("order").first()
    )
    if body is None:
        raise Conflict("本开发区尚未设置应急管理机构，企业上报的隐患无处交办；请系统管理员先在机构中设置。")
    return body


def _next_number(zone_id: int, year: int) -> str:
    prefix = f"YH{year}-"
    last = (
        Hazard.objects.filter(zone_id=zone_id, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _event(*, actor: Any, hazard: Hazard, from_status: str, note: str, on: dt.date) -> HazardEvent:
    return HazardEvent.objects.create(
        zone_id=hazard.zone_id,
        hazard=hazard,
        at=timezone.now(),
        on=on,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=(actor.get_full_name() or actor.username)[:150] if getattr(actor, "is_authenticated", False) else "",
        from_status=from_status,
        to_status=hazard.status,
        note=note,
    )


def _check_deadline(deadline: dt.date, found_on: dt.date) -> None:
    if deadline < found_on:
        message = f"整改期限（{deadline}）不能早于发现日期（{found_on}）。"
        raise InvalidInput(message, fields={"deadline": message})
    if (deadline - found_on).days > MAX_DEADLINE_DAYS:
        message = f"整改期限最长为发现之日起{MAX_DEADLINE_DAYS}天，收到{(deadline - found_on).days}天。"
        raise InvalidInput(message, fields={"deadline": message})


def hazard_report(
    *,
    actor: Any,
    enterprise: Any,
    title: str,
    description: str,
    level: str,
    found_on: dt.date,
    deadline: dt.date,
    source: str | None = None,
    body: Any = None,
    installation: Any = None,
    risk_point: Any = None,
    inspection: Any = None,
) -> Hazard:
    """Record a hidden hazard of ``enterprise``.

    An enterprise user reports its own hazard (source 企业自查, held by the zone's safety body); staff
    record one found by the park or by an inspection of the register, held by their own body.
    """
    who = require_staff_or_own(actor, enterprise, action="上报事故隐患")
    if level not in HazardLevel.values:
        raise InvalidInput("隐患等级应为一般事故隐患或重大事故隐患。", fields={"level": "隐患等级不正确。"})
    title = text(title, field="title", label="隐患名称", limit=100)
    description = text(description, field="description", label="隐患描述", limit=2000)
    if found_on > base_common.today():
        raise InvalidInput(f"发现日期（{found_on}）不能晚于今天。", fields={"found_on": "日期不能晚于今天。"})
    _check_deadline(deadline, found_on)
    zone_id = enterprise.zone_id
    if who == "enterprise":
        source, inspection = HazardSource.ENTERPRISE, None
        body = safety_body(zone_id)
    else:
        source = source or HazardSource.PARK
        if source not in HazardSource.values:
            raise InvalidInput("隐患来源不正确。", fields={"source": "来源不正确。"})
        if body is None or body.zone_id != zone_id:
            raise InvalidInput("请选择本开发区的监管机构。", fields={"body": "请选择本开发区的监管机构。"})
        require_body(actor, zone_id=zone_id, body=body, action="登记其监管的隐患")
        if source == HazardSource.INSPECTION:
            if inspection is None or inspection.enterprise_id != enterprise.pk:
                message = "检查发现的隐患须关联对该企业的检查记录。"
                raise InvalidInput(message, fields={"inspection": message})
        else:
            inspection = None
    for related, label in ((installation, "所在单元"), (risk_point, "风险点")):
        if related is not None and related.enterprise_id != enterprise.pk:
            raise InvalidInput(f"{label}不属于该企业。")
    with transaction.atomic():
        hazard = Hazard(
            zone_id=zone_id,
            number=_next_number(zone_id, found_on.year),
            enterprise=enterprise,
            installation=installation,
            risk_point=risk_point,
            inspection=inspection,
            title=title,
            description=description,
            level=level,
            source=source,
            body=body,
            found_on=found_on,
            deadline=deadline,
            reported_by=actor,
        )
        try:
            with transaction.atomic():
                hazard.save()
        except IntegrityError as exc:
            raise Conflict("隐患编号正被同时登记的隐患占用，请重新提交。") from exc
        _event(actor=actor, hazard=hazard, from_status="", note="上报", on=found_on)
        audit_record(actor=actor, action="safety.hazard.report", obj=hazard, changes=snapshot(hazard))
    return hazard


def _require_step(actor: Any, hazard: Hazard, step: base_rules.Step) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再操作。")
    if not roles_in(actor, hazard.zone_id) & SAFETY_STAFF_ROLES:
        if not is_enterprise_user_of(actor, hazard.enterprise):
            raise NotFound("没有找到该隐患，或您无权处理。")
        if step.who != base_rules.EITHER:
            raise TransitionNotAllowed(f"“{step.label}”由监管机构办理，企业不能自行操作。")
        return
    require_body(actor, zone_id=hazard.zone_id, body=hazard.body, action=step.label)


def hazard_transition(
    *,
    actor: Any,
    hazard: Hazard,
    action: str,
    on: dt.date | None = None,
    note: str = "",
    body: Any = None,
    deadline: dt.date | None = None,
) -> Hazard:
    """Move a hazard along its state machine (``base_rules.TRANSITIONS``) and record the step.

    ``assign`` may hand it to another body of the zone and reset its time limit; ``start`` of a 重大
    hazard needs its 五落实 plan; ``complete`` needs what was done (``note``); ``reject`` needs why;
    ``accept`` closes it and lifts its 挂牌督办.
    """
    on = on or base_common.today()
    note = text(note, field="note", label="说明", limit=2000, required=action in {"complete", "reject"})
    with transaction.atomic():
        current = Hazard.objects.select_for_update().select_related("enterprise", "body").filter(pk=hazard.pk).first()
        if current is None:
            raise NotFound("没有找到该隐患。")
        step = base_rules.step_for(current.status, action)
        if step is None:
            allowed = "、".join(s.label for s in base_rules.actions_from(current.status)) or "无（已销号）"
            raise TransitionNotAllowed(
                f"隐患{current.number}当前为“{current.get_status_display()}”，"
                f"不能“{base_rules.ACTIONS.get(action, action)}”；"
                f"当前可以：{allowed}。"
            )
        _require_step(actor, current, step)
        if on < current.found_on or on > base_common.today():
            raise InvalidInput(
                f"办理日期（{on}）应在发现日期（{current.found_on}）与今天之间。", fields={"on": "日期不正确。"}
            )
        before = snapshot(current)
        if action == "assign":
            if body is not None:
                if body.zone_id != current.zone_id:
                    raise InvalidInput("请选择本开发区的机构。", fields={"body": "请选择本开发区的机构。"})
                current.body = body
            if deadline is not None:
                _check_deadline(deadline, current.found_on)
                current.deadline = deadline
        if (
            action == "start"
            and current.level == HazardLevel.MAJOR
            and not HazardPlan.objects.filter(hazard=current).exists()
        ):
            raise Conflict(
                f"隐患{current.number}为重大事故隐患，须先制定治理方案（五落实：责任、措施、资金、时限、预案）再开始整改。"
            )
        if action == "complete":
            current.rectified_on, current.rectification = on, note
        if action == "accept":
            current.accepted_on = on
            HazardSupervision.objects.filter(hazard=current, lifted_on__isnull=True).update(lifted_on=on)
        current.status = step.target
        current.save()
        _event(actor=actor, hazard=current, from_status=step.source, note=note or step.label, on=on)
        audit_record(
            actor=actor, action=f"safety.hazard.{action}", obj=current, changes=diff(before, snapshot(current))
        )
    return current


def hazard_plan_save(
    *,
    actor: Any,
    hazard: Hazard,
    goal: str,
    measures: str,
    funds: Decimal,
    responsible: str,
    time_limit: dt.date,
    safety_measures: str,
    contingency: str,
    materials: str = "",
) -> HazardPlan:
    """Record the rectification plan of a 重大 hazard (五落实) before its rectification is accepted."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再操作。")
    if not is_enterprise_user_of(actor, hazard.enterprise):
        if not roles_in(actor, hazard.zone_id) & SAFETY_STAFF_ROLES:
            raise NotFound("没有找到该隐患，或您无权处理。")
        require_body(actor, zone_id=hazard.zone_id, body=hazard.body, action="制定治理方案")
    if hazard.level != HazardLevel.MAJOR:
        raise InvalidInput("只有重大事故隐患需要制定五落实治理方案；一般隐患按期整改即可。")
    if hazard.status in {HazardStatus.RECTIFIED, HazardStatus.ACCEPTED}:
        raise TransitionNotAllowed(f"隐患{hazard.number}已“{hazard.get_status_display()}”，不能再修改治理方案。")
    fields = {
        "goal": text(goal, field="goal", label="治理目标和任务", limit=2000),
        "measures": text(measures, field="measures", label="治理方法和措施", limit=2000),
        "responsible": text(responsible, field="responsible", label="负责的机构和人员", limit=100),
        "safety_measures": text(safety_measures, field="safety_measures", label="安全措施", limit=2000),
        "contingency": text(contingency, field="contingency", label="应急预案", limit=2000),
        "materials": text(materials, field="materials", label="物资", limit=500, required=False),
    }
    amount = decimal(funds, field="funds", label="经费（元）", minimum=Decimal("0.01"), maximum=MAX_FUNDS)
    if time_limit < hazard.found_on:
        raise InvalidInput("治理时限不能早于发现日期。", fields={"time_limit": "治理时限不能早于发现日期。"})
    with transaction.atomic():
        plan = HazardPlan.objects.select_for_update().filter(hazard=hazard).first()
        before = snapshot(plan) if plan else {}
        plan = plan or HazardPlan(zone_id=hazard.zone_id, hazard=hazard)
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.funds, plan.time_limit = amount, time_limit
        plan.save()
        audit_record(actor=actor, action="safety.hazard.plan", obj=plan, changes=diff(before, snapshot(plan)))
    return plan


def hazard_supervise(
    *, actor: Any, hazard: Hazard, body: Any, leader: str, started_on: dt.date, document: str = ""
) -> HazardSupervision:
    """Put a 重大 hazard under the committee's supervision (挂牌督办) by a body and its leader."""
    require(actor, zone_id=hazard.zone_id, roles=SUPERVISE_ROLES, action="挂牌督办重大事故隐患")
    if hazard.level != HazardLevel.MAJOR:
        raise InvalidInput("挂牌督办只用于重大事故隐患。")
    if hazard.status == HazardStatus.ACCEPTED:
        raise TransitionNotAllowed(f"隐患{hazard.number}已验收销号，无需督办。")
    if body is None or body.zone_id != hazard.zone_id:
        raise InvalidInput("请选择本开发区的督办机构。", fields={"body": "请选择本开发区的督办机构。"})
    leader = text(leader, field="leader", label="督办领导", limit=50)
    document = text(document, field="document", label="督办文号", limit=60, required=False)
    with transaction.atomic():
        if HazardSupervision.objects.select_for_update().filter(hazard=hazard).exists():
            raise Conflict(f"隐患{hazard.number}已挂牌督办。")
        row = HazardSupervision.objects.create(
            zone_id=hazard.zone_id, hazard=hazard, body=body, leader=leader, document=document, started_on=started_on
        )
        audit_record(actor=actor, action="safety.hazard.supervise", obj=row, changes=snapshot(row))
    return row


def hazard_may_act(actor: Any, hazard: Hazard) -> list[base_rules.Step]:
    """The steps ``actor`` may take on ``hazard`` now (for the page's buttons; the service still checks)."""
    steps = []
    own = is_enterprise_user_of(actor, hazard.enterprise)
    staff = body_allows(actor, zone_id=hazard.zone_id, body_id=hazard.body_id)
    for step in base_rules.actions_from(hazard.status):
        if staff or (own and step.who == base_rules.EITHER):
            steps.append(step)
    return steps
