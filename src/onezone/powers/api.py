"""The lists over the API: items in force and their guides (public), versions and diffs (public),
delegations (staff of the zone)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Router, Schema

from onezone.core.permissions import require
from onezone.core.roles import STAFF_ROLES
from onezone.powers import selectors

router = Router(tags=["三张清单"])
MAX_PER_PAGE = 100


class ItemRowOut(Schema):
    item_id: int
    code: str
    name: str
    category: str
    category_label: str
    body_name: str
    legal: str
    committed: str
    is_instant: bool


class VersionOut(Schema):
    id: int
    number: int
    title: str
    document: str
    effective_on: dt.date
    item_count: int
    summary: str


class ItemPageOut(Schema):
    count: int
    page: int
    pages: int
    version: VersionOut | None
    items: list[ItemRowOut]


class ItemGuideOut(Schema):
    version: VersionOut | None
    item: dict[str, Any]


class DelegationOut(Schema):
    id: int
    batch_number: int
    batch_document: str
    item_id: int
    item_name: str
    form: str
    original_department: str
    receiving_body_id: int
    receiving_body_name: str
    status: str
    staff_trained: bool
    window_ready: bool
    effective_on: dt.date | None

    @staticmethod
    def resolve_batch_number(obj) -> int:
        return obj.batch.number

    @staticmethod
    def resolve_batch_document(obj) -> str:
        return obj.batch.document_number

    @staticmethod
    def resolve_item_name(obj) -> str:
        return obj.item.name

    @staticmethod
    def resolve_receiving_body_name(obj) -> str:
        return obj.receiving_body.name


class ChangeOut(Schema):
    field: str
    label: str
    old: Any
    new: Any


class ItemChangeOut(Schema):
    item_id: int
    code: str
    name: str
    changes: list[ChangeOut]


class DiffOut(Schema):
    summary: str
    summary_zh: str
    added: list[ItemChangeOut]
    removed: list[ItemChangeOut]
    modified: list[ItemChangeOut]


@router.get("/zones/{zone_id}/items", response=ItemPageOut, auth=None, summary="施行中的清单事项（公开）")
def list_items(
    request,
    zone_id: int,
    q: str = "",
    category: str = "",
    body: int | None = None,
    on: dt.date | None = None,
    page: int = 1,
    per_page: int = 20,
):
    result = selectors.public_items(
        zone_id=zone_id,
        on=on or timezone.localdate(),
        query=q[:100],
        category=category,
        body_id=body,
        page=page,
        per_page=max(1, min(per_page, MAX_PER_PAGE)),
    )
    return {
        "count": result.page.paginator.count,
        "page": result.page.number,
        "pages": result.page.paginator.num_pages,
        "version": result.version,
        "items": result.rows,
    }


@router.get("/zones/{zone_id}/items/{item_id}", response=ItemGuideOut, auth=None, summary="事项办事指南（公开）")
def item_detail(request, zone_id: int, item_id: int, on: dt.date | None = None):
    snap, version = selectors.item_guide(zone_id=zone_id, item_id=item_id, on=on or timezone.localdate())
    return {"version": version, "item": snap}


@router.get("/zones/{zone_id}/versions", response=list[VersionOut], auth=None, summary="已发布的清单版本（公开）")
def list_versions(request, zone_id: int):
    return list(selectors.versions_of(zone_id))


@router.get("/zones/{zone_id}/versions/{a}/diff/{b}", response=DiffOut, auth=None, summary="两个版本的差异（公开）")
def diff_versions(request, zone_id: int, a: int, b: int):
    diff = selectors.versions_diff(selectors.version_get(zone_id, a), selectors.version_get(zone_id, b))
    return {
        "summary": diff.summary,
        "summary_zh": diff.summary_zh,
        "added": diff.added,
        "removed": diff.removed,
        "modified": diff.modified,
    }


@router.get("/zones/{zone_id}/delegations", response=list[DelegationOut], summary="赋权事项（本开发区工作人员）")
def list_delegations(request, zone_id: int, batch: int | None = None, status: str = ""):
    require(request.user, zone_id=zone_id, roles=STAFF_ROLES, action="查看赋权事项")
    return list(selectors.delegations_of(zone_id, batch_id=batch, status=status))
