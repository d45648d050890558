"""Every read of the enterprise module that a page, an endpoint or another module needs."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.lookups import StartsWith
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from onezone.core.errors import NotFound
from onezone.core.prepared import Prepared, PreparedRows, counted
from onezone.enterprises.models import (
    Enterprise,
    EnterpriseContact,
    EnterpriseMember,
    EnterpriseRequest,
    EnterpriseYear,
    Inspection,
    RequestAlert,
    RequestCategory,
    RequestEvent,
    RequestStatus,
)
from onezone.zones.models import Industry, Park

OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED, RequestStatus.RESPONDED, RequestStatus.RESOLVED)


# --- industries ------------------------------------------------------------------------------

_industry_names: dict[str, str] | None = None


@receiver(post_save, sender=Industry)
@receiver(post_delete, sender=Industry)
def _forget_industry_names(**kwargs: Any) -> None:
    """A class added, renamed or removed: read the catalogue again on the next call."""
    global _industry_names
    _industry_names = None


def industry_name(code: str) -> str:
    """The name of the most specific catalogue class covering ``code`` (C2614 → 有机化学原料制造).

    The catalogue is read once and kept, even when empty (an empty catalogue must not cost a query per
    call); saving or deleting a class forgets it."""
    global _industry_names
    if _industry_names is None:
        _industry_names = dict(Industry.objects.values_list("code", "name"))
    for length in range(len(code), 2, -1):
        name = _industry_names.get(code[:length])
        if name:
            return name
    return ""


# --- enterprises -----------------------------------------------------------------------------


def fits_park_expression() -> ExpressionWrapper:
    """SQL for zones.selectors.industry_fits_park: the industry starts with a leading industry's
    code of the enterprise's park, or the park has no leading industries."""
    leading = Park.leading_industries.through.objects.filter(park_id=OuterRef("park_id"))
    match = leading.filter(StartsWith(OuterRef("industry_code"), F("industry_id")))
    return ExpressionWrapper(Q(Exists(match)) | ~Q(Exists(leading)), output_field=BooleanField())


def enterprises_of(zone_id: int) -> QuerySet[Enterprise]:
    """The zone's enterprises with their park and the fit flag (``fits_park``)."""
    return Enterprise.objects.filter(zone_id=zone_id).select_related("park").annotate(fits_park=fits_park_expression())


def _filtered(
    zone_id: int,
    *,
    park_id: int | None = None,
    industry: str | None = None,
    size: str | None = None,
    tag: str | None = None,
    misfit: bool | None = None,
    status: str | None = None,
    risk_level: str | None = None,
    q: str | None = None,
) -> QuerySet[Enterprise]:
    qs = enterprises_of(zone_id)
    if park_id:
        qs = qs.filter(park_id=park_id)
    if industry:
        qs = qs.filter(industry_code__startswith=industry.strip().upper())
    if size:
        qs = qs.filter(size=size)
    if tag:
        qs = qs.filter(Q(tags__code=tag) | Q(tags__name=tag))
    if misfit is True:
        qs = qs.filter(fits_park=False)
    elif misfit is False:
        qs = qs.filter(fits_park=True)
    if status:
        qs = qs.filter(status=status)
    if risk_level:
        qs = qs.filter(risk_level=risk_level)
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(uscc__icontains=q.strip().upper()))
    return qs


@dataclass
class ListPage:
    items: list[Any]
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _page(qs: QuerySet | PreparedRows, page: int, per_page: int) -> ListPage:
    paginator = Paginator(qs, per_page)
    current = paginator.get_page(page)
    return ListPage(
        items=list(current.object_list),
        total=paginator.count,
        page=current.number,
        pages=paginator.num_pages,
        per_page=per_page,
    )


