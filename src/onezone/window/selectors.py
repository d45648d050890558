"""Reads of the service window: queues, the case page, figures, the public look-up, Open311.

Queues page by keyset on the stored ``queue_on`` deadline and the id, so the tenth thousand page
costs what the first does; colours and days left are computed from the stored deadlines and the
calendar in Python, one query per page whatever its size, once per distinct deadline pair (a page is
sorted by deadline, so its rows share a handful of them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone, translation

from onezone.core.calendar import load_calendar
from onezone.core.errors import InvalidInput, NotFound
from onezone.core.prepared import Prepared
from onezone.core.workdays import Calendar, add_working_days
from onezone.window.clock import COLOUR_LABELS, CaseClock, ClockTerms, Colour, case_clock, colour_for
from onezone.window.models import BAD_LEVELS, OPEN_STATES, Case, CaseEvent, CaseState, Complaint, Rating, Rectification
from onezone.window.services import _clock_events, actions_for, warning_days

PAGE_SIZE = 50
STATE_LABELS = dict(CaseState.choices)

NEXT_STEP = {
    CaseState.RECEIVED: "窗口审核申请材料，当场或 5 个工作日内作出受理、补正告知或不予受理",
    CaseState.SUPPLEMENT_REQUESTED: "请按一次性告知书补齐全部材料后提交",
    CaseState.SUPPLEMENTED: "窗口审核补正材料，作出受理或不予受理",
    CaseState.ACCEPTED: "等待审查",
    CaseState.UNDER_REVIEW: "审查中，将在办结时限内作出决定",
    CaseState.SUSPENDED: "特别程序进行中（所需时间不计入办理时限）",
    CaseState.DECIDED: "决定已作出，等待领取或送达",
    CaseState.DELIVERED: "决定已送达，等待归档",
    CaseState.CLOSED: "已办结，欢迎评价",
    CaseState.REFUSED: "不予受理，详见不予受理决定书",
    CaseState.WITHDRAWN: "申请已撤回",
}


def _today() -> dt.date:
    return timezone.localdate()


# --- queues -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    id: int
    number: str
    item_name: str
    applicant_name: str
    state: str
    state_label: str
    due_on: dt.date | None
    legal_due_on: dt.date | None
    committed_deadline: dt.date | None
    legal_deadline: dt.date | None
    provisional: bool
    working_days_left: int | None
    colour: str
    colour_label: str
    suspended: bool


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    next_cursor: str | None
    cursor: str | None


QUEUE_FIELDS = (
    "id",
    "number",
    "item_name",
    "applicant_name",
    "state",
    "due_on",
    "legal_due_on",
    "committed_deadline",
    "legal_deadline",
    "deadlines_provisional",
    "queue_on",
)


def _parse_cursor(cursor: str | None) -> tuple[dt.date, int] | None:
    if not cursor:
        return None
    try:
        day, pk = cursor.split("_", 1)
        key = dt.date.fromisoformat(day), int(pk)
        if not 0 < key[1] < 2**63:  # an id the database can compare with
            raise ValueError(pk)
        return key
    except ValueError as exc:
        raise InvalidInput("翻页参数不正确，请回到第一页。", fields={"cursor": "翻页参数不正确。"}) from exc


def queue_queryset(
    *,
    zone_id: int,
    scope: str = "zone",
    user: Any = None,
    state: str | None = None,
    colour: str | None = None,
    item_id: int | None = None,
    query: str = "",
    today: dt.date | None = None,
    calendar: Calendar | None = None,
    after: tuple[dt.date, int] | None = None,
) -> QuerySet[Case]:
    """Open cases of the zone (or the user's, or the user's bodies'), filtered, soonest deadline first.

    ``after`` keeps the cases after that (queue_on, id) key. The filters go in one ``filter`` call:
    each call clones the query, and the queue is read on every page view.
    """
    conditions = [Q(zone_id=zone_id, is_open=True)]
    if scope == "mine" and user is not None:
        conditions.append(Q(clerk=user) | Q(reviewer=user))
    elif scope == "body" and user is not None:
        conditions.append(Q(body_id__in=_user_body_ids(user, zone_id)))
    if state:
        conditions.append(Q(state=state))
    if item_id:
        conditions.append(Q(item_id=item_id))
    if query.strip():
        q = query.strip()
        conditions.append(Q(number=q.upper()) | Q(applicant_name__startswith=q) | Q(item_name__contains=q))
    if colour:
        conditions.append(_colour_filter(colour, today or _today(), calendar or load_calendar()))
    if after is not None:
        # The redundant ``queue_on >= day`` bounds the index scan; the OR alone is only a filter,
        # and a deep page would read every row before it.
        day, pk = after
        conditions.append(Q(queue_on__gte=day) & (Q(queue_on__gt=day) | Q(queue_on=day, id__gt=pk)))
    return Case.objects.filter(*conditions).order_by("queue_on", "id")


def _colour_filter(colour: str, today: dt.date, calendar: Calendar) -> Q:
    running = ~Q(state=CaseState.SUSPENDED)
    if colour == Colour.VIOLATION:
        return Q(legal_due_on__lt=today) & running
    if colour == Colour.OVERDUE:
        return Q(due_on__lt=today) & (Q(legal_due_on__isnull=True) | Q(legal_due_on__gte=today)) & running
    if colour == Colour.WARNING:
        limit = add_working_days(calendar, today, warning_days()).date
        return Q(due_on__gte=today, due_on__lte=limit) & running
    if colour == Colour.NORMAL:
        limit = add_working_days(calendar, today, warning_days()).date
        return Q(due_on__isnull=True) | Q(due_on__gt=limit) | Q(state=CaseState.SUSPENDED)
    raise InvalidInput("颜色筛选应为 normal、warning、overdue 或 violation。", fields={"colour": "取值不正确。"})


def _user_body_ids(user: Any, zone_id: int) -> list[int]:
    from onezone.org.models import Appointment

    today = _today()
    return list(
        Appointment.objects.filter(zone_id=zone_id, person__user=user, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .values_list("post__body_id", flat=True)
    )


def queue_page(
    *,
    zone_id: int,
    scope: str = "zone",
    user: Any = None,
    state: str | None = None,
    colour: str | None = None,
    item_id: int | None = None,
    query: str = "",
    cursor: str | None = None,
    size: int = PAGE_SIZE,
    today: dt.date | None = None,
) -> QueuePage:
    """One page of a queue, keyset-paged on (queue_on, id): one query."""
    today = today or _today()
    calendar = load_calendar()
    after = _parse_cursor(cursor)
    size = max(1, min(size, 200))
    mine = scope == "mine" and user is not None
    if (scope == "zone" or mine) and not (state or colour or item_id or query.strip()):
        # The queues as they open, page after page: compiled once per process (core.prepared).
        params: dict[str, Any] = {"zone_id": zone_id}
        if mine:
            params["user_id"] = user.pk
        if after is not None:
            params["day"], params["pk"] = after
        values = _QUEUES[(mine, after is not None)](size, **params)
    else:
        qs = queue_queryset(
            zone_id=zone_id,
            scope=scope,
            user=user,
            state=state,
            colour=colour,
            item_id=item_id,
            query=query,
            today=today,
            calendar=calendar,
            after=after,
        )
        values = list(qs.values(*QUEUE_FIELDS)[: size + 1])
    more = len(values) > size
    values = values[:size]
    make_row = _RowMaker(calendar, today)
    rows = [make_row(v) for v in values]
    next_cursor = f"{values[-1]['queue_on'].isoformat()}_{values[-1]['id']}" if more else None
    return QueuePage(rows=rows, next_cursor=next_cursor, cursor=cursor)


def _queue_prepared(mine: bool, after: bool) -> Prepared:
    """The zone's (or the user's own) open cases, a page of ``size`` from the start or after a key."""
    kinds: dict[str, type] = {"zone_id": int}
    if mine:
        kinds["user_id"] = int
    if after:
        kinds |= {"day": dt.date, "pk": int}

    def build(size: int, zone_id: int, user_id: int | None = None, day: dt.date | None = None, pk: int = 0):
        qs = queue_queryset(
            zone_id=zone_id, scope="mine" if mine else "zone", user=user_id, after=(day, pk) if after else None
        )
        return qs.values(*QUEUE_FIELDS)[: size + 1]

    return Prepared(build, **kinds)


_QUEUES = {(mine, after): _queue_prepared(mine, after) for mine in (False, True) for after in (False, True)}


_LABELS_BY_LANGUAGE: dict[str | None, dict[str, str]] = {}


def _state_labels() -> dict[str, str]:
    """The state labels translated into the active language (cached per language)."""
    language = translation.get_language()
    labels = _LABELS_BY_LANGUAGE.get(language)
    if labels is None:
        labels = _LABELS_BY_LANGUAGE[language] = {value: str(label) for value, label in CaseState.choices}
    return labels


class _RowMaker:
    """Builds queue rows for one request: labels translated once, each deadline pair's colour computed once."""

    def __init__(self, calendar: Calendar, today: dt.date) -> None:
        self.calendar = calendar
        self.today = today
        self.warning_days = warning_days()
        self.labels = _state_labels()
        self.colours: dict[tuple[dt.date | None, dt.date | None], tuple[Colour, int | None]] = {}

    def colour(self, due: dt.date | None, legal_due: dt.date | None) -> tuple[Colour, int | None]:
        key = (due, legal_due)
        found = self.colours.get(key)
        if found is None:
            found = self.colours[key] = colour_for(
                self.calendar, today=self.today, due=due, legal_due=legal_due, warning_days=self.warning_days
            )
        return found

    def __call__(self, v: dict[str, Any]) -> QueueRow:
        suspended = v["state"] == CaseState.SUSPENDED
        colour, left = (Colour.NORMAL, None) if suspended else self.colour(v["due_on"], v["legal_due_on"])
        return QueueRow(
            id=v["id"],
            number=v["number"],
            item_name=v["item_name"],
            applicant_name=v["applicant_name"],
            state=v["state"],
            state_label=self.labels.get(v["state"], v["state"]),
            due_on=v["due_on"],
            legal_due_on=v["legal_due_on"],
            committed_deadline=v["committed_deadline"],
            legal_deadline=v["legal_deadline"],
            provisional=v["deadlines_provisional"],
            working_days_left=left,
            colour=str(colour),
            colour_label=COLOUR_LABELS[colour],
            suspended=suspended,
        )


