"""Writes of the service window: every step of a case, ratings, complaints, the sweep.

Every case step goes through ``_transition``: the role check first, then the case locked with
``select_for_update``, the optional version check (a stale page is refused), the state checked
against ``TRANSITIONS``, one ``CaseEvent`` written, the clock recomputed from all the events and
its deadlines stored on the case, and an audit entry, all in one transaction. ``TRANSITIONS`` says
for each step its states, roles, event, and the fields it stamps; the steps with no rule of their own
(review start, resume, deliver, close, withdraw) are ``case_step`` under their own names.

Each service takes ``on`` (the legal date of the step) and defaults it to today, so the demo and
imports can record past cases through the same code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onezone.core import limits
from onezone.core.audit import audit_record
from onezone.core.bulk import update_columns
from onezone.core.calendar import load_calendar
from onezone.core.codes import CodeError, validate_mobile, validate_resident_id, validate_uscc
from onezone.core.errors import Conflict, InvalidInput, NotFound, StaleObject, TransitionNotAllowed
from onezone.core.limits import require_lengths
from onezone.core.permissions import has_role, require
from onezone.core.roles import Role
from onezone.core.workdays import Calendar, add_working_days
from onezone.enterprises.selectors import enterprise_by_uscc
from onezone.org.authority import acts_for, require_on_body
from onezone.window import notifications
from onezone.window.authority import case_body_ids
from onezone.window.clock import ClockEvent, ClockTerms, EventKind, case_clock, working_days_used
from onezone.window.models import (
    BAD_LEVELS,
    OPEN_STATES,
    ApplicantKind,
    Case,
    CaseCounter,
    CaseEvent,
    CaseState,
    Channel,
    Complaint,
    Rating,
    RatingLevel,
    Rectification,
    SpecialProcedure,
    SupplementNotice,
)

S = CaseState
FAR_DAY = dt.date(9999, 12, 31)
CLERKS = frozenset({Role.ADMIN, Role.CLERK})
REVIEWERS = frozenset({Role.ADMIN, Role.REVIEWER})
HEADS = frozenset({Role.DEPT_HEAD, Role.LEADER})
SUPERVISORS = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD})


def warning_days() -> int:
    return int(getattr(settings, "ONEZONE_WINDOW_WARNING_DAYS", 3))


def rectification_days() -> int:
    return int(getattr(settings, "ONEZONE_WINDOW_RECTIFICATION_DAYS", 15))


def complaint_days() -> int:
    return int(getattr(settings, "ONEZONE_WINDOW_COMPLAINT_DAYS", 10))


# --- the state machine -------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One step of the pipeline; the audit verb is ``case.<action>``."""

    label: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    roles: frozenset[str]
    event: EventKind
    stamp: str = ""  # the case's date field set to the step's date
    assign: str = ""  # the case's user field set to the actor
    note: str = ""  # the keyword the step's free text comes in (``case_<action>(<note>=...)``)
    note_required: tuple[str, str] | None = None  # (message, field message) when the text may not be empty


TRANSITIONS: dict[str, Transition] = {
    "supplement_request": Transition(
        "一次性告知补正", frozenset({S.RECEIVED}), S.SUPPLEMENT_REQUESTED, CLERKS, EventKind.SUPPLEMENT_REQUESTED
    ),
    "supplement_receive": Transition(
        "收取补正材料", frozenset({S.SUPPLEMENT_REQUESTED}), S.SUPPLEMENTED, CLERKS, EventKind.SUPPLEMENTED
    ),
    "accept": Transition("受理", frozenset({S.RECEIVED, S.SUPPLEMENTED}), S.ACCEPTED, CLERKS, EventKind.ACCEPTED),
    "refuse": Transition("不予受理", frozenset({S.RECEIVED, S.SUPPLEMENTED}), S.REFUSED, CLERKS, EventKind.REFUSED),
    "review_start": Transition(
        "开始审查", frozenset({S.ACCEPTED}), S.UNDER_REVIEW, REVIEWERS, EventKind.REVIEW_STARTED, assign="reviewer"
    ),
    "review_confirm": Transition(
        "第二审查人确认",
        frozenset({S.UNDER_REVIEW}),
        None,
        REVIEWERS,
        EventKind.REVIEW_CONFIRMED,
        assign="second_reviewer",
        note="opinion",
    ),
    "suspend": Transition("启动特别程序", frozenset({S.UNDER_REVIEW}), S.SUSPENDED, REVIEWERS, EventKind.SUSPENDED),
    "resume": Transition(
        "特别程序结束", frozenset({S.SUSPENDED}), S.UNDER_REVIEW, REVIEWERS, EventKind.RESUMED, note="result"
    ),
    "extend": Transition("批准延期", frozenset({S.UNDER_REVIEW, S.SUSPENDED}), None, HEADS, EventKind.EXTENDED),
    "decide": Transition(
        "作出许可决定",
        frozenset({S.ACCEPTED, S.UNDER_REVIEW}),
        S.DECIDED,
        REVIEWERS | CLERKS,
        EventKind.DECIDED,
        stamp="decided_on",
    ),
    "deliver": Transition(
        "送达决定", frozenset({S.DECIDED}), S.DELIVERED, CLERKS, EventKind.DELIVERED, stamp="delivered_on"
    ),
    "close": Transition(
        "办结归档", frozenset({S.DELIVERED, S.REFUSED}), S.CLOSED, CLERKS, EventKind.CLOSED, stamp="closed_on"
    ),
    "withdraw": Transition(
        "撤回申请",
        frozenset(OPEN_STATES) - {S.DECIDED},
        S.WITHDRAWN,
        CLERKS,
        EventKind.WITHDRAWN,
        stamp="closed_on",
        note="reason",
        note_required=("请填写撤回原因（申请人书面撤回申请）。", "请填写撤回原因。"),
    ),
}