def enterprises_list(*, zone_id: int, page: int = 1, per_page: int = 50, **filters: Any) -> ListPage:
    """One page of the zone's enterprises, filtered (park_id, industry, size, tag, misfit, status,
    risk_level, q), with park, fit flag and the names of their tags (``tag_names``, in the tags'
    order). Three queries whatever the page size."""
    if all(value is None or value == "" for value in filters.values()):
        # The register as it opens: its count, page and the page's tags compiled once per process.
        source = PreparedRows(
            lambda: sum(_COUNT(zone_id=zone_id)), lambda offset, limit: _PAGE(offset, limit, zone_id=zone_id)
        )
        listed = _page(source, page, per_page)
        tagged = _PAGE_TAGS(*source.bounds, zone_id=zone_id) if source.bounds else []
    else:
        qs = _filtered(zone_id, **filters).order_by("name", "id")
        listed = _page(qs.distinct() if filters.get("tag") else qs, page, per_page)
        tagged = _tags_of([e.pk for e in listed.items])
    _attach_tag_names(listed.items, tagged)
    return listed


def _tags_of(enterprise_ids: Any) -> QuerySet:
    """(enterprise id, tag name) of the enterprises, in the tags' order."""
    return (
        Enterprise.tags.through.objects.filter(enterprise_id__in=enterprise_ids)
        .order_by("enterprisetag__order", "enterprisetag_id")
        .values_list("enterprise_id", "enterprisetag__name")
    )


def _attach_tag_names(enterprises: list[Enterprise], tagged: Any) -> None:
    """Each enterprise's tag names from one query (Django's prefetch builds a related manager per row)."""
    names: dict[int, list[str]] = {e.pk: [] for e in enterprises}
    for enterprise_id, name in tagged:
        names[enterprise_id].append(name)
    for enterprise in enterprises:
        enterprise.tag_names = names[enterprise.pk]


_COUNT = Prepared(
    lambda zone_id: counted(Enterprise.objects.filter(zone_id=zone_id), "zone_id"),
    zone_id=int,
)
_PAGE = Prepared(
    lambda offset, limit, zone_id: enterprises_of(zone_id).order_by("name", "id")[offset : offset + limit],
    zone_id=int,
)
_PAGE_TAGS = Prepared(
    lambda offset, limit, zone_id: _tags_of(
        Enterprise.objects.filter(zone_id=zone_id).order_by("name", "id").values("id")[offset : offset + limit]
    ),
    zone_id=int,
)


def enterprises_for_export(*, zone_id: int, **filters: Any) -> QuerySet[Enterprise]:
    qs = _filtered(zone_id, **filters).prefetch_related("tags").order_by("park__code", "name")
    return qs.distinct() if filters.get("tag") else qs


def enterprise_get(*, zone_id: int, enterprise_id: int) -> Enterprise:
    """One enterprise with park, tags and fit flag, or NotFound."""
    enterprise = enterprises_of(zone_id).prefetch_related("tags").filter(pk=enterprise_id).first()
    if enterprise is None:
        raise NotFound("没有找到该企业，请确认它属于当前开发区。")
    return enterprise


def enterprise_by_uscc(*, zone_id: int, uscc: str) -> Enterprise | None:
    return enterprises_of(zone_id).filter(uscc=(uscc or "").strip().upper()).first()


def enterprise_of_user(user: Any, *, zone_id: int | None = None) -> Enterprise | None:
    """The enterprise ``user`` acts for (in ``zone_id``, or their first link), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    links = EnterpriseMember.objects.filter(user_id=user.pk)
    if zone_id is not None:
        links = links.filter(zone_id=zone_id)
    link = links.order_by("zone_id", "id").values("zone_id", "enterprise_id").first()
    if link is None:
        return None
    return enterprises_of(link["zone_id"]).prefetch_related("tags").filter(pk=link["enterprise_id"]).first()


def contacts_of(enterprise: Enterprise) -> list[EnterpriseContact]:
    return list(EnterpriseContact.objects.filter(enterprise=enterprise).order_by("-is_primary", "name"))


def years_of(enterprise: Enterprise) -> list[EnterpriseYear]:
    return list(EnterpriseYear.objects.filter(enterprise=enterprise).order_by("-year"))


@dataclass
class EnterpriseFigures:
    """Key figures of the zone's enterprises for one year, computed from the records."""

    year: int
    enterprises: int = 0
    by_size: dict[str, int] = field(default_factory=dict)
    by_tag: dict[str, int] = field(default_factory=dict)
    by_park: dict[str, int] = field(default_factory=dict)
    misfit: int = 0
    reporting: int = 0
    output_value: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    employees: int = 0
    energy_tce: Decimal = Decimal(0)
    rd_spend: Decimal = Decimal(0)
    exports: Decimal = Decimal(0)


