"""The window over the API: cases (create, every step, list, detail), the public look-up, Open311."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Router, Schema, Status

from onezone.core.errors import NotFound, PermissionDenied
from onezone.core.permissions import require_read, roles_in
from onezone.core.roles import STAFF_ROLES
from onezone.window import selectors, services
from onezone.window.open311 import router as open311_router
from onezone.window.ratelimit import lookup_rate_limit
from onezone.window.services import Applicant

router = Router(tags=["政务服务窗口"])
router.add_router("/open311/", open311_router)


def _staff_read(actor, *, zone_id: int) -> None:
    """The zone's staff (and the province) read its cases, complaints and ratings; enterprises use the portal."""
    require_read(actor, zone_id=zone_id)
    if not roles_in(actor, zone_id) & STAFF_ROLES:
        raise PermissionDenied("办件、投诉和评价信息仅向本开发区工作人员开放；企业请在企业服务门户查看自己的办件。")


class ApplicantIn(Schema):
    kind: Literal["enterprise", "person"]
    name: str
    uscc: str = ""
    id_number: str = ""
    contact_name: str = ""
    mobile: str = ""


class CaseIn(Schema):
    item_id: int
    applicant: ApplicantIn
    presented: list[int] = []
    channel: Literal["window", "online", "agent"] = "window"
    park_id: int | None = None
    on: dt.date | None = None


class StepIn(Schema):
    version: int | None = None
    on: dt.date | None = None
    reason: str = ""
    missing: list[int] = []
    presented: list[int] = []
    note: str = ""
    competent_office: str = ""
    outside_powers: bool = False
    procedure: str = ""
    expected_days: int = 0
    granted: bool = True
    text: str = ""
    licence_number: str = ""


class CaseRowOut(Schema):
    id: int
    number: str
    item_name: str
    applicant_name: str
    state: str
    state_label: str
    due_on: dt.date | None
    committed_deadline: dt.date | None
    legal_deadline: dt.date | None
    provisional: bool
    working_days_left: int | None
    colour: str


class CasePageOut(Schema):
    rows: list[CaseRowOut]
    next_cursor: str | None


class WindowEventOut(Schema):
    kind: str
    on: dt.date
    actor_name: str
    reason: str
    data: dict


class CaseOut(Schema):
    id: int
    number: str
    version: int
    state: str
    state_label: str
    item_id: int
    item_name: str
    item_version_id: int | None
    applicant_kind: str
    applicant_name: str
    applicant_uscc: str
    applicant_id_masked: str
    contact_mobile_masked: str
    received_on: dt.date
    supplement_deadline: dt.date
    accepted_on: dt.date | None
    deemed_accepted: bool
    committed_deadline: dt.date | None
    legal_deadline: dt.date | None
    delivery_deadline: dt.date | None
    provisional: bool
    extended: bool
    suspended_working_days: int
    working_days_left: int | None
    colour: str
    notes: list[str]
    actions: list[str]
    events: list[WindowEventOut]


class PublicIn(Schema):
    number: str
    query_code: str


class PublicOut(Schema):
    number: str
    item_name: str
    state: str
    state_label: str
    received_on: dt.date
    accepted_on: dt.date | None
    deemed_accepted: bool
    committed_deadline: dt.date | None
    legal_deadline: dt.date | None
    provisional: bool
    next_step: str


def _detail(request, zone_id: int, case_id: int) -> dict:
    d = selectors.case_detail(zone_id=zone_id, case_id=case_id, user=request.user)
    c = d.case
    return {
        "id": c.pk,
        "number": c.number,
        "version": c.version,
        "state": c.state,
        "state_label": c.get_state_display(),
        "item_id": c.item_id,
        "item_name": c.item_name,
        "item_version_id": c.item_version_id,
        "applicant_kind": c.applicant_kind,
        "applicant_name": c.applicant_name,
        "applicant_uscc": c.applicant_uscc,
        "applicant_id_masked": c.applicant_id_masked,
        "contact_mobile_masked": c.contact_mobile_masked,
        "received_on": c.received_on,
        "supplement_deadline": c.supplement_deadline,
        "accepted_on": d.clock.accepted_on,
        "deemed_accepted": d.clock.deemed_accepted,
        "committed_deadline": d.clock.committed_deadline,
        "legal_deadline": d.clock.legal_deadline,
        "delivery_deadline": d.clock.delivery_deadline,
        "provisional": d.clock.provisional,
        "extended": d.clock.extended,
        "suspended_working_days": d.clock.suspended_working_days,
        "working_days_left": d.clock.working_days_left,
        "colour": str(d.clock.colour),
        "notes": list(d.clock.notes),
        "actions": d.actions,
        "events": [
            {"kind": e.kind, "on": e.on, "actor_name": e.actor_name, "reason": e.reason, "data": e.data or {}}
            for e in d.events
        ],
    }