def allowed_actions(state: str) -> list[str]:
    """The actions the state allows, in the table's order."""
    return [name for name, t in TRANSITIONS.items() if state in t.sources]


def actions_for(case: Case, user: Any) -> list[str]:
    """The actions ``user`` may take on ``case`` now (state, role and the bodies holding it)."""
    names = []
    if not acts_for(user, zone_id=case.zone_id, body_ids=case_body_ids(case.zone_id, case.body_id)):
        return names
    for name in allowed_actions(case.state):
        roles = _roles_for(name, case)
        if has_role(user, case.zone_id, roles):
            names.append(name)
    return names


def _roles_for(action: str, case: Case) -> frozenset[str]:
    spec = TRANSITIONS[action]
    if action == "extend" and case.terms.get("joint"):
        return frozenset({Role.LEADER})  # Art. 42 para. 2: the government's head approves
    if action == "decide" and not case.terms.get("is_instant"):
        return REVIEWERS  # only an instant item is decided on the spot at the window
    return spec.roles


def _refuse_transition(case: Case, action: str) -> TransitionNotAllowed:
    label = TRANSITIONS[action].label
    allowed = "、".join(TRANSITIONS[a].label for a in allowed_actions(case.state)) or "无（已结束）"
    return TransitionNotAllowed(
        f"办件 {case.number} 当前状态为“{case.get_state_display()}”，不能“{label}”。当前状态可进行的操作：{allowed}。"
    )


# --- helpers -----------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _moment(on: dt.date, at: dt.datetime | None) -> dt.datetime:
    if at is not None:
        return at
    now = timezone.localtime()
    if on == now.date():
        return now
    return timezone.make_aware(dt.datetime.combine(on, dt.time(9, 0)))


def _clock_events(events: Iterable[CaseEvent]) -> list[ClockEvent]:
    return [ClockEvent(e.kind, e.on, e.data or {}) for e in events]


def apply_clock(case: Case, events: Iterable[CaseEvent], calendar: Calendar, today: dt.date) -> None:
    """Store the clock's answers on ``case`` (not saved)."""
    clock = case_clock(
        _clock_events(events),
        ClockTerms.from_snapshot(case.terms),
        calendar,
        today=today,
        warning_days=warning_days(),
    )
    case.supplement_deadline = clock.supplement_deadline
    case.accepted_on = clock.accepted_on
    case.deemed_accepted = clock.deemed_accepted
    case.legal_deadline = clock.legal_deadline
    case.committed_deadline = clock.committed_deadline
    case.delivery_deadline = clock.delivery_deadline
    case.due_on = clock.due
    case.legal_due_on = clock.legal_due
    case.queue_on = clock.due or FAR_DAY
    case.deadlines_provisional = clock.provisional
    case.extended = clock.extended
    case.suspended_days = clock.suspended_working_days
    case.is_open = case.state in OPEN_STATES
    if clock.decided_on is not None and clock.committed_deadline is not None:
        case.on_time = clock.decided_on <= clock.committed_deadline
        case.within_legal = clock.legal_deadline is None or clock.decided_on <= clock.legal_deadline
        case.working_days_used = working_days_used(clock, calendar)


CLOCK_FIELDS = [
    "supplement_deadline",
    "accepted_on",
    "deemed_accepted",
    "legal_deadline",
    "committed_deadline",
    "delivery_deadline",
    "due_on",
    "legal_due_on",
    "queue_on",
    "deadlines_provisional",
    "extended",
    "suspended_days",
    "is_open",
    "on_time",
    "within_legal",
    "working_days_used",
]


def _locked_case(actor: Any, case_id: int, action: str) -> Case:
    row = Case.objects.filter(pk=case_id).values("zone_id", "terms", "body_id").first()
    if row is None:
        raise NotFound("办件不存在，请核对办件编号。")
    probe = Case(zone_id=row["zone_id"], terms=row["terms"])
    require_on_body(
        actor,
        zone_id=row["zone_id"],
        roles=_roles_for(action, probe),
        body_ids=case_body_ids(row["zone_id"], row["body_id"]),
        action=TRANSITIONS[action].label,
        what="该办件",
    )
    return Case.objects.select_for_update().get(pk=case_id)