def enterprise_figures(*, zone_id: int, year: int) -> EnterpriseFigures:
    """Counts of enterprises (by size, tag, park; misfits) and totals of their figures for ``year``.

    Closed enterprises are not counted; their yearly figures still are, for the years they reported.
    """
    live = Enterprise.objects.filter(zone_id=zone_id).exclude(status=Enterprise.Status.CLOSED)
    figures = EnterpriseFigures(year=year)
    figures.by_size = {
        str(Enterprise.Size(row["size"]).label): row["n"]
        for row in live.values("size").annotate(n=Count("id")).order_by("size")
    }
    figures.enterprises = sum(figures.by_size.values())
    figures.by_tag = {
        row["tags__name"]: row["n"]
        for row in live.filter(tags__isnull=False)
        .values("tags__name", "tags__order")
        .annotate(n=Count("id"))
        .order_by("tags__order")
    }
    figures.by_park = {
        row["park__name"]: row["n"]
        for row in live.values("park__name", "park__code").annotate(n=Count("id")).order_by("park__code")
    }
    figures.misfit = live.annotate(fits_park=fits_park_expression()).filter(fits_park=False).count()
    totals = EnterpriseYear.objects.filter(zone_id=zone_id, year=year).aggregate(
        reporting=Count("id"),
        output_value=Sum("output_value"),
        revenue=Sum("revenue"),
        tax=Sum("tax"),
        employees=Sum("employees"),
        energy_tce=Sum("energy_tce"),
        rd_spend=Sum("rd_spend"),
        exports=Sum("exports"),
    )
    for key, value in totals.items():
        if value is not None:
            setattr(figures, key, value)
    return figures


# --- requests --------------------------------------------------------------------------------


def request_categories(zone_id: int) -> list[RequestCategory]:
    return list(RequestCategory.objects.filter(zone_id=zone_id).order_by("order", "code"))


def open_requests_count(*, zone_id: int) -> int:
    """Requests not yet closed (including those resolved and waiting for the enterprise)."""
    return sum(_OPEN_REQUESTS(zone_id=zone_id))


_OPEN_REQUESTS = Prepared(
    lambda zone_id: counted(EnterpriseRequest.objects.filter(zone_id=zone_id, status__in=OPEN_STATUSES), "zone_id"),
    zone_id=int,
)


def open_requests_by_zone(*, zone_ids: list[int]) -> dict[int, int]:
    """``open_requests_count`` for many zones at once (a province's overview): one grouped query."""
    rows = (
        EnterpriseRequest.objects.filter(zone_id__in=zone_ids, status__in=OPEN_STATUSES)
        .order_by()
        .values("zone_id")
        .annotate(n=Count("zone_id"))
        .values_list("zone_id", "n")
    )
    return dict.fromkeys(zone_ids, 0) | dict(rows)


def _requests(zone_id: int) -> QuerySet[EnterpriseRequest]:
    return EnterpriseRequest.objects.filter(zone_id=zone_id).select_related(
        "enterprise", "category", "handling_body", "suggested_category"
    )


def requests_list(
    *,
    zone_id: int,
    status: str | None = None,
    category: str | None = None,
    body_id: int | None = None,
    enterprise_id: int | None = None,
    open_only: bool = False,
    q: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> ListPage:
    """One page of requests with their enterprise, category and body; two queries."""
    qs = _requests(zone_id)
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if category:
        qs = qs.filter(category__code=category)
    if body_id:
        qs = qs.filter(handling_body_id=body_id)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(enterprise__name__icontains=q))
    return _page(qs.order_by("-submitted_on", "-id"), page, per_page)