@router.get("/zones/{zone_id}/cases", response=CasePageOut, summary="在办办件（按时限排序，游标翻页）")
def list_cases(
    request,
    zone_id: int,
    scope: Literal["mine", "body", "zone"] = "zone",
    state: str | None = None,
    colour: str | None = None,
    item_id: int | None = None,
    q: str = "",
    cursor: str | None = None,
    size: int = 50,
):
    _staff_read(request.user, zone_id=zone_id)
    page = selectors.queue_page(
        zone_id=zone_id,
        scope=scope,
        user=request.user,
        state=state,
        colour=colour,
        item_id=item_id,
        query=q,
        cursor=cursor,
        size=size,
    )
    return {
        "rows": [{**r.__dict__, "provisional": r.provisional} for r in page.rows],
        "next_cursor": page.next_cursor,
    }


@router.post("/zones/{zone_id}/cases", response={201: CaseOut}, summary="收件登记")
def create_case(request, zone_id: int, payload: CaseIn):
    case = services.case_receive(
        actor=request.user,
        zone_id=zone_id,
        item_id=payload.item_id,
        applicant=Applicant(**payload.applicant.dict()),
        presented=payload.presented,
        channel=payload.channel,
        park_id=payload.park_id,
        on=payload.on,
    )
    return Status(201, _detail(request, zone_id, case.pk))


@router.get("/zones/{zone_id}/cases/{case_id}", response=CaseOut, summary="办件详情（含时限及依据）")
def get_case(request, zone_id: int, case_id: int):
    _staff_read(request.user, zone_id=zone_id)
    return _detail(request, zone_id, case_id)


STEPS = Literal[
    "supplement_request",
    "supplement_receive",
    "accept",
    "refuse",
    "review_start",
    "review_confirm",
    "suspend",
    "resume",
    "extend",
    "decide",
    "deliver",
    "close",
    "withdraw",
]


@router.post("/zones/{zone_id}/cases/{case_id}/{action}", response=CaseOut, summary="办件流转（每一步）")
def case_step(request, zone_id: int, case_id: int, action: STEPS, payload: StepIn):
    _staff_read(request.user, zone_id=zone_id)
    if not selectors.Case.objects.filter(pk=case_id, zone_id=zone_id).exists():
        raise NotFound("办件不存在，或不属于该开发区。")
    common = {"actor": request.user, "case_id": case_id, "expected_version": payload.version, "on": payload.on}
    p = payload
    calls = {
        "supplement_request": lambda: services.case_supplement_request(**common, missing=p.missing, note=p.note),
        "supplement_receive": lambda: services.case_supplement_receive(**common, presented=p.presented),
        "accept": lambda: services.case_accept(**common),
        "refuse": lambda: services.case_refuse(
            **common, reason=p.reason, competent_office=p.competent_office, outside_powers=p.outside_powers
        ),
        "review_start": lambda: services.case_review_start(**common),
        "suspend": lambda: services.case_suspend(
            **common, procedure=p.procedure, expected_days=p.expected_days, notice=p.note or p.reason
        ),
        "resume": lambda: services.case_resume(**common, result=p.reason),
        "extend": lambda: services.case_extend(**common, reason=p.reason),
        "review_confirm": lambda: services.case_review_confirm(**common, opinion=p.reason or p.note),
        "decide": lambda: services.case_decide(
            **common, granted=p.granted, text=p.text, licence_number=p.licence_number
        ),
        "deliver": lambda: services.case_deliver(**common),
        "close": lambda: services.case_close(**common),
        "withdraw": lambda: services.case_withdraw(**common, reason=p.reason),
    }
    calls[action]()
    return _detail(request, zone_id, case_id)


