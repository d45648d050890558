"""Enterprises (staff), requests (staff and the enterprise itself, scoped) and inspections over the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Router, Schema, Status

from onezone.core.api_types import Year
from onezone.core.errors import InvalidInput, NotFound, PermissionDenied
from onezone.core.permissions import require, require_read, roles_in
from onezone.core.roles import Role
from onezone.enterprises import classifier, selectors, services
from onezone.enterprises.access import INSPECTION_ROLES, VIEW_ROLES
from onezone.enterprises.models import Enterprise, EnterpriseRequest, Inspection
from onezone.zones.models import Park

router = Router(tags=["企业服务"])


def _staff(request, zone_id: int) -> None:
    require_read(request.user, zone_id=zone_id)
    require(request.user, zone_id=zone_id, roles=VIEW_ROLES, action="查看企业信息")


def _own_enterprise(request, zone_id: int) -> Enterprise | None:
    """None for staff of the zone; the user's enterprise for an enterprise user; else refused."""
    if roles_in(request.user, zone_id) & VIEW_ROLES:
        return None
    enterprise = selectors.enterprise_of_user(request.user, zone_id=zone_id)
    if enterprise is None or Role.ENTERPRISE not in roles_in(request.user, zone_id):
        raise PermissionDenied("您的账号没有关联本开发区的企业，不能查看企业诉求。")
    return enterprise


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    legal_representative: str
    registered_capital: Decimal
    industry_code: str
    industry_name: str
    park_id: int
    park_name: str
    address: str
    size: str
    status: str
    established: dt.date | None
    risk_level: str
    tags: list[str]
    fits_park: bool

    @staticmethod
    def resolve_industry_name(obj) -> str:
        return selectors.industry_name(obj.industry_code)

    @staticmethod
    def resolve_park_name(obj) -> str:
        return obj.park.name

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        names = getattr(obj, "tag_names", None)  # read with the page (selectors.enterprises_list)
        return names if names is not None else [t.name for t in obj.tags.all()]


class EnterprisePage(Schema):
    items: list[EnterpriseOut]
    total: int
    page: int
    pages: int


class EnterpriseIn(Schema):
    uscc: str
    name: str
    industry_code: str
    park_id: int
    legal_representative: str = ""
    registered_capital: Decimal = Decimal(0)
    address: str = ""
    size: Enterprise.Size = Enterprise.Size.BELOW
    status: Enterprise.Status = Enterprise.Status.OPERATING
    established: dt.date | None = None
    risk_level: Enterprise.Risk = Enterprise.Risk.MEDIUM
    tags: list[str] = []


@router.get("/zones/{zone_id}/enterprises", response=EnterprisePage, summary="企业名录（分页、筛选）")
def list_enterprises(
    request,
    zone_id: int,
    park_id: int | None = None,
    industry: str | None = None,
    size: str | None = None,
    tag: str | None = None,
    misfit: bool | None = None,
    status: str | None = None,
    q: str | None = None,
    page: int = 1,
):
    _staff(request, zone_id)
    return selectors.enterprises_list(
        zone_id=zone_id,
        park_id=park_id,
        industry=industry,
        size=size,
        tag=tag,
        misfit=misfit,
        status=status,
        q=q,
        page=page,
    )


@router.get("/zones/{zone_id}/enterprises/{enterprise_id}", response=EnterpriseOut, summary="企业详情")
def get_enterprise(request, zone_id: int, enterprise_id: int):
    _staff(request, zone_id)
    return selectors.enterprise_get(zone_id=zone_id, enterprise_id=enterprise_id)


@router.post("/zones/{zone_id}/enterprises", response={201: EnterpriseOut}, summary="登记企业")
def create_enterprise(request, zone_id: int, payload: EnterpriseIn):
    require_read(request.user, zone_id=zone_id)
    park = Park.objects.filter(zone_id=zone_id, pk=payload.park_id).first()
    if park is None:
        raise InvalidInput("所在园区不属于本开发区。", fields={"park_id": "所在园区不属于本开发区。"})
    data = payload.dict(exclude={"park_id"})
    created = services.enterprise_register(actor=request.user, zone_id=zone_id, park=park, **data)
    return Status(201, selectors.enterprise_get(zone_id=zone_id, enterprise_id=created.pk))


class EnterpriseFiguresOut(Schema):
    year: Year
    enterprises: int
    by_size: dict[str, int]
    by_tag: dict[str, int]
    by_park: dict[str, int]
    misfit: int
    reporting: int
    output_value: Decimal
    revenue: Decimal
    tax: Decimal
    employees: int
    energy_tce: Decimal
    rd_spend: Decimal
    exports: Decimal