# --- the case page ---------------------------------------------------------------------------------------


@dataclass
class CaseDetail:
    case: Case
    events: list[CaseEvent]
    clock: CaseClock
    actions: list[str]
    documents: list[tuple[str, str]]  # (kind, title)
    complaints: list[Complaint] = field(default_factory=list)
    rating: Rating | None = None


# The case page's reads, compiled once per process (``core.prepared``): the case with the six rows it
# names, its events with their actors, its complaints, its rating with any rectification.
_CASE = Prepared(
    lambda zone_id, case_id: (
        Case.objects.select_related("item", "body", "park", "clerk", "reviewer", "second_reviewer")
        .filter(zone_id=zone_id, pk=case_id)
        .order_by()[:1]
    ),
    zone_id=int,
    case_id=int,
)
_EVENTS = Prepared(
    lambda case_id: CaseEvent.objects.filter(case_id=case_id).select_related("actor").order_by("at", "id"),
    case_id=int,
)
_COMPLAINTS = Prepared(
    lambda case_id: Complaint.objects.filter(case_id=case_id).order_by("received_on", "id"), case_id=int
)
_RATING = Prepared(
    lambda case_id: Rating.objects.filter(case_id=case_id).select_related("rectification").order_by("id")[:1],
    case_id=int,
)