def request_get(*, zone_id: int, request_id: int) -> EnterpriseRequest:
    """One request with its timeline and alerts, or NotFound."""
    request = (
        _requests(zone_id)
        .prefetch_related(
            Prefetch("events", queryset=RequestEvent.objects.select_related("actor").order_by("at", "id")),
            Prefetch("alerts", queryset=RequestAlert.objects.order_by("raised_on", "id")),
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound("没有找到该诉求，或您无权查看。")
    return request


def requests_of_enterprise(enterprise: Enterprise) -> list[EnterpriseRequest]:
    return list(_requests(enterprise.zone_id).filter(enterprise=enterprise).order_by("-submitted_on", "-id"))


def request_next_due(request: EnterpriseRequest) -> tuple[str, dt.date] | None:
    """The stage and date of the next deadline that still runs."""
    from onezone.enterprises.rules import PENDING_STAGES

    stages = PENDING_STAGES.get(request.status, ())
    if not stages:
        return None
    stage = stages[0]
    return stage, getattr(request, f"{stage}_due")


def body_ids_of_user(user: Any, zone_id: int) -> list[int]:
    """The bodies in which ``user`` holds a post today."""
    from onezone.org.authority import posts_of_user

    return sorted(posts_of_user(user, zone_id))


def requests_waiting_for(user: Any, zone_id: int, *, limit: int = 10) -> list[EnterpriseRequest]:
    """Open requests handled by the user's bodies that wait for the staff, soonest deadline first."""
    from onezone.org.authority import bodies_of_user

    body_ids = bodies_of_user(user, zone_id)
    if not body_ids:
        return []
    qs = _requests(zone_id).filter(
        handling_body_id__in=body_ids,
        status__in=[RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED, RequestStatus.RESPONDED],
    )
    rows = list(qs.order_by("resolve_due", "id")[:200])
    rows.sort(key=lambda r: (request_next_due(r) or ("", dt.date.max))[1])
    return rows[:limit]


# --- inspections -----------------------------------------------------------------------------


def _inspections(zone_id: int) -> QuerySet[Inspection]:
    return (
        Inspection.objects.filter(zone_id=zone_id)
        .select_related("enterprise", "body", "joint")
        .prefetch_related("participants")
    )


def inspections_list(
    *,
    zone_id: int,
    status: str | None = None,
    kind: str | None = None,
    body_id: int | None = None,
    enterprise_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
) -> ListPage:
    qs = _inspections(zone_id)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if body_id:
        qs = qs.filter(Q(body_id=body_id) | Q(participants__id=body_id)).distinct()
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    return _page(qs.order_by("-planned_on", "-id"), page, per_page)


def inspections_of_enterprise(enterprise: Enterprise) -> list[Inspection]:
    """The enterprise's inspection history, newest first, blocked attempts included."""
    return list(_inspections(enterprise.zone_id).filter(enterprise=enterprise).order_by("-planned_on", "-id"))


@dataclass
class CalendarDay:
    day: dt.date
    in_month: bool
    inspections: list[Inspection]


def inspections_month(*, zone_id: int, year: int, month: int) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first) of days with their planned and done inspections."""
    first = dt.date(year, month, 1)
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = weeks[0][0], weeks[-1][-1]
    by_day: dict[dt.date, list[Inspection]] = {}
    for inspection in (
        _inspections(zone_id)
        .filter(planned_on__range=(start, end))
        .exclude(status__in=[Inspection.Status.MERGED, Inspection.Status.BLOCKED])
        .order_by("planned_on", "id")
    ):
        by_day.setdefault(inspection.planned_on, []).append(inspection)
    return [
        [CalendarDay(day=d, in_month=d.month == first.month, inspections=by_day.get(d, [])) for d in week]
        for week in weeks
    ]


@dataclass
class JointOffer:
    enterprise: Enterprise
    plans: list[Inspection]


def joint_offers(*, zone_id: int, window_days: int, today: dt.date | None = None) -> list[JointOffer]:
    """Planned visits of the same enterprise by different bodies within ``window_days``: offer one joint visit."""
    today = today or timezone.localdate()
    plans = list(
        _inspections(zone_id)
        .filter(status=Inspection.Status.PLANNED, planned_on__gte=today)
        .order_by("enterprise_id", "planned_on", "id")
    )
    offers = []
    by_enterprise: dict[int, list[Inspection]] = {}
    for plan in plans:
        by_enterprise.setdefault(plan.enterprise_id, []).append(plan)
    for group in by_enterprise.values():
        for index, plan in enumerate(group):
            near = [other for other in group[index:] if (other.planned_on - plan.planned_on).days <= window_days]
            if len({p.body_id for p in near}) > 1:
                offers.append(JointOffer(enterprise=plan.enterprise, plans=near))
                break
    return offers


def inspection_get(*, zone_id: int, inspection_id: int) -> Inspection:
    inspection = _inspections(zone_id).filter(pk=inspection_id).first()
    if inspection is None:
        raise NotFound("没有找到该检查记录。")
    return inspection


def inspections_count_by_status(*, zone_id: int, year: int) -> dict[str, int]:
    rows = (
        Inspection.objects.filter(zone_id=zone_id, planned_on__year=year)
        .values("status")
        .annotate(n=Count("id"))
        .order_by("status")
    )
    return {row["status"]: row["n"] for row in rows}


# --- the applicant look-up at the window's intake ---------------------------------------------------

LOOKUP_LIMIT = 10


def _main_contacts(enterprise_ids: list[int]) -> dict[int, EnterpriseContact]:
    """Each enterprise's main contact (the primary one, else the first by name), in one query."""
    found: dict[int, EnterpriseContact] = {}
    for contact in EnterpriseContact.objects.filter(enterprise_id__in=enterprise_ids).order_by(
        "enterprise_id", "-is_primary", "name", "id"
    ):
        found.setdefault(contact.enterprise_id, contact)
    return found


def enterprise_lookup(*, zone_id: int, query: str, limit: int = LOOKUP_LIMIT) -> list[dict[str, Any]]:
    """The zone's enterprises whose name or credit code contains ``query`` (at most ``limit``), for the
    window's intake: name, code, legal representative, park and the main contact, its mobile masked."""
    query = query.strip()
    if not query:
        return []
    matches = list(
        Enterprise.objects.filter(zone_id=zone_id)
        .filter(Q(name__icontains=query) | Q(uscc__icontains=query.upper()))
        .select_related("park")
        .order_by("name", "id")[: max(1, min(limit, LOOKUP_LIMIT))]
    )
    contacts = _main_contacts([e.pk for e in matches])
    return [
        {
            "id": e.pk,
            "name": e.name,
            "uscc": e.uscc,
            "legal_representative": e.legal_representative,
            "park_id": e.park_id,
            "park_name": e.park.name,
            "contact_name": contacts[e.pk].name if e.pk in contacts else "",
            "contact_mobile_masked": contacts[e.pk].mobile_masked if e.pk in contacts else "",
        }
        for e in matches
    ]


def enterprise_applicant(*, zone_id: int, enterprise_id: int) -> dict[str, Any]:
    """One enterprise of the zone as an applicant, with its main contact record (``contact``, or None)."""
    enterprise = Enterprise.objects.filter(zone_id=zone_id, pk=enterprise_id).select_related("park").first()
    if enterprise is None:
        raise NotFound("企业名录中没有该企业，请确认它属于当前开发区。")
    return {
        "id": enterprise.pk,
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "legal_representative": enterprise.legal_representative,
        "park_id": enterprise.park_id,
        "park_name": enterprise.park.name,
        "contact": _main_contacts([enterprise.pk]).get(enterprise.pk),
    }