@router.get("/zones/{zone_id}/figures", response=EnterpriseFiguresOut, summary="企业年度汇总数据")
def figures(request, zone_id: int, year: Year):
    _staff(request, zone_id)
    return selectors.enterprise_figures(zone_id=zone_id, year=year)


# --- requests ----------------------------------------------------------------------------------


class EnterpriseEventOut(Schema):
    at: dt.datetime
    kind: str
    kind_label: str
    note: str


class RequestOut(Schema):
    id: int
    number: str
    enterprise_id: int
    enterprise_name: str
    title: str
    description: str
    category: str
    category_name: str
    suggested_category: str | None
    suggestion_words: list[str]
    category_confirmed: bool
    handling_body: str
    status: str
    status_label: str
    round: int
    submitted_on: dt.date
    ack_due: dt.date
    respond_due: dt.date
    resolve_due: dt.date
    deadlines_provisional: bool
    response: str
    resolution: str

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_suggested_category(obj) -> str | None:
        return obj.suggested_category.code if obj.suggested_category_id else None

    @staticmethod
    def resolve_handling_body(obj) -> str:
        return obj.handling_body.name

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class RequestDetailOut(RequestOut):
    events: list[EnterpriseEventOut]

    @staticmethod
    def resolve_events(obj) -> list[Any]:
        return [e for e in obj.events.all() if e.kind != "alert"]


class RequestPage(Schema):
    items: list[RequestOut]
    total: int
    page: int
    pages: int


class RequestIn(Schema):
    title: str
    description: str
    category: str | None = None
    enterprise_id: int | None = None


class RequestStepIn(Schema):
    text: str = ""
    category: str | None = None
    expected_status: str | None = None


class SuggestIn(Schema):
    text: str


class SuggestOut(Schema):
    category: str | None
    category_name: str | None
    words: list[str]


def _request_for(request, zone_id: int, request_id: int) -> EnterpriseRequest:
    own = _own_enterprise(request, zone_id)
    obj = selectors.request_get(zone_id=zone_id, request_id=request_id)
    if own is not None and obj.enterprise_id != own.pk:
        raise NotFound("没有找到该诉求，或您无权查看。")
    return obj


@router.get("/zones/{zone_id}/requests", response=RequestPage, summary="企业诉求（员工看全部，企业只看本企业）")
def list_requests(
    request,
    zone_id: int,
    status: str | None = None,
    category: str | None = None,
    open_only: bool = False,
    page: int = 1,
):
    require_read(request.user, zone_id=zone_id)
    own = _own_enterprise(request, zone_id)
    return selectors.requests_list(
        zone_id=zone_id,
        status=status,
        category=category,
        open_only=open_only,
        enterprise_id=own.pk if own else None,
        page=page,
    )


@router.post("/zones/{zone_id}/requests", response={201: RequestDetailOut}, summary="提交诉求")
def submit_request(request, zone_id: int, payload: RequestIn):
    require_read(request.user, zone_id=zone_id)
    own = _own_enterprise(request, zone_id)
    if own is None:
        if payload.enterprise_id is None:
            raise InvalidInput("代企业登记诉求时请指定企业。", fields={"enterprise_id": "请指定企业。"})
        enterprise = selectors.enterprise_get(zone_id=zone_id, enterprise_id=payload.enterprise_id)
    else:
        if payload.enterprise_id not in (None, own.pk):
            raise NotFound("没有找到该企业，或您无权以其名义提交诉求。")
        enterprise = own
    created = services.request_submit(
        actor=request.user,
        enterprise=enterprise,
        title=payload.title,
        description=payload.description,
        category=payload.category,
    )
    return Status(201, selectors.request_get(zone_id=zone_id, request_id=created.pk))


@router.get("/zones/{zone_id}/requests/{request_id}", response=RequestDetailOut, summary="诉求详情与办理记录")
def get_request(request, zone_id: int, request_id: int):
    require_read(request.user, zone_id=zone_id)
    return _request_for(request, zone_id, request_id)


_STEPS = {
    "acknowledge": lambda actor, obj, body: services.request_acknowledge(
        actor=actor, request=obj, expected_status=body.expected_status
    ),
    "respond": lambda actor, obj, body: services.request_respond(
        actor=actor, request=obj, response=body.text, expected_status=body.expected_status
    ),
    "resolve": lambda actor, obj, body: services.request_resolve(
        actor=actor, request=obj, resolution=body.text, expected_status=body.expected_status
    ),
    "confirm": lambda actor, obj, body: services.request_confirm(actor=actor, request=obj, satisfaction=body.text),
    "reopen": lambda actor, obj, body: services.request_reopen(actor=actor, request=obj, reason=body.text),
    "category": lambda actor, obj, body: services.request_category_confirm(
        actor=actor, request=obj, category=body.category or ""
    ),
}