def case_get(*, zone_id: int, case_id: int) -> Case:
    case = _CASE.first(zone_id=zone_id, case_id=case_id)
    if case is None:
        raise NotFound("办件不存在，或不属于当前开发区。")
    return case


def case_events(case: Case) -> list[CaseEvent]:
    """The case's events in the order they happened, each knowing its case."""
    events = _EVENTS(case_id=case.pk)
    for event in events:
        _EVENT_CASE.set_cached_value(event, case)
    return events


_EVENT_CASE = CaseEvent._meta.get_field("case")


def case_clock_now(case: Case, events: list[CaseEvent], today: dt.date | None = None) -> CaseClock:
    return case_clock(
        _clock_events(events),
        ClockTerms.from_snapshot(case.terms),
        load_calendar(),
        today=today or _today(),
        warning_days=warning_days(),
    )


def case_detail(*, zone_id: int, case_id: int, user: Any) -> CaseDetail:
    """The case page: timeline, both deadlines and why, the actions open to the user, the documents."""
    from onezone.window.notices import documents_for

    case = case_get(zone_id=zone_id, case_id=case_id)
    events = case_events(case)
    clock = case_clock_now(case, events)
    return CaseDetail(
        case=case,
        events=events,
        clock=clock,
        actions=actions_for(case, user),
        documents=documents_for(case, events),
        complaints=_COMPLAINTS(case_id=case.pk),
        rating=_RATING.first(case_id=case.pk),
    )


