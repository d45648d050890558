"""Reads of 找人才 / 找员工: the public job list and page, an enterprise's jobs and applications,
the desk's lists of jobs and shared labour, and the talent needs with their fill rate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from onezone.core.codes import mask_mobile
from onezone.support.models.labour import (
    JobApplication,
    JobPosting,
    JobStatus,
    LabourSharing,
    TalentField,
    TalentNeed,
    TalentPlacement,
)

PUBLIC_PAGE_SIZE = 20
SEARCH_MAX = 50


def _jobs(zone_id: int) -> QuerySet[JobPosting]:
    return JobPosting.objects.filter(zone_id=zone_id).select_related("enterprise", "enterprise__park")


def public_jobs(zone_id: int, *, q: str = "", park_id: int | None = None, industry: str = "", page: int = 1) -> Page:
    """Published jobs not past their closing date, newest first: search in title, requirements and
    enterprise name; filter by park and by industry (a GB/T 4754 code prefix)."""
    today = timezone.localdate()
    qs = _jobs(zone_id).filter(status=JobStatus.PUBLISHED, valid_until__gte=today)
    q = (q or "").strip()[:SEARCH_MAX]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(requirements__icontains=q) | Q(enterprise__name__icontains=q))
    if park_id:
        qs = qs.filter(enterprise__park_id=park_id)
    if industry:
        qs = qs.filter(enterprise__industry_code__startswith=industry[:5])
    paginator = Paginator(qs.order_by("-published_on", "-id"), PUBLIC_PAGE_SIZE)
    return paginator.get_page(page)


def public_job(zone_id: int, job_id: int) -> JobPosting | None:
    """A job as the public sees it: only while it is published and current."""
    return _jobs(zone_id).filter(pk=job_id, status=JobStatus.PUBLISHED, valid_until__gte=timezone.localdate()).first()


def job_industries(zone_id: int) -> list[tuple[str, str]]:
    """The industry divisions (GB/T 4754, three characters) of the enterprises with current jobs."""
    from onezone.zones.models import Industry

    codes = sorted(
        {
            code[:3]
            for code in JobPosting.objects.filter(
                zone_id=zone_id, status=JobStatus.PUBLISHED, valid_until__gte=timezone.localdate()
            ).values_list("enterprise__industry_code", flat=True)
            if code
        }
    )
    names = dict(Industry.objects.filter(code__in=codes).values_list("code", "name"))
    return [(code, names.get(code, code)) for code in codes]


def jobs_of_enterprise(enterprise: Any) -> list[JobPosting]:
    """The enterprise's jobs with their application counts, newest first."""
    return list(
        JobPosting.objects.filter(zone_id=enterprise.zone_id, enterprise_id=enterprise.pk)
        .annotate(
            applications_count=Count("applications"), unread=Count("applications", filter=Q(applications__status="new"))
        )
        .order_by("-published_on", "-id")[:200]
    )


def job_of_enterprise(enterprise: Any, job_id: int) -> JobPosting | None:
    return JobPosting.objects.filter(zone_id=enterprise.zone_id, enterprise_id=enterprise.pk, pk=job_id).first()


@dataclass(frozen=True)
class ApplicationRow:
    application: JobApplication
    phone: str  # masked until the enterprise opens the application


def applications_of_job(job: JobPosting, *, revealed: int | None = None) -> list[ApplicationRow]:
    """The job's applications, newest first; every phone masked except the one just opened."""
    rows = JobApplication.objects.filter(zone_id=job.zone_id, job_id=job.pk).order_by("-submitted_at", "-id")[:500]
    return [ApplicationRow(a, a.phone if a.pk == revealed else mask_mobile(a.phone)) for a in rows]


def desk_jobs(zone_id: int, *, status: str = "", q: str = "", page: int = 1, per_page: int = 50) -> Page:
    """Every job of the zone with its applications count, for the desk."""
    qs = _jobs(zone_id).annotate(applications_count=Count("applications"))
    if status in JobStatus.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()[:SEARCH_MAX]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(enterprise__name__icontains=q))
    return Paginator(qs.order_by("-published_on", "-id"), per_page).get_page(page)


def sharings(zone_id: int, *, enterprise_id: int | None = None, limit: int = 200) -> list[LabourSharing]:
    """Shared labour of the zone (or of one enterprise, on either side), latest first."""
    qs = LabourSharing.objects.filter(zone_id=zone_id).select_related("lender", "borrower")
    if enterprise_id is not None:
        qs = qs.filter(Q(lender_id=enterprise_id) | Q(borrower_id=enterprise_id))
    return list(qs.order_by("-start", "-id")[:limit])


def sharing_of_enterprise(enterprise: Any, sharing_id: int) -> LabourSharing | None:
    return (
        LabourSharing.objects.filter(zone_id=enterprise.zone_id, pk=sharing_id)
        .filter(Q(lender_id=enterprise.pk) | Q(borrower_id=enterprise.pk))
        .select_related("lender", "borrower")
        .first()
    )


def sharing_get(zone_id: int, sharing_id: int) -> LabourSharing | None:
    return LabourSharing.objects.filter(zone_id=zone_id, pk=sharing_id).select_related("lender", "borrower").first()


# --- talent needs --------------------------------------------------------------------------------


def fill_rate(filled: int, needed: int) -> Decimal | None:
    """Filled places as a percentage of those needed (at most 100), one decimal; None without a need."""
    if needed <= 0:
        return None
    rate = Decimal(min(filled, needed)) * 100 / Decimal(needed)
    return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TalentRow:
    need: TalentNeed
    filled: int
    rate: Decimal | None


@dataclass(frozen=True)
class FieldTotal:
    field: str
    label: str
    needed: int
    filled: int
    rate: Decimal | None


def talent_needs(zone_id: int, year: int) -> tuple[list[TalentRow], list[FieldTotal], FieldTotal]:
    """The year's needs with the number filled (their placements), the totals by field and overall."""
    needs = list(
        TalentNeed.objects.filter(zone_id=zone_id, year=year)
        .annotate(filled=Count("placements"))
        .order_by("field", "title", "id")
    )
    order = {value: index for index, value in enumerate(TalentField.values)}
    needs.sort(key=lambda n: order.get(n.field, len(order)))  # the fields in the reform's order
    rows = [TalentRow(n, n.filled, fill_rate(n.filled, n.needed)) for n in needs]
    fields = []
    for value, label in TalentField.choices:
        mine = [r for r in rows if r.need.field == value]
        needed = sum(r.need.needed for r in mine)
        filled = sum(min(r.filled, r.need.needed) for r in mine)
        fields.append(FieldTotal(value, str(label), needed, filled, fill_rate(filled, needed)))
    needed = sum(f.needed for f in fields)
    filled = sum(f.filled for f in fields)
    return rows, fields, FieldTotal("", "合计", needed, filled, fill_rate(filled, needed))


def placements_of(need: TalentNeed) -> list[TalentPlacement]:
    return list(
        TalentPlacement.objects.filter(zone_id=need.zone_id, need_id=need.pk)
        .select_related("enterprise")
        .order_by("-placed_on", "-id")
    )


def talent_need_get(zone_id: int, need_id: int) -> TalentNeed | None:
    return TalentNeed.objects.filter(zone_id=zone_id, pk=need_id).first()