@router.post(
    "/zones/{zone_id}/requests/{request_id}/{step}",
    response=RequestDetailOut,
    summary="办理诉求：acknowledge、respond、resolve、category（员工）；confirm、reopen（企业）",
)
def request_step(request, zone_id: int, request_id: int, step: str, payload: RequestStepIn):
    require_read(request.user, zone_id=zone_id)
    obj = _request_for(request, zone_id, request_id)
    action = _STEPS.get(step)
    if action is None:
        raise NotFound(f"没有“{step}”这一办理步骤，可用：{'、'.join(_STEPS)}。")
    action(request.user, obj, payload)
    return selectors.request_get(zone_id=zone_id, request_id=obj.pk)


@router.post("/zones/{zone_id}/requests-suggest", response=SuggestOut, summary="根据诉求内容建议类别及依据词语")
def suggest(request, zone_id: int, payload: SuggestIn):
    require_read(request.user, zone_id=zone_id)
    _own_enterprise(request, zone_id)
    result = classifier.suggest(zone_id=zone_id, text=payload.text)
    names = {c.code: c.name for c in selectors.request_categories(zone_id)}
    return {"category": result.category, "category_name": names.get(result.category), "words": result.words}


# --- inspections -------------------------------------------------------------------------------


class InspectionOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    body: str
    participants: list[str]
    kind: str
    kind_label: str
    status: str
    planned_on: dt.date
    purpose: str
    trigger_note: str
    block_reason: str
    joint_id: int | None
    done_on: dt.date | None
    result: str

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_body(obj) -> str:
        return obj.body.name

    @staticmethod
    def resolve_participants(obj) -> list[str]:
        return [b.name for b in obj.participants.all()]

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class InspectionPage(Schema):
    items: list[InspectionOut]
    total: int
    page: int
    pages: int


class InspectionIn(Schema):
    enterprise_id: int
    body_id: int
    kind: str
    planned_on: dt.date
    purpose: str
    trigger_note: str = ""
    join: bool = False


class MergeIn(Schema):
    ids: list[int]
    planned_on: dt.date | None = None


@router.get("/zones/{zone_id}/inspections", response=InspectionPage, summary="涉企检查登记")
def list_inspections(
    request,
    zone_id: int,
    enterprise_id: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    page: int = 1,
):
    _staff(request, zone_id)
    return selectors.inspections_list(zone_id=zone_id, enterprise_id=enterprise_id, status=status, kind=kind, page=page)


@router.post(
    "/zones/{zone_id}/inspections",
    response={201: InspectionOut},
    summary="登记检查计划（超限或低风险企业的例行检查被拦截并记录；相近计划提示合并）",
)
def plan_inspection(request, zone_id: int, payload: InspectionIn):
    require(request.user, zone_id=zone_id, roles=INSPECTION_ROLES, action="登记涉企检查")
    from onezone.org.models import Body

    enterprise = selectors.enterprise_get(zone_id=zone_id, enterprise_id=payload.enterprise_id)
    body = Body.objects.filter(zone_id=zone_id, pk=payload.body_id).first()
    if body is None:
        raise InvalidInput("检查机构不属于本开发区。", fields={"body_id": "检查机构不属于本开发区。"})
    created = services.inspection_plan(
        actor=request.user,
        enterprise=enterprise,
        body=body,
        kind=payload.kind,
        planned_on=payload.planned_on,
        purpose=payload.purpose,
        trigger_note=payload.trigger_note,
        join=payload.join,
    )
    return Status(201, selectors.inspection_get(zone_id=zone_id, inspection_id=created.pk))


@router.post("/zones/{zone_id}/inspections/merge", response=InspectionOut, summary="合并为综合查一次")
def merge_inspections(request, zone_id: int, payload: MergeIn):
    require(request.user, zone_id=zone_id, roles=INSPECTION_ROLES, action="合并涉企检查")
    plans = list(Inspection.objects.filter(zone_id=zone_id, pk__in=payload.ids))
    if len(plans) != len(set(payload.ids)):
        raise NotFound("所选检查计划不存在或不属于本开发区。")
    joint = services.inspections_merge(actor=request.user, inspections=plans, planned_on=payload.planned_on)
    return selectors.inspection_get(zone_id=zone_id, inspection_id=joint.pk)