# --- selectors other apps use --------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseStatusView:
    case_id: int
    case_number: str
    state: str
    state_label: str
    item_name: str
    committed_deadline: dt.date | None
    legal_deadline: dt.date | None
    provisional: bool
    colour: str
    working_days_left: int | None


def _status_view(v: dict[str, Any], make_row: _RowMaker) -> CaseStatusView:
    row = make_row(v)
    return CaseStatusView(
        case_id=v["id"],
        case_number=v["number"],
        state=v["state"],
        state_label=row.state_label,
        item_name=v["item_name"],
        committed_deadline=v["committed_deadline"],
        legal_deadline=v["legal_deadline"],
        provisional=v["deadlines_provisional"],
        colour=row.colour,
        working_days_left=row.working_days_left,
    )


def case_status_for(case_ids: list[int]) -> dict[int, CaseStatusView]:
    """Status of each case by id, in one query (the investment agent's checklist)."""
    if not case_ids:
        return {}
    make_row = _RowMaker(load_calendar(), _today())
    return {
        v["id"]: _status_view(v, make_row) for v in Case.objects.filter(pk__in=list(case_ids)).values(*QUEUE_FIELDS)
    }


def cases_for_applicant(*, zone_id: int, uscc: str) -> list[CaseStatusView]:
    """Every case of an enterprise, newest first (the enterprise portal)."""
    make_row = _RowMaker(load_calendar(), _today())
    qs = Case.objects.filter(zone_id=zone_id, applicant_uscc=uscc.strip().upper()).order_by("-received_on", "-id")
    return [_status_view(v, make_row) for v in qs.values(*QUEUE_FIELDS)[:500]]


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ZoneCaseFigures:
    cases: int
    decided: int
    on_time_rate: Decimal | None  # percent of decided cases decided by the committed deadline
    overdue_now: int
    violations: int  # open cases past the legal deadline now, plus cases decided after it this year


# Counted over the zone column (never null), which the covering indexes hold with the filters' columns
# (window_case_year_figures, window_case_open_due): read from the index alone, where counting "id" made
# PostgreSQL visit every case of the year. (Django refuses COUNT(*) with a filter.) Grouped on the zone
# they are filtered to: one row, or none when the zone has no case.
def _year_counts() -> dict[str, Count]:
    return {
        "cases": Count("zone"),
        "decided": Count("zone", filter=Q(on_time__isnull=False)),
        "on_time": Count("zone", filter=Q(on_time=True)),
        "late_legal": Count("zone", filter=Q(within_legal=False)),
    }