def _transition(
    *,
    actor: Any,
    case_id: int,
    action: str,
    on: dt.date | None,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    guard: Callable[[Case], None] | None = None,
    check: Callable[[Case], None] | None = None,
    change: Callable[[Case], None] | None = None,
) -> Case:
    spec = TRANSITIONS[action]
    on = on or _today()
    with transaction.atomic():
        case = _locked_case(actor, case_id, action)
        if expected_version is not None and case.version != expected_version:
            raise StaleObject(
                f"办件 {case.number} 已被他人更新（现为“{case.get_state_display()}”），请刷新页面后再操作。"
            )
        if guard is not None:
            guard(case)
        if case.state not in spec.sources:
            raise _refuse_transition(case, action)
        if check is not None:
            check(case)
        events = list(case.events.order_by("at", "id"))
        if events and on < events[-1].on:
            raise InvalidInput(
                f"日期 {on} 早于上一步（{events[-1].on}），请核对日期。", fields={"on": "日期早于上一步。"}
            )
        if on > _today():
            raise InvalidInput(f"日期 {on} 晚于今天，不能预先登记。", fields={"on": "日期不能晚于今天。"})
        before = case.state
        if spec.stamp:
            setattr(case, spec.stamp, on)
        if spec.assign:
            setattr(case, spec.assign, actor)
        if change is not None:
            change(case)
        if spec.target is not None:
            case.state = spec.target
        event = CaseEvent.objects.create(
            zone_id=case.zone_id,
            case=case,
            kind=spec.event,
            on=on,
            at=_moment(on, at),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_name=_name(actor),
            state_from=before,
            state_to=case.state,
            reason=reason,
            data=data or {},
        )
        apply_clock(case, [*events, event], load_calendar(), _today())
        case.version += 1
        case.save()
        audit_record(
            actor=actor,
            action=f"case.{action}",
            obj=case,
            changes={"state": [before, case.state], "on": on, "reason": reason, **(data or {})},
        )
        notifications.case_changed(case, action, on)
    return case


def _name(actor: Any) -> str:
    if actor is None:
        return "申请人"
    full = f"{getattr(actor, 'last_name', '')}{getattr(actor, 'first_name', '')}".strip()
    return full or getattr(actor, "username", "") or str(actor)


_SYLLABLE = re.compile(r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouv]+(?:ng|n(?![aeiouv])|r(?![aeiouv]))?")


def zone_prefix(code: str) -> str:
    """The case-number prefix of a zone: the initials of its pinyin code (yongchang → YC)."""
    code = code.lower()
    if re.fullmatch(f"(?:{_SYLLABLE.pattern})+", code):
        return "".join(s[0] for s in _SYLLABLE.findall(code)).upper()
    return re.sub(r"[^A-Z0-9]", "", code.upper())[:6] or "OZ"


