"""Enterprise requests (诉求): submission with a category suggestion, routing, deadlines, the pipeline
(submitted → acknowledged → responded → resolved → closed by the enterprise's confirmation), the
clerk's confirmation or correction of the category (which teaches the model), and the sweep that
warns and escalates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from onezone.core import limits
from onezone.core.audit import audit_record
from onezone.core.calendar import deadline, load_calendar
from onezone.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.limits import require_lengths
from onezone.core.permissions import require, roles_in
from onezone.core.roles import Role
from onezone.core.workdays import working_days_between
from onezone.enterprises import classifier, notifications
from onezone.enterprises.access import REQUEST_STAFF_ROLES, is_member_of
from onezone.enterprises.defaults import FALLBACK_CATEGORY, REQUEST_CATEGORIES, SEED_WEIGHT
from onezone.enterprises.models import (
    CategoryWord,
    Enterprise,
    EnterpriseRequest,
    RequestAlert,
    RequestCategory,
    RequestEvent,
    RequestStatus,
)
from onezone.enterprises.rules import (
    ENTERPRISE_ACTIONS,
    PENDING_STAGES,
    RequestAction,
    alert_kind,
    refusal_message,
    request_next_status,
)
from onezone.org.authority import require_on_body

CONFIRM_WEIGHT = 1.0
CORRECTION_WEIGHT = 2.0


def request_categories_seed(*, actor: Any, zone_id: int) -> int:
    """Add the default categories (with their seed words) the zone lacks. Returns the number added."""
    require(actor, zone_id=zone_id, roles=[Role.ADMIN], action="设置诉求类别")
    existing = set(RequestCategory.objects.filter(zone_id=zone_id).values_list("code", flat=True))
    added = 0
    with transaction.atomic():
        for order, (code, name, routing, ack, respond, resolve, words) in enumerate(REQUEST_CATEGORIES, start=1):
            if code in existing:
                continue
            category = RequestCategory.objects.create(
                zone_id=zone_id,
                code=code,
                name=name,
                routing_category=routing,
                ack_days=ack,
                respond_days=respond,
                resolve_days=resolve,
                order=order * 10,
            )
            CategoryWord.objects.bulk_create(
                CategoryWord(zone_id=zone_id, category=category, word=word, weight=SEED_WEIGHT) for word in words
            )
            audit_record(
                actor=actor,
                action="enterprises.request_category.create",
                obj=category,
                changes={"code": code, "routing_category": routing, "words": list(words)},
            )
            added += 1
    return added


def _route(category: RequestCategory):
    from onezone.org.services import matter_route

    try:
        return matter_route(zone_id=category.zone_id, category=category.routing_category)
    except NotFound as exc:
        raise InvalidInput(
            f"诉求类别“{category.name}”对应的归口规则“{category.routing_category}”在本开发区尚未设置，无法分派承办机构；"
            "请管理员在“事务归口规则”中补充该类别，或修改诉求类别的归口规则类别。",
            fields={"category": "该类别没有归口规则。"},
        ) from exc


def _deadlines(category: RequestCategory, start: dt.date) -> dict[str, Any]:
    ack = deadline(start, category.ack_days)
    respond = deadline(start, category.respond_days)
    resolve = deadline(start, category.resolve_days)
    return {
        "ack_due": ack.date,
        "respond_due": respond.date,
        "resolve_due": resolve.date,
        "deadlines_provisional": ack.provisional or respond.provisional or resolve.provisional,
    }


def _category(zone_id: int, category: RequestCategory | str | None) -> RequestCategory | None:
    if category is None or category == "":
        return None
    if isinstance(category, RequestCategory):
        if category.zone_id != zone_id:
            raise InvalidInput("诉求类别不属于本开发区。", fields={"category": "诉求类别不属于本开发区。"})
        return category
    found = RequestCategory.objects.filter(zone_id=zone_id, code=category).first()
    if found is None:
        raise InvalidInput(f"诉求类别“{category}”不存在，请从列表中选择。", fields={"category": "请从列表中选择类别。"})
    return found


def _next_number(zone_id: int, year: int) -> str:
    prefix = f"SQ{year}-"
    last = (
        EnterpriseRequest.objects.filter(zone_id=zone_id, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def _event(request: EnterpriseRequest, actor: Any, kind: str, note: str = "") -> RequestEvent:
    return RequestEvent.objects.create(
        zone_id=request.zone_id,
        request=request,
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        note=note,
    )


def request_submit(
    *,
    actor: Any,
    enterprise: Enterprise,
    title: str,
    description: str,
    category: RequestCategory | str | None = None,
    on: dt.date | None = None,
) -> EnterpriseRequest:
    """Take in a request from the enterprise itself (or from staff on its behalf).

    The model suggests a category from the text; the request takes the category given, else the
    suggestion, else "other". It is routed by the zone's routing rule and gets its three deadlines.
    """
    zone_id = enterprise.zone_id
    if not (roles_in(actor, zone_id) & REQUEST_STAFF_ROLES):
        require(actor, zone_id=zone_id, roles=[Role.ENTERPRISE], action="提交诉求")
        if not is_member_of(actor, enterprise):
            raise PermissionDenied("您只能以本企业的名义提交诉求。")
    require_lengths(title=("诉求标题", title, limits.TITLE), description=("诉求内容", description, limits.DESCRIPTION))
    fields = {}
    if not (title or "").strip():
        fields["title"] = "请填写诉求标题。"
    if not (description or "").strip():
        fields["description"] = "请写明诉求内容：遇到了什么困难，希望得到什么帮助。"
    if fields:
        raise InvalidInput("；".join(fields.values()), fields=fields)
    chosen = _category(zone_id, category)
    suggestion = classifier.suggest(zone_id=zone_id, text=f"{title}\n{description}")
    suggested = (
        RequestCategory.objects.filter(zone_id=zone_id, code=suggestion.category).first()
        if suggestion.category
        else None
    )
    final = chosen or suggested or RequestCategory.objects.filter(zone_id=zone_id, code=FALLBACK_CATEGORY).first()
    if final is None:
        raise InvalidInput("本开发区尚未设置诉求类别，请管理员先载入或添加诉求类别。")
    rule = _route(final)
    start = on or timezone.localdate()
    with transaction.atomic():
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    request = EnterpriseRequest.objects.create(
                        zone_id=zone_id,
                        number=_next_number(zone_id, start.year),
                        enterprise=enterprise,
                        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
                        title=title.strip(),
                        description=description.strip(),
                        category=final,
                        suggested_category=suggested,
                        suggestion_words=suggestion.words,
                        domain=rule.domain,
                        handling_body=rule.body,
                        submitted_on=start,
                        **_deadlines(final, start),
                    )
                break
            except IntegrityError:
                continue
        else:
            raise Conflict("同时提交的诉求较多，编号冲突，请稍后再提交一次。")
        _event(
            request,
            actor,
            "submitted",
            f"类别：{final.name}；承办：{rule.body.name}"
            + (f"；系统建议“{suggested.name}”（依据：{'、'.join(suggestion.words)}）" if suggested else ""),
        )
        audit_record(
            actor=actor,
            action="enterprises.request.submit",
            obj=request,
            changes={
                "enterprise": enterprise.uscc,
                "category": final.code,
                "suggested": suggested.code if suggested else None,
                "words": suggestion.words,
                "body": rule.body_id,
            },
        )
    return request


def _locked(request: EnterpriseRequest) -> EnterpriseRequest:
    return EnterpriseRequest.objects.select_for_update().select_related("category", "enterprise").get(pk=request.pk)


def _require_handling_body(actor: Any, request: EnterpriseRequest, action: str) -> None:
    """Staff act on a request only for the body that handles it (or as a leader of the zone)."""
    require_on_body(
        actor,
        zone_id=request.zone_id,
        roles=REQUEST_STAFF_ROLES,
        body_ids=[request.handling_body_id],
        action=action,
        what=f"诉求 {request.number}",
    )


def _transition(
    *, actor: Any, request: EnterpriseRequest, action: RequestAction, expected_status: str | None = None
) -> tuple[EnterpriseRequest, str]:
    """Lock the request, check who acts and that the pipeline allows ``action``; return it and the new status."""
    label = {
        RequestAction.ACKNOWLEDGE: "签收诉求",
        RequestAction.RESPOND: "答复诉求",
        RequestAction.RESOLVE: "办结诉求",
        RequestAction.CONFIRM: "确认诉求办结",
        RequestAction.REOPEN: "重新办理诉求",
    }[action]
    if action in ENTERPRISE_ACTIONS:
        require(actor, zone_id=request.zone_id, roles=[Role.ENTERPRISE], action=label)
        if not is_member_of(actor, request.enterprise):
            raise NotFound("没有找到该诉求，或您无权办理。")
    current = _locked(request)
    if action not in ENTERPRISE_ACTIONS:
        _require_handling_body(actor, current, label)
    if expected_status is not None and current.status != expected_status:
        raise Conflict("该诉求刚被他人办理，状态已变化，请刷新页面后再操作。", code="stale")
    new_status = request_next_status(current.status, action)
    if new_status is None:
        raise TransitionNotAllowed(refusal_message(current.status, action))
    return current, new_status


def request_acknowledge(
    *, actor: Any, request: EnterpriseRequest, note: str = "", expected_status: str | None = None
) -> EnterpriseRequest:
    """The handling body signs for the request."""
    with transaction.atomic():
        current, status = _transition(
            actor=actor, request=request, action=RequestAction.ACKNOWLEDGE, expected_status=expected_status
        )
        current.status = status
        current.acknowledged_at = timezone.now()
        current.save(update_fields=["status", "acknowledged_at", "updated_at"])
        _event(current, actor, "acknowledged", note)
        audit_record(actor=actor, action="enterprises.request.acknowledge", obj=current, changes={"status": status})
    return current


def request_respond(
    *, actor: Any, request: EnterpriseRequest, response: str, expected_status: str | None = None
) -> EnterpriseRequest:
    """Answer the enterprise: what the zone will do, or what it already did."""
    if not (response or "").strip():
        raise InvalidInput("请填写答复内容。", fields={"response": "请填写答复内容。"})
    with transaction.atomic():
        current, status = _transition(
            actor=actor, request=request, action=RequestAction.RESPOND, expected_status=expected_status
        )
        current.status = status
        current.response = response.strip()
        current.responded_at = timezone.now()
        current.save(update_fields=["status", "response", "responded_at", "updated_at"])
        _event(current, actor, "responded", current.response)
        audit_record(actor=actor, action="enterprises.request.respond", obj=current, changes={"status": status})
        notifications.request_answered(current)
    return current


def request_resolve(
    *, actor: Any, request: EnterpriseRequest, resolution: str, expected_status: str | None = None
) -> EnterpriseRequest:
    """Report the request as handled; it stays open until the enterprise confirms."""
    if not (resolution or "").strip():
        raise InvalidInput("请填写办理结果。", fields={"resolution": "请填写办理结果。"})
    with transaction.atomic():
        current, status = _transition(
            actor=actor, request=request, action=RequestAction.RESOLVE, expected_status=expected_status
        )
        current.status = status
        current.resolution = resolution.strip()
        current.resolved_at = timezone.now()
        current.save(update_fields=["status", "resolution", "resolved_at", "updated_at"])
        _event(current, actor, "resolved", current.resolution)
        audit_record(actor=actor, action="enterprises.request.resolve", obj=current, changes={"status": status})
        notifications.request_resolved(current)
    return current


def request_confirm(*, actor: Any, request: EnterpriseRequest, satisfaction: str = "") -> EnterpriseRequest:
    """The enterprise confirms the resolution; only then is the request closed."""
    require_lengths(satisfaction=("满意度评价", satisfaction, limits.NOTE))
    with transaction.atomic():
        current, status = _transition(actor=actor, request=request, action=RequestAction.CONFIRM)
        if not current.responded_at or not current.response:
            raise TransitionNotAllowed("该诉求尚未答复，不能关闭。")
        now = timezone.now()
        current.status = status
        current.confirmed_at = now
        current.confirmed_by = actor
        current.satisfaction = (satisfaction or "").strip()
        current.closed_at = now
        current.save(
            update_fields=["status", "confirmed_at", "confirmed_by", "satisfaction", "closed_at", "updated_at"]
        )
        _event(current, actor, "confirmed", current.satisfaction)
        audit_record(actor=actor, action="enterprises.request.confirm", obj=current, changes={"status": status})
    return current


def request_reopen(
    *, actor: Any, request: EnterpriseRequest, reason: str, on: dt.date | None = None
) -> EnterpriseRequest:
    """The enterprise is not satisfied: the request goes back to the body with new deadlines."""
    if not (reason or "").strip():
        raise InvalidInput("请说明不满意的原因，便于承办单位重新办理。", fields={"reason": "请说明不满意的原因。"})
    start = on or timezone.localdate()
    with transaction.atomic():
        current, status = _transition(actor=actor, request=request, action=RequestAction.REOPEN)
        dues = _deadlines(current.category, start)
        current.status = status
        current.round += 1
        current.respond_due = dues["respond_due"]
        current.resolve_due = dues["resolve_due"]
        current.deadlines_provisional = dues["deadlines_provisional"]
        current.responded_at = None
        current.resolved_at = None
        current.save(
            update_fields=[
                "status",
                "round",
                "respond_due",
                "resolve_due",
                "deadlines_provisional",
                "responded_at",
                "resolved_at",
                "updated_at",
            ]
        )
        _event(current, actor, "reopened", reason.strip())
        audit_record(
            actor=actor,
            action="enterprises.request.reopen",
            obj=current,
            changes={"status": status, "round": current.round, "reason": reason.strip()},
        )
    return current


def _learn(category: RequestCategory, words: list[str], weight: float) -> None:
    counts = Counter(words)
    existing = {w.word: w for w in CategoryWord.objects.select_for_update().filter(category=category, word__in=counts)}
    for word, n in counts.items():
        if word in existing:
            CategoryWord.objects.filter(pk=existing[word].pk).update(weight=F("weight") + weight * n)
        else:
            CategoryWord.objects.create(zone_id=category.zone_id, category=category, word=word, weight=weight * n)
    RequestCategory.objects.filter(pk=category.pk).update(training_count=F("training_count") + 1)


def request_category_confirm(
    *, actor: Any, request: EnterpriseRequest, category: RequestCategory | str
) -> EnterpriseRequest:
    """The clerk confirms the category or corrects it; either way the words teach the model.

    A correction re-routes the request and recomputes its deadlines from the submission date.
    """
    with transaction.atomic():
        current = _locked(request)
        _require_handling_body(actor, current, "确认诉求类别")
        chosen = _category(request.zone_id, category)
        if chosen is None:
            raise InvalidInput("请选择诉求类别。", fields={"category": "请选择诉求类别。"})
        if current.category_confirmed:
            raise TransitionNotAllowed(f"该诉求的类别已确认为“{current.category.name}”，不能再次确认。")
        if current.status not in {RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED}:
            raise TransitionNotAllowed("诉求已答复，不能再更改类别。")
        corrected = chosen.pk != (current.suggested_category_id or current.category_id)
        changes: dict[str, Any] = {"category": [current.category.code, chosen.code], "corrected": corrected}
        if chosen.pk != current.category_id:
            rule = _route(chosen)
            current.category = chosen
            current.domain = rule.domain
            current.handling_body = rule.body
            dues = _deadlines(chosen, current.submitted_on)
            current.ack_due = dues["ack_due"]
            current.respond_due = dues["respond_due"]
            current.resolve_due = dues["resolve_due"]
            current.deadlines_provisional = dues["deadlines_provisional"]
            changes["body"] = rule.body_id
        current.category_confirmed = True
        current.save()
        words = classifier.segment(f"{current.title}\n{current.description}")
        _learn(chosen, words, CORRECTION_WEIGHT if corrected else CONFIRM_WEIGHT)
        _event(
            current,
            actor,
            "category_corrected" if corrected else "category_confirmed",
            f"类别：{chosen.name}；承办：{current.handling_body.name}",
        )
        audit_record(actor=actor, action="enterprises.request.category", obj=current, changes=changes)
    return current


# --- the sweep ---------------------------------------------------------------------------------


def requests_sweep(*, today: dt.date | None = None) -> str:
    """Raise each warning and escalation that is due and not yet raised. Safe to run any number of times."""
    from onezone.org.selectors import body_heads

    today = today or timezone.localdate()
    calendar = load_calendar()

    def left(start: dt.date, end: dt.date) -> int:
        return working_days_between(calendar, start, end)

    open_requests = EnterpriseRequest.objects.filter(
        status__in=[RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED, RequestStatus.RESPONDED]
    ).select_related("handling_body")
    raised = {"warning": 0, "overdue": 0}
    for request in open_requests.iterator(chunk_size=500):
        for stage in PENDING_STAGES[request.status]:
            due = getattr(request, f"{stage}_due")
            kind = alert_kind(stage=stage, today=today, due=due, working_days_left=left)
            if kind is None:
                continue
            if RequestAlert.objects.filter(request=request, round=request.round, kind=kind).exists():
                continue
            escalated_to = []
            if kind.endswith("_overdue"):
                escalated_to = [{"id": p.pk, "name": p.name} for p in body_heads(request.handling_body, on=today)]
            with transaction.atomic():
                alert, created = RequestAlert.objects.get_or_create(
                    request=request,
                    round=request.round,
                    kind=kind,
                    defaults={
                        "zone_id": request.zone_id,
                        "due": due,
                        "body": request.handling_body,
                        "escalated_to": escalated_to,
                        "raised_on": today,
                    },
                )
                if created:
                    note = f"{alert.get_kind_display()}（期限 {due}）"
                    if escalated_to:
                        note += "；上报：" + "、".join(p["name"] for p in escalated_to)
                    _event(request, None, "alert", note)
                    audit_record(
                        actor="system",
                        action="enterprises.request.alert",
                        obj=request,
                        changes={"kind": kind, "due": due, "escalated_to": escalated_to},
                    )
                    raised["overdue" if kind.endswith("_overdue") else "warning"] += 1
    return f"企业诉求：新预警 {raised['warning']} 条，新超期上报 {raised['overdue']} 条"