def _late_counts(today: dt.date) -> dict[str, Count]:
    return {
        "overdue": Count("zone", filter=Q(due_on__lt=today)),
        "violating": Count("zone", filter=Q(legal_due_on__lt=today)),
    }


def _open_late(cases):
    return cases.filter(is_open=True).exclude(state=CaseState.SUSPENDED)


_YEAR_FIGURES = Prepared(
    lambda zone_id, year: (
        Case.objects.filter(zone_id=zone_id, year=year)
        .order_by()
        .values("zone_id")
        .annotate(**_year_counts())
        .values("cases", "decided", "on_time", "late_legal")
    ),
    zone_id=int,
    year=int,
)
_NO_YEAR_FIGURES = {"cases": 0, "decided": 0, "on_time": 0, "late_legal": 0}
_LATE_NOW = Prepared(
    lambda zone_id, today: (
        _open_late(Case.objects.filter(zone_id=zone_id))
        .order_by()
        .values("zone_id")
        .annotate(**_late_counts(today))
        .values("overdue", "violating")
    ),
    zone_id=int,
    today=dt.date,
)
_NOT_LATE = {"overdue": 0, "violating": 0}


def _figures(year_counts: dict[str, int], late: dict[str, int]) -> ZoneCaseFigures:
    return ZoneCaseFigures(
        cases=year_counts["cases"],
        decided=year_counts["decided"],
        on_time_rate=_rate(year_counts["on_time"], year_counts["decided"]),
        overdue_now=late["overdue"],
        violations=late["violating"] + year_counts["late_legal"],
    )


def zone_case_figures(*, zone_id: int, year: int) -> ZoneCaseFigures:
    """Key figures for the dashboard."""
    today = _today()
    agg = next(iter(_YEAR_FIGURES(zone_id=zone_id, year=year)), _NO_YEAR_FIGURES)
    late = next(iter(_LATE_NOW(zone_id=zone_id, today=today)), _NOT_LATE)
    return _figures(agg, late)


def case_figures_by_zone(*, zone_ids: list[int], year: int) -> dict[int, ZoneCaseFigures]:
    """``zone_case_figures`` for many zones at once (a province's overview): two grouped queries."""
    today = _today()
    by_year = {
        row.pop("zone_id"): row
        for row in Case.objects.filter(zone_id__in=zone_ids, year=year)
        .order_by()
        .values("zone_id")
        .annotate(**_year_counts())
        .values("zone_id", "cases", "decided", "on_time", "late_legal")
    }
    late = {
        row.pop("zone_id"): row
        for row in _open_late(Case.objects.filter(zone_id__in=zone_ids))
        .order_by()
        .values("zone_id")
        .annotate(**_late_counts(today))
        .values("zone_id", "overdue", "violating")
    }
    return {z: _figures(by_year.get(z, _NO_YEAR_FIGURES), late.get(z, _NOT_LATE)) for z in zone_ids}


def clerk_on_time_rate(*, user: Any, start: dt.date, end: dt.date) -> Decimal | None:
    """Percent of the cases a clerk received that were decided in the period by the committed deadline."""
    agg = Case.objects.filter(clerk=user, decided_on__gte=start, decided_on__lte=end, on_time__isnull=False).aggregate(
        total=Count("id"), on_time=Count("id", filter=Q(on_time=True))
    )
    return _rate(agg["on_time"], agg["total"])


# --- efficiency --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EfficiencyRow:
    key: Any
    label: str
    cases: int
    decided: int
    on_time: int
    on_time_rate: Decimal | None
    mean_days: Decimal | None


EFFICIENCY_GROUPS = {
    "item": ("item_id", "item_name"),
    "body": ("body_id", "body__name"),
    "clerk": ("clerk_id", "clerk__username"),
}