def _next_number(zone_id: int, year: int, series: str) -> int:
    counter, _ = CaseCounter.objects.select_for_update().get_or_create(zone_id=zone_id, series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


_QUERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _query_code() -> str:
    return "".join(secrets.choice(_QUERY_ALPHABET) for _ in range(8))


def _material_ids(case: Case) -> dict[int, dict[str, Any]]:
    return {int(m["material_id"]): m for m in case.terms.get("materials", [])}


def _missing_required(case: Case) -> list[str]:
    present = {int(m["material_id"]) for m in case.materials if m.get("presented")}
    return [m["name"] for m in case.terms.get("materials", []) if m.get("required") and m["material_id"] not in present]


# --- receiving -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    kind: str
    name: str
    uscc: str = ""
    id_number: str = ""
    contact_name: str = ""
    mobile: str = ""


def _check_applicant(applicant: Applicant) -> Applicant:
    fields: dict[str, str] = {}
    name = applicant.name.strip()
    if not name:
        fields["applicant_name"] = "请填写申请人名称或姓名。"
    uscc = id_number = mobile = ""
    if applicant.kind == ApplicantKind.ENTERPRISE:
        try:
            uscc = validate_uscc(applicant.uscc)
        except CodeError as exc:
            fields["applicant_uscc"] = exc.message
    elif applicant.kind == ApplicantKind.PERSON:
        try:
            id_number = validate_resident_id(applicant.id_number)
        except CodeError as exc:
            fields["applicant_id_number"] = exc.message
    else:
        fields["applicant_kind"] = "申请人类型应为企业（单位）或个人。"
    if applicant.mobile.strip():
        try:
            mobile = validate_mobile(applicant.mobile)
        except CodeError as exc:
            fields["contact_mobile"] = exc.message
    if fields:
        raise InvalidInput("申请人信息有误：" + "；".join(fields.values()), fields=fields)
    return dataclasses.replace(applicant, name=name, uscc=uscc, id_number=id_number, mobile=mobile)


def _enterprise_id(zone_id: int, uscc: str) -> int | None:
    """The registered enterprise with this credit code in the zone, if any."""
    if not uscc:
        return None
    enterprise = enterprise_by_uscc(zone_id=zone_id, uscc=uscc)
    return enterprise.pk if enterprise is not None else None


def terms_snapshot(terms: Any) -> dict[str, Any]:
    """An ``ItemTerms`` as JSON (tuples become lists)."""
    return json_safe(dataclasses.asdict(terms))


def json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def case_receive(
    *,
    actor: Any,
    zone_id: int,
    item_id: int,
    applicant: Applicant,
    presented: Iterable[int] = (),
    channel: str = Channel.WINDOW,
    park_id: int | None = None,
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    calendar: Calendar | None = None,
) -> Case:
    """Register an application (收件) for an item in the version in force on ``on``."""
    from onezone.powers.rules import applied_for_problem
    from onezone.powers.selectors import item_terms_in_force

    require(actor, zone_id=zone_id, roles=CLERKS, action="收件登记")
    on = on or _today()
    if on > _today():
        raise InvalidInput(f"收件日期 {on} 晚于今天，请核对。", fields={"on": "收件日期不能晚于今天。"})
    if channel not in Channel.values:
        raise InvalidInput("渠道应为窗口、网上或代办。", fields={"channel": "请选择渠道。"})
    applicant = _check_applicant(applicant)
    terms = item_terms_in_force(zone_id=zone_id, item_id=item_id, on=on)
    problem = applied_for_problem(terms.category, terms.name)
    if problem:
        raise InvalidInput(problem, fields={"item_id": "该事项不在窗口受理。"})
    body_ids = case_body_ids(zone_id, terms.implementing_body_id)
    require_on_body(actor, zone_id=zone_id, roles=CLERKS, body_ids=body_ids, action="收件登记", what="该事项")
    snapshot = terms_snapshot(terms)
    known = {m.material_id for m in terms.materials}
    presented = set(presented)
    if presented - known:
        raise InvalidInput(
            "勾选的材料不属于该事项的材料清单，请刷新后重新勾选。", fields={"presented": "材料不在清单中。"}
        )
    with transaction.atomic():
        number = _next_number(zone_id, on.year, "case")
        from onezone.zones.models import Zone

        prefix = zone_prefix(Zone.objects.filter(pk=zone_id).values_list("code", flat=True).get())
        case = Case(
            zone_id=zone_id,
            number=f"{prefix}-{on.year}-{number:06d}",
            year=on.year,
            query_code=_query_code(),
            item_id=terms.item_id,
            item_version_id=terms.version_id,
            item_code=terms.code,
            item_name=terms.name,
            terms=snapshot,
            body_id=terms.implementing_body_id,
            park_id=park_id,
            channel=channel,
            applicant_kind=applicant.kind,
            applicant_name=applicant.name,
            applicant_uscc=applicant.uscc,
            applicant_id_number=applicant.id_number,
            contact_name=applicant.contact_name.strip(),
            contact_mobile=applicant.mobile,
            enterprise_id=_enterprise_id(zone_id, applicant.uscc),
            clerk=actor,
            materials=[
                {
                    "material_id": m.material_id,
                    "name": m.name,
                    "required": m.required,
                    "presented": m.material_id in presented,
                }
                for m in terms.materials
            ],
            received_on=on,
            supplement_deadline=on,
            queue_on=FAR_DAY,
        )
        event = CaseEvent(
            zone_id=zone_id,
            kind=EventKind.RECEIVED,
            on=on,
            at=_moment(on, at),
            actor=actor,
            actor_name=_name(actor),
            state_to=S.RECEIVED,
            data={"presented": sorted(presented)},
        )
        apply_clock(case, [event], calendar or load_calendar(), _today())
        case.save()
        event.case = case
        event.save()
        audit_record(
            actor=actor,
            action="case.receive",
            obj=case,
            changes={"item": terms.name, "version": terms.version_id, "on": on, "channel": channel},
        )
    return case


# --- the steps --------------------------------------------------------------------------------------


def case_supplement_request(
    *,
    actor: Any,
    case_id: int,
    missing: Iterable[int],
    note: str = "",
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """The one-time notice (一次性告知): every missing material at once, once per case (Art. 32)."""
    missing = sorted(set(missing))
    on = on or _today()

    def check(case: Case) -> None:
        if SupplementNotice.objects.filter(case=case).exists():
            notice = case.supplement
            raise Conflict(
                f"办件 {case.number} 已于 {notice.issued_on} 一次性告知补正，依法不能再次告知；"
                "补正后材料仍不齐全的，请作出不予受理决定。"
            )
        if case.state == S.RECEIVED and on > case.supplement_deadline:
            raise TransitionNotAllowed(
                f"收件后 5 个工作日内（{case.supplement_deadline} 前）未告知补正，依法自收件之日起视为受理，"
                "不能再要求补正；请办理受理。"
            )
        if not missing:
            raise InvalidInput("请勾选需要补正的全部材料。", fields={"missing": "至少选择一项需补正的材料。"})
        unknown = set(missing) - set(_material_ids(case))
        if unknown:
            raise InvalidInput("所选材料不属于该事项的材料清单。", fields={"missing": "材料不在清单中。"})

    def change(case: Case) -> None:
        names = [_material_ids(case)[m]["name"] for m in missing]
        SupplementNotice.objects.create(
            zone_id=case.zone_id, case=case, issued_on=on, materials=names, note=note.strip()
        )

    return _transition(
        actor=actor,
        case_id=case_id,
        action="supplement_request",
        on=on,
        at=at,
        expected_version=expected_version,
        reason=note.strip(),
        data={"missing": missing},
        guard=check,
        change=change,
    )


def case_supplement_receive(
    *,
    actor: Any,
    case_id: int,
    presented: Iterable[int],
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Record the materials the applicant brought after the notice."""
    presented = set(presented)

    def change(case: Case) -> None:
        case.materials = [{**m, "presented": m["presented"] or m["material_id"] in presented} for m in case.materials]

    return _transition(
        actor=actor,
        case_id=case_id,
        action="supplement_receive",
        on=on,
        at=at,
        expected_version=expected_version,
        data={"presented": sorted(presented)},
        change=change,
    )


def case_accept(
    *,
    actor: Any,
    case_id: int,
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Accept (受理): every required material must be there."""

    def check(case: Case) -> None:
        missing = _missing_required(case)
        deemed = case.state == S.RECEIVED and (on or _today()) > case.supplement_deadline
        if missing and not deemed:
            advice = "请不予受理" if case.state == S.SUPPLEMENTED else "请一次性告知补正，或不予受理"
            raise InvalidInput(f"必要材料不齐全（缺：{'、'.join(missing)}），不能受理；{advice}。")

    return _transition(
        actor=actor, case_id=case_id, action="accept", on=on, at=at, expected_version=expected_version, check=check
    )


def case_refuse(
    *,
    actor: Any,
    case_id: int,
    reason: str,
    competent_office: str = "",
    outside_powers: bool = False,
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Refuse to accept (不予受理), with the reason; outside the zone's powers, name the competent office."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请填写不予受理的理由。", fields={"reason": "请填写理由。"})
    if outside_powers and not competent_office.strip():
        raise InvalidInput(
            "申请事项不属于本机关职权范围的，应告知申请人向有关行政机关申请，请填写有权受理的机关。",
            fields={"competent_office": "请填写有权受理的机关。"},
        )

    def check(case: Case) -> None:
        if case.state == S.RECEIVED and not outside_powers and (on or _today()) > case.supplement_deadline:
            raise TransitionNotAllowed(
                f"收件后 5 个工作日内（{case.supplement_deadline} 前）未作答复，依法已视为受理，不能再不予受理；"
                "请受理并依法作出决定。"
            )

    def change(case: Case) -> None:
        case.refusal_reason = reason
        case.competent_office = competent_office.strip()

    return _transition(
        actor=actor,
        case_id=case_id,
        action="refuse",
        on=on,
        at=at,
        expected_version=expected_version,
        reason=reason,
        data={"competent_office": competent_office.strip(), "outside_powers": outside_powers},
        check=check,
        change=change,
    )


def case_suspend(
    *,
    actor: Any,
    case_id: int,
    procedure: str,
    expected_days: int,
    notice: str,
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """Start a special procedure (Art. 45): its type, expected length and the written notice to the applicant."""
    if procedure not in SpecialProcedure.values:
        raise InvalidInput(
            "特别程序应为听证、招标、拍卖、检验、检测、检疫、鉴定或专家评审。", fields={"procedure": "请选择程序。"}
        )
    if expected_days < 1:
        raise InvalidInput("请填写特别程序预计所需的工作日数（至少 1 天）。", fields={"expected_days": "至少 1 天。"})
    if not notice.strip():
        raise InvalidInput(
            "请填写告知申请人的特别程序说明（书面告知所需时间）。", fields={"notice": "请填写告知内容。"}
        )

    def check(case: Case) -> None:
        listed = case.terms.get("special_procedures") or []
        if listed and procedure not in listed:
            labels = "、".join(str(SpecialProcedure(p).label) for p in listed if p in SpecialProcedure.values)
            raise InvalidInput(
                f"该事项的特别程序为：{labels}，不含所选程序。", fields={"procedure": "不属于该事项的特别程序。"}
            )

    return _transition(
        actor=actor,
        case_id=case_id,
        action="suspend",
        on=on,
        at=at,
        expected_version=expected_version,
        reason=notice.strip(),
        data={"procedure": procedure, "expected_days": expected_days, "expected_unit": "working"},
        check=check,
    )


def case_extend(
    *,
    actor: Any,
    case_id: int,
    reason: str,
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """One extension (Art. 42), approved by the head, with the reason the applicant is told."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请填写延期理由（将书面告知申请人）。", fields={"reason": "请填写延期理由。"})
    on = on or _today()

    def check(case: Case) -> None:
        if case.extended:
            raise Conflict(f"办件 {case.number} 已延期过一次，依法只能延期一次。")
        if case.legal_deadline is not None and on > case.legal_deadline:
            raise TransitionNotAllowed(
                f"法定时限 {case.legal_deadline} 已过，不能再批准延期；延期须在法定时限届满前批准。"
            )

    return _transition(
        actor=actor,
        case_id=case_id,
        action="extend",
        on=on,
        at=at,
        expected_version=expected_version,
        reason=reason,
        check=check,
    )


def case_review_confirm(
    *,
    actor: Any,
    case_id: int,
    opinion: str,
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """The second reviewer checks the substance personally (Art. 34: two or more staff), under their own
    login, with their opinion; until then no decision can be made on a promised item."""
    opinion = opinion.strip()
    if not opinion:
        raise InvalidInput("请填写第二审查人的审查意见。", fields={"opinion": "请填写审查意见。"})

    def check(case: Case) -> None:
        if case.second_reviewer_id is not None:
            raise Conflict(f"办件 {case.number} 已由第二审查人确认审查意见。")
        if case.reviewer_id == getattr(actor, "pk", None):
            raise InvalidInput(
                "第二审查人须为本件审查人以外的另一名审查人员，请由另一名审查人员登录后确认。",
                fields={"opinion": "不能由本件审查人本人确认。"},
            )

    return _transition(
        actor=actor,
        case_id=case_id,
        action="review_confirm",
        on=on,
        at=at,
        expected_version=expected_version,
        reason=opinion,
        check=check,
    )


def case_decide(
    *,
    actor: Any,
    case_id: int,
    granted: bool,
    text: str,
    licence_number: str = "",
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """The decision to grant or not (准予 / 不予许可). The substance is checked by two staff (Art. 34): a
    promised item is decided only after a second reviewer has confirmed it (``case_review_confirm``), and
    not by that second reviewer."""
    text = text.strip()
    if not text:
        raise InvalidInput("请填写决定内容（不予许可的，应说明理由）。", fields={"text": "请填写决定内容。"})

    def check(case: Case) -> None:
        instant = bool(case.terms.get("is_instant"))
        if case.state == S.ACCEPTED and not instant:
            raise TransitionNotAllowed(
                f"办件 {case.number} 为承诺件，须先“开始审查”，经两名以上工作人员审查后作出决定。"
            )
        if not instant:
            if case.second_reviewer_id is None:
                raise TransitionNotAllowed(
                    f"办件 {case.number} 尚未经第二审查人确认：实质审查须由两名以上工作人员进行（第34条），"
                    "请另一名审查人员登录后“第二审查人确认”，再作出决定。"
                )
            if case.second_reviewer_id == actor.pk:
                raise InvalidInput(
                    "作出决定的审查人员须与第二审查人不同，请由本件的审查人作出决定。",
                    fields={"text": "第二审查人不能同时作出决定。"},
                )

    def change(case: Case) -> None:
        case.granted = granted
        case.decision_text = text
        case.licence_number = licence_number.strip()
        if case.reviewer_id is None:
            case.reviewer = actor

    return _transition(
        actor=actor,
        case_id=case_id,
        action="decide",
        on=on,
        at=at,
        expected_version=expected_version,
        reason=text,
        data={"granted": granted},
        check=check,
        change=change,
    )


def case_step(
    *,
    actor: Any,
    case_id: int,
    action: str,
    note: str = "",
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """A step that has no rule of its own beyond ``TRANSITIONS``: the table says what it stamps on the case,
    whom it assigns, and whether its text (kept as the event's reason) may be empty."""
    spec = TRANSITIONS[action]
    note = note.strip()
    if spec.note_required is not None and not note:
        message, field_message = spec.note_required
        raise InvalidInput(message, fields={spec.note: field_message})
    return _transition(
        actor=actor, case_id=case_id, action=action, on=on, at=at, expected_version=expected_version, reason=note
    )


# The steps with no rule of their own, under the names callers use; each is ``case_step`` with its action.
_Stamp = dt.date | None
_At = dt.datetime | None


def case_review_start(
    *, actor: Any, case_id: int, on: _Stamp = None, at: _At = None, expected_version: int | None = None
) -> Case:
    """开始审查: an accepted case goes under review, the actor its reviewer."""
    return case_step(
        actor=actor, case_id=case_id, action="review_start", on=on, at=at, expected_version=expected_version
    )


def case_resume(
    *,
    actor: Any,
    case_id: int,
    result: str = "",
    on: _Stamp = None,
    at: _At = None,
    expected_version: int | None = None,
) -> Case:
    """特别程序结束: a suspended case goes back under review; ``result`` is what the procedure found."""
    return case_step(
        actor=actor, case_id=case_id, action="resume", note=result, on=on, at=at, expected_version=expected_version
    )


def case_deliver(
    *, actor: Any, case_id: int, on: _Stamp = None, at: _At = None, expected_version: int | None = None
) -> Case:
    """送达决定: the decision is delivered to the applicant."""
    return case_step(actor=actor, case_id=case_id, action="deliver", on=on, at=at, expected_version=expected_version)


def case_close(
    *, actor: Any, case_id: int, on: _Stamp = None, at: _At = None, expected_version: int | None = None
) -> Case:
    """办结归档: a delivered or refused case is closed."""
    return case_step(actor=actor, case_id=case_id, action="close", on=on, at=at, expected_version=expected_version)


def case_withdraw(
    *,
    actor: Any,
    case_id: int,
    reason: str = "",
    on: _Stamp = None,
    at: _At = None,
    expected_version: int | None = None,
) -> Case:
    """撤回申请: the applicant withdraws in writing; ``reason`` may not be empty."""
    return case_step(
        actor=actor, case_id=case_id, action="withdraw", note=reason, on=on, at=at, expected_version=expected_version
    )


def case_intake(
    *,
    actor: Any,
    zone_id: int,
    item_id: int,
    applicant: Applicant,
    presented: Iterable[int],
    outcome: str,
    missing: Iterable[int] = (),
    note: str = "",
    reason: str = "",
    competent_office: str = "",
    outside_powers: bool = False,
    channel: str = Channel.WINDOW,
    park_id: int | None = None,
    on: dt.date | None = None,
) -> Case:
    """The desk in one step: receive, then accept, send the one-time notice, or refuse."""
    if outcome not in {"accept", "supplement", "refuse"}:
        raise InvalidInput("请选择受理、一次性告知补正或不予受理。", fields={"outcome": "请选择处理方式。"})
    with transaction.atomic():
        case = case_receive(
            actor=actor,
            zone_id=zone_id,
            item_id=item_id,
            applicant=applicant,
            presented=presented,
            channel=channel,
            park_id=park_id,
            on=on,
        )
        if outcome == "accept":
            return case_accept(actor=actor, case_id=case.pk, on=on)
        if outcome == "supplement":
            return case_supplement_request(actor=actor, case_id=case.pk, missing=missing, note=note, on=on)
        return case_refuse(
            actor=actor,
            case_id=case.pk,
            reason=reason,
            competent_office=competent_office,
            outside_powers=outside_powers,
            on=on,
        )


def clock_refresh(case: Case, events: Iterable[Any], calendar: Calendar, today: dt.date, *, save: bool = True) -> bool:
    """Apply the clock to ``case`` from its events in order. True if its deadlines moved; then it is
    saved, or with ``save=False`` left for the caller to write with ``clocks_save``."""
    before = [getattr(case, f) for f in CLOCK_FIELDS]
    apply_clock(case, events, calendar, today)
    if [getattr(case, f) for f in CLOCK_FIELDS] == before:
        return False
    if save:
        case.save(update_fields=[*CLOCK_FIELDS, "updated_at"])
    return True


def clocks_save(cases: list[Case]) -> int:
    """Write the clocks of many cases refreshed with ``save=False``, in one statement."""
    now = timezone.now()
    for case in cases:
        case.updated_at = now
    return update_columns(Case, cases, [*CLOCK_FIELDS, "updated_at"])


def case_recompute(case: Case, *, calendar: Calendar | None = None, today: dt.date | None = None) -> bool:
    """Recompute a case's stored deadlines (after a calendar import or a day passing). True if changed."""
    return clock_refresh(case, case.events.order_by("at", "id"), calendar or load_calendar(), today or _today())


def _event_order(event: CaseEvent) -> tuple[Any, int]:
    return event.at, event.pk


def provisional_recompute(*, years: Iterable[int] = ()) -> int:
    """After a calendar import: recompute the open cases whose deadlines were provisional."""
    calendar, today, changed = load_calendar(), _today(), 0
    ids = list(Case.objects.filter(is_open=True, deadlines_provisional=True).values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        with transaction.atomic():
            chunk = Case.objects.filter(pk__in=ids[start : start + 500]).prefetch_related("events")
            moved = [
                case
                for case in chunk
                if clock_refresh(case, sorted(case.events.all(), key=_event_order), calendar, today, save=False)
            ]
            changed += clocks_save(moved)
    return changed


# --- ratings and rectification ----------------------------------------------------------------------


def _public_case(case_number: str, query_code: str) -> Case:
    case = Case.objects.filter(number=case_number.strip().upper(), query_code=query_code.strip().upper()).first()
    if case is None:
        raise NotFound("办件编号或查询码不正确，请核对受理通知书上的编号和查询码。")
    return case


def rating_submit(
    *,
    case_number: str,
    query_code: str,
    level: int,
    comment: str = "",
    channel: str = Channel.ONLINE,
    on: dt.date | None = None,
) -> Rating:
    """The applicant rates a finished case (好差评), once. A bad rating opens a rectification."""
    if level not in RatingLevel.values:
        raise InvalidInput("请选择评价等级（非常满意至非常不满意）。", fields={"level": "请选择评价等级。"})
    require_lengths(comment=("评价内容", comment, limits.COMMENT))
    on = on or _today()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=_public_case(case_number, query_code).pk)
        if case.state not in (S.CLOSED, S.REFUSED, S.DELIVERED):
            raise TransitionNotAllowed(f"办件 {case.number} 尚未办结（{case.get_state_display()}），办结后才能评价。")
        if Rating.objects.filter(case=case).exists():
            raise Conflict(f"办件 {case.number} 已评价过，每件只能评价一次。")
        if level in BAD_LEVELS and not comment.strip():
            raise InvalidInput("差评请写明不满意的原因，便于整改。", fields={"comment": "请填写原因。"})
        rating = Rating.objects.create(
            zone_id=case.zone_id, case=case, level=level, comment=comment.strip(), rated_on=on, channel=channel
        )
        if level in BAD_LEVELS:
            rectification = Rectification.objects.create(
                zone_id=case.zone_id,
                rating=rating,
                # The follow-up of a rating of the window's service is routed by the routing rule; the
                # case's body keeps the case.
                body_id=_window_body_id(case.zone_id) or case.body_id,
                due_on=add_working_days(load_calendar(), on, rectification_days()).date,
            )
            notifications.rectification_opened(rectification, case, rating)
        audit_record(actor="public", action="rating.submit", obj=rating, changes={"level": level, "case": case.number})
    return rating


def _window_body_id(zone_id: int) -> int | None:
    from onezone.org.services import matter_route

    try:
        return matter_route(zone_id=zone_id, category="window_service").body_id
    except NotFound:
        return None


def rectification_record(
    *,
    actor: Any,
    rectification_id: int,
    measures: str,
    follow_up: str,
    on: dt.date | None = None,
) -> Rectification:
    """Record the measures taken and the follow-up with the rater; closes the rectification."""
    rect = Rectification.objects.filter(pk=rectification_id).first()
    if rect is None:
        raise NotFound("整改记录不存在。")
    require(actor, zone_id=rect.zone_id, roles=SUPERVISORS | {Role.CLERK}, action="登记差评整改")
    if not measures.strip() or not follow_up.strip():
        raise InvalidInput(
            "请填写整改措施和回访情况。",
            fields={k: "必填" for k, v in (("measures", measures), ("follow_up", follow_up)) if not v.strip()},
        )
    on = on or _today()
    with transaction.atomic():
        rect = Rectification.objects.select_for_update().get(pk=rectification_id)
        if rect.status != Rectification.Status.OPEN:
            raise TransitionNotAllowed(f"该整改已是“{rect.get_status_display()}”，不能再登记。")
        rect.measures, rect.follow_up = measures.strip(), follow_up.strip()
        rect.followed_up_on = rect.done_on = on
        rect.status = Rectification.Status.DONE
        rect.save()
        audit_record(actor=actor, action="rectification.record", obj=rect, changes={"on": on})
    return rect


def rating_appeal(*, actor: Any, rating_id: int, reason: str) -> Rating:
    """Appeal a mistaken or malicious bad rating (申诉)."""
    rating = Rating.objects.filter(pk=rating_id).first()
    if rating is None:
        raise NotFound("评价不存在。")
    require(actor, zone_id=rating.zone_id, roles=SUPERVISORS | {Role.CLERK}, action="差评申诉")
    if not reason.strip():
        raise InvalidInput("请填写申诉理由和证据。", fields={"reason": "请填写申诉理由。"})
    with transaction.atomic():
        rating = Rating.objects.select_for_update().get(pk=rating_id)
        if not rating.is_bad:
            raise TransitionNotAllowed("只有差评（不满意、非常不满意）可以申诉。")
        if rating.appeal:
            raise Conflict(f"该差评已申诉（{rating.get_appeal_display()}），不能重复申诉。")
        rating.appeal, rating.appeal_reason = Rating.Appeal.PENDING, reason.strip()
        rating.save(update_fields=["appeal", "appeal_reason", "updated_at"])
        audit_record(actor=actor, action="rating.appeal", obj=rating, changes={"reason": reason.strip()})
    return rating


def rating_appeal_decide(*, actor: Any, rating_id: int, upheld: bool, outcome: str) -> Rating:
    """The leadership decides an appeal; an upheld appeal voids the rectification and the rating does not count."""
    rating = Rating.objects.filter(pk=rating_id).first()
    if rating is None:
        raise NotFound("评价不存在。")
    require(actor, zone_id=rating.zone_id, roles=frozenset({Role.ADMIN, Role.LEADER}), action="审核差评申诉")
    if not outcome.strip():
        raise InvalidInput("请填写审核意见。", fields={"outcome": "请填写审核意见。"})
    with transaction.atomic():
        rating = Rating.objects.select_for_update().get(pk=rating_id)
        if rating.appeal != Rating.Appeal.PENDING:
            raise TransitionNotAllowed("该评价没有待审核的申诉。")
        rating.appeal = Rating.Appeal.UPHELD if upheld else Rating.Appeal.REJECTED
        rating.appeal_outcome = outcome.strip()
        rating.save(update_fields=["appeal", "appeal_outcome", "updated_at"])
        if upheld:
            Rectification.objects.filter(rating=rating, status=Rectification.Status.OPEN).update(
                status=Rectification.Status.VOID
            )
        audit_record(actor=actor, action="rating.appeal_decide", obj=rating, changes={"upheld": upheld})
    return rating


# --- complaints ------------------------------------------------------------------------------------------


def complaint_register(
    *,
    actor: Any,
    zone_id: int,
    complainant: str,
    content: str,
    mobile: str = "",
    case_id: int | None = None,
    category: str = "window_service",
    on: dt.date | None = None,
) -> Complaint:
    """Register a complaint about a case or the window; its category's routing rule decides the handling
    body (社会事务归行政、经济事务归园区、综合监管归行业), as for enterprise requests.

    ``actor`` None is the public form (the case, if any, was found by its query code).
    """
    from onezone.org.services import matter_route

    if actor is not None:
        require(actor, zone_id=zone_id, roles=CLERKS | SUPERVISORS, action="登记投诉")
    require_lengths(
        complainant=("投诉人", complainant, limits.NAME),
        mobile=("联系电话", mobile, 20),
        content=("投诉内容", content, limits.DESCRIPTION),
    )
    fields = {}
    if not complainant.strip():
        fields["complainant"] = "请填写投诉人。"
    if not content.strip():
        fields["content"] = "请填写投诉内容。"
    if mobile.strip():
        try:
            mobile = validate_mobile(mobile)
        except CodeError as exc:
            fields["mobile"] = exc.message
    if fields:
        raise InvalidInput("投诉信息不完整：" + "；".join(fields.values()), fields=fields)
    if case_id is not None and not Case.objects.filter(pk=case_id, zone_id=zone_id).exists():
        raise NotFound("投诉所涉办件不存在。")
    on = on or _today()
    try:
        route = matter_route(zone_id=zone_id, category=category or "window_service")
    except NotFound as exc:
        raise InvalidInput(
            f"投诉类别“{category}”在本开发区没有归口规则，请从列表中选择投诉类别。", fields={"category": "请选择类别。"}
        ) from exc
    with transaction.atomic():
        number = _next_number(zone_id, on.year, "complaint")
        complaint = Complaint.objects.create(
            zone_id=zone_id,
            number=f"TS-{on.year}-{number:05d}",
            case_id=case_id,
            complainant=complainant.strip(),
            mobile=mobile,
            content=content.strip(),
            category=route.category,
            received_on=on,
            body=route.body,
            due_on=add_working_days(load_calendar(), on, complaint_days()).date,
        )
        audit_record(
            actor=actor or "public", action="complaint.register", obj=complaint, changes={"body": route.body.name}
        )
    return complaint


def complaint_answer(
    *, actor: Any, complaint_id: int, answer: str, outcome: str, on: dt.date | None = None
) -> Complaint:
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound("投诉不存在。")
    require(actor, zone_id=complaint.zone_id, roles=SUPERVISORS, action="答复投诉")
    if not answer.strip():
        raise InvalidInput("请填写答复内容。", fields={"answer": "请填写答复内容。"})
    if outcome not in Complaint.Outcome.values:
        raise InvalidInput("请选择核查结论。", fields={"outcome": "请选择核查结论。"})
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
        if complaint.status != Complaint.Status.OPEN:
            raise TransitionNotAllowed(f"投诉 {complaint.number} 已答复，不能重复答复。")
        complaint.answer, complaint.outcome = answer.strip(), outcome
        complaint.answered_on = on or _today()
        complaint.status = Complaint.Status.ANSWERED
        complaint.save()
        audit_record(actor=actor, action="complaint.answer", obj=complaint, changes={"outcome": outcome})
    return complaint