class WindowFiguresOut(Schema):
    cases: int
    decided: int
    on_time_rate: float | None
    overdue_now: int
    violations: int


@router.get("/zones/{zone_id}/figures", response=WindowFiguresOut, summary="办件关键指标")
def figures(request, zone_id: int, year: int | None = None):
    _staff_read(request.user, zone_id=zone_id)
    f = selectors.zone_case_figures(zone_id=zone_id, year=year or timezone.localdate().year)
    return {**f.__dict__, "on_time_rate": None if f.on_time_rate is None else float(f.on_time_rate)}


@router.post("/public/lookup", auth=None, response=PublicOut, summary="公众查询办件进度（限流）")
def public_lookup(request, payload: PublicIn):
    lookup_rate_limit(request)
    s = selectors.public_status(number=payload.number, query_code=payload.query_code)
    return s.__dict__


# --- Follow-up work: complaints, bad ratings and their rectification ---------------------------------


class ComplaintOut(Schema):
    id: int
    number: str
    case_id: int | None
    content: str
    received_on: dt.date
    body_id: int
    due_on: dt.date
    status: str
    answer: str
    outcome: str
    answered_on: dt.date | None


class ComplaintAnswerIn(Schema):
    answer: str
    outcome: str


class RatingOut(Schema):
    id: int
    case_id: int
    level: int
    level_label: str
    comment: str
    rated_on: dt.date
    appeal: str
    appeal_reason: str
    appeal_outcome: str

    @staticmethod
    def resolve_level_label(obj) -> str:
        return obj.get_level_display()


class AppealIn(Schema):
    reason: str


class AppealDecisionIn(Schema):
    upheld: bool
    outcome: str


class RectificationOut(Schema):
    id: int
    rating_id: int
    due_on: dt.date
    status: str
    measures: str
    follow_up: str
    followed_up_on: dt.date | None
    done_on: dt.date | None


class RectificationIn(Schema):
    measures: str
    follow_up: str


@router.get("/zones/{zone_id}/complaints", response=list[ComplaintOut], summary="投诉列表（投诉人信息不在列表中）")
def list_complaints(request, zone_id: int, status: str | None = None):
    _staff_read(request.user, zone_id=zone_id)
    return list(selectors.complaints_of(zone_id=zone_id, status=status)[:500])


@router.post("/complaints/{complaint_id}/answer", response=ComplaintOut, summary="答复投诉并记录核查结论")
def answer_complaint(request, complaint_id: int, payload: ComplaintAnswerIn):
    return services.complaint_answer(
        actor=request.user, complaint_id=complaint_id, answer=payload.answer, outcome=payload.outcome
    )


@router.get("/zones/{zone_id}/ratings", response=list[RatingOut], summary="好差评列表")
def list_ratings(request, zone_id: int, bad_only: bool = False):
    _staff_read(request.user, zone_id=zone_id)
    return list(selectors.ratings_of(zone_id=zone_id, bad_only=bad_only)[:500])


@router.post("/ratings/{rating_id}/appeal", response=RatingOut, summary="对差评提出申诉（误评、恶意差评）")
def appeal_rating(request, rating_id: int, payload: AppealIn):
    return services.rating_appeal(actor=request.user, rating_id=rating_id, reason=payload.reason)


@router.post("/ratings/{rating_id}/appeal/decision", response=RatingOut, summary="审核差评申诉")
def decide_appeal(request, rating_id: int, payload: AppealDecisionIn):
    return services.rating_appeal_decide(
        actor=request.user, rating_id=rating_id, upheld=payload.upheld, outcome=payload.outcome
    )


@router.get("/zones/{zone_id}/rectifications", response=list[RectificationOut], summary="差评整改列表")
def list_rectifications(request, zone_id: int, status: str | None = None):
    _staff_read(request.user, zone_id=zone_id)
    return list(selectors.rectifications_of(zone_id=zone_id, status=status)[:500])


@router.post("/rectifications/{rectification_id}/record", response=RectificationOut, summary="登记整改措施和回访")
def record_rectification(request, rectification_id: int, payload: RectificationIn):
    return services.rectification_record(
        actor=request.user, rectification_id=rectification_id, measures=payload.measures, follow_up=payload.follow_up
    )