def efficiency(*, zone_id: int, by: str, start: dt.date, end: dt.date) -> list[EfficiencyRow]:
    """Cases received in the period per item, body or clerk: decided, on time, mean working days used."""
    if by not in EFFICIENCY_GROUPS:
        raise InvalidInput("分组应为 item、body 或 clerk。", fields={"by": "取值不正确。"})
    key, label = EFFICIENCY_GROUPS[by]
    rows = (
        Case.objects.filter(zone_id=zone_id, received_on__gte=start, received_on__lte=end)
        .values(key, label)
        .annotate(
            cases=Count("id"),
            decided=Count("id", filter=Q(on_time__isnull=False)),
            on_time=Count("id", filter=Q(on_time=True)),
            mean=Avg("working_days_used"),
        )
        .order_by("-cases", label)
    )
    names = _clerk_names(zone_id) if by == "clerk" else {}
    return [
        EfficiencyRow(
            key=r[key],
            label=names.get(r[key]) or r[label] or "（未指定）",
            cases=r["cases"],
            decided=r["decided"],
            on_time=r["on_time"],
            on_time_rate=_rate(r["on_time"], r["decided"]),
            mean_days=None if r["mean"] is None else Decimal(str(r["mean"])).quantize(Decimal("0.1")),
        )
        for r in rows
    ]


def _clerk_names(zone_id: int) -> dict[int, str]:
    from onezone.org.models import Person

    return dict(Person.objects.filter(zone_id=zone_id, user__isnull=False).values_list("user_id", "name"))


@dataclass(frozen=True)
class DelegationRow:
    delegation_id: int
    item_id: int
    item_name: str
    form: str
    original_department: str
    receiving_body: str
    status: str
    cases: int
    decided: int
    on_time_rate: Decimal | None
    complaints: int


@dataclass(frozen=True)
class DelegationReport:
    rows: list[DelegationRow]
    never_used: list[DelegationRow]


def delegated_items_report(*, zone_id: int, start: dt.date, end: dt.date) -> DelegationReport:
    """赋权事项运行情况: per delegated item, the cases handled, on-time rate, complaints; the unused ones."""
    from onezone.powers.models import Delegation

    delegations = list(
        Delegation.objects.filter(zone_id=zone_id)
        .exclude(status=Delegation.Status.WITHDRAWN)
        .select_related("item", "receiving_body")
        .order_by("item__name")
    )
    item_ids = [d.item_id for d in delegations]
    counts = {
        r["item_id"]: r
        for r in Case.objects.filter(
            zone_id=zone_id, item_id__in=item_ids, received_on__gte=start, received_on__lte=end
        )
        .values("item_id")
        .annotate(
            cases=Count("id"),
            decided=Count("id", filter=Q(on_time__isnull=False)),
            on_time=Count("id", filter=Q(on_time=True)),
        )
    }
    complaints: dict[int, int] = defaultdict(int)
    for item_id, n in (
        Complaint.objects.filter(
            zone_id=zone_id, case__item_id__in=item_ids, received_on__gte=start, received_on__lte=end
        )
        .values_list("case__item_id")
        .annotate(n=Count("id"))
    ):
        complaints[item_id] = n
    rows = []
    for d in delegations:
        c = counts.get(d.item_id, {"cases": 0, "decided": 0, "on_time": 0})
        rows.append(
            DelegationRow(
                delegation_id=d.pk,
                item_id=d.item_id,
                item_name=d.item.name,
                form=d.get_form_display(),
                original_department=d.original_department,
                receiving_body=d.receiving_body.name,
                status=d.get_status_display(),
                cases=c["cases"],
                decided=c["decided"],
                on_time_rate=_rate(c["on_time"], c["decided"]),
                complaints=complaints[d.item_id],
            )
        )
    return DelegationReport(rows=rows, never_used=[r for r in rows if r.cases == 0])


# --- public --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicStatus:
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
    can_rate: bool
    rated: bool


