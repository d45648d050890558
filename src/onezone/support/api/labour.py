"""API of 找人才 / 找员工: published jobs and applying (public, rate-limited), an enterprise's
applications, shared labour and talent needs (staff of the zone)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema

from onezone.core.errors import NotFound
from onezone.core.permissions import require, require_read
from onezone.support.selectors import labour as selectors
from onezone.support.services import labour as services
from onezone.support.services.labour_authority import READ_ROLES

router = Router(tags=["企业服务：招聘与用工"])


def _staff(request, zone_id: int) -> None:
    require_read(request.user, zone_id=zone_id)
    require(request.user, zone_id=zone_id, roles=READ_ROLES, action="查看招聘与用工")


class JobOut(Schema):
    id: int
    title: str
    enterprise_name: str
    park_name: str
    places: int
    pay_min: Decimal
    pay_max: Decimal
    requirements: str
    place: str
    valid_until: dt.date
    published_on: dt.date

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_park_name(obj) -> str:
        return obj.enterprise.park.name if obj.enterprise.park_id else ""


class JobPage(Schema):
    items: list[JobOut]
    total: int
    page: int
    pages: int


@router.get("/zones/{zone_id}/jobs", response=JobPage, auth=None, summary="在招岗位（公开，分页、搜索）")
def jobs(request, zone_id: int, q: str = "", park_id: int | None = None, industry: str = "", page: int = 1):
    found = selectors.public_jobs(zone_id, q=q, park_id=park_id, industry=industry, page=page)
    return {
        "items": list(found.object_list),
        "total": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
    }


@router.get("/zones/{zone_id}/jobs/{job_id}", response=JobOut, auth=None, summary="岗位详情（公开）")
def job(request, zone_id: int, job_id: int):
    found = selectors.public_job(zone_id, job_id)
    if found is None:
        raise NotFound("该岗位不存在或已结束招聘。")
    return found


class ApplicationIn(Schema):
    name: str
    phone: str
    note: str = ""


class ApplicationOut(Schema):
    id: int
    job_id: int
    name: str
    submitted_at: dt.datetime


@router.post(
    "/zones/{zone_id}/jobs/{job_id}/applications",
    response={201: ApplicationOut},
    auth=None,
    summary="投递岗位（公开，限流；手机号只对招聘企业开放）",
)
def apply(request, zone_id: int, job_id: int, payload: ApplicationIn):
    found = selectors.public_job(zone_id, job_id)
    if found is None:
        raise NotFound("该岗位不存在或已结束招聘。")
    services.application_rate_check(client=request.META.get("REMOTE_ADDR", ""))
    created = services.job_apply(
        actor=request.user, job=found, name=payload.name, phone=payload.phone, note=payload.note
    )
    return 201, created


class SharingOut(Schema):
    id: int
    lender_name: str
    borrower_name: str
    workers: int
    start: dt.date
    end: dt.date
    work: str
    employer_rule: str
    status: str
    lender_confirmed_at: dt.datetime | None
    borrower_confirmed_at: dt.datetime | None

    @staticmethod
    def resolve_lender_name(obj) -> str:
        return obj.lender.name

    @staticmethod
    def resolve_borrower_name(obj) -> str:
        return obj.borrower.name


@router.get("/zones/{zone_id}/labour-sharing", response=list[SharingOut], summary="用工调剂（工作人员）")
def sharing_list(request, zone_id: int):
    _staff(request, zone_id)
    return selectors.sharings(zone_id)


class TalentRowOut(Schema):
    id: int
    field: str
    field_label: str
    title: str
    needed: int
    filled: int
    rate: Decimal | None


class TalentFieldOut(Schema):
    field: str
    label: str
    needed: int
    filled: int
    rate: Decimal | None


class TalentOut(Schema):
    year: int
    rows: list[TalentRowOut]
    fields: list[TalentFieldOut]
    total: TalentFieldOut


@router.get("/zones/{zone_id}/talent-needs/{year}", response=TalentOut, summary="人才需求与满足率（工作人员）")
def talent(request, zone_id: int, year: int):
    _staff(request, zone_id)
    rows, fields, total = selectors.talent_needs(zone_id, year)
    return {
        "year": year,
        "rows": [
            {
                "id": r.need.pk,
                "field": r.need.field,
                "field_label": r.need.get_field_display(),
                "title": r.need.title,
                "needed": r.need.needed,
                "filled": r.filled,
                "rate": r.rate,
            }
            for r in rows
        ],
        "fields": [vars(f) for f in fields],
        "total": vars(total),
    }