def public_status(*, number: str, query_code: str) -> PublicStatus:
    """What the public look-up shows: state, deadlines, next step, nothing personal."""
    case = Case.objects.filter(number=number.strip().upper(), query_code=query_code.strip().upper()).first()
    if case is None:
        raise NotFound("办件编号或查询码不正确，请核对受理通知书上的编号和查询码。")
    rated = Rating.objects.filter(case=case).exists()
    return PublicStatus(
        number=case.number,
        item_name=case.item_name,
        state=case.state,
        state_label=case.get_state_display(),
        received_on=case.received_on,
        accepted_on=case.accepted_on,
        deemed_accepted=case.deemed_accepted,
        committed_deadline=case.committed_deadline,
        legal_deadline=case.legal_deadline,
        provisional=case.deadlines_provisional,
        next_step=NEXT_STEP.get(case.state, ""),
        can_rate=case.state in (CaseState.CLOSED, CaseState.REFUSED, CaseState.DELIVERED) and not rated,
        rated=rated,
    )


# --- Open311 -----------------------------------------------------------------------------------------------


def open311_requests(
    *,
    zone_id: int | None = None,
    service_code: str | None = None,
    status: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    number: str | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Cases in GeoReport v2 shape, nothing personal."""
    qs = Case.objects.all()
    if number:
        qs = qs.filter(number=number.strip().upper())
    if zone_id is not None:
        qs = qs.filter(zone_id=zone_id)
    if service_code:
        qs = qs.filter(item_code=service_code)
    if status == "open":
        qs = qs.filter(is_open=True)
    elif status == "closed":
        qs = qs.filter(is_open=False)
    if start:
        qs = qs.filter(received_on__gte=start)
    if end:
        qs = qs.filter(received_on__lte=end)
    rows = list(
        qs.order_by("-received_on", "-id").values(
            "id",
            "number",
            "state",
            "item_code",
            "item_name",
            "body__name",
            "committed_deadline",
            "updated_at",
            "received_on",
        )[: max(1, min(limit, 1000))]
    )
    first_event = dict(
        CaseEvent.objects.filter(case_id__in=[r["id"] for r in rows], kind="received").values_list("case_id", "at")
    )
    tz = timezone.get_current_timezone()
    out = []
    for r in rows:
        requested = first_event.get(r["id"]) or dt.datetime.combine(r["received_on"], dt.time(9), tzinfo=tz)
        expected = r["committed_deadline"]
        out.append(
            {
                "service_request_id": r["number"],
                "status": "open" if r["state"] in OPEN_STATES else "closed",
                "status_notes": f"{STATE_LABELS.get(r['state'], r['state'])}：{NEXT_STEP.get(r['state'], '')}",
                "service_name": r["item_name"],
                "service_code": r["item_code"],
                "agency_responsible": r["body__name"] or "",
                "requested_datetime": timezone.localtime(requested).isoformat(),
                "expected_datetime": (
                    dt.datetime.combine(expected, dt.time(17, 30), tzinfo=tz).isoformat() if expected else None
                ),
                "updated_datetime": timezone.localtime(r["updated_at"]).isoformat(),
            }
        )
    return out


def complaints_of(*, zone_id: int, status: str | None = None):
    """The zone's complaints, those due soonest first."""
    qs = Complaint.objects.filter(zone_id=zone_id).order_by("status", "due_on", "id")
    return qs.filter(status=status) if status else qs


def ratings_of(*, zone_id: int, bad_only: bool = False):
    """The zone's ratings, newest first; ``bad_only`` keeps 不满意 and 非常不满意."""
    qs = Rating.objects.filter(zone_id=zone_id).order_by("-rated_on", "-id")
    return qs.filter(level__in=BAD_LEVELS) if bad_only else qs


def rectifications_of(*, zone_id: int, status: str | None = None):
    qs = Rectification.objects.filter(zone_id=zone_id).order_by("status", "due_on", "id")
    return qs.filter(status=status) if status else qs
