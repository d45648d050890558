"""An Open311 GeoReport v2–shaped read API: services = items in force, requests = cases. Nothing personal."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router

from onezone.core.errors import InvalidInput, NotFound
from onezone.window import selectors

router = Router(tags=["Open311 GeoReport v2"])


def _zone_id(zone: str | None) -> int:
    from onezone.zones.models import Zone

    qs = Zone.objects.order_by("id")
    found = qs.filter(code=zone).first() if zone else qs.first()
    if found is None:
        raise NotFound("没有找到该开发区，请用 zone 参数指定开发区代码。")
    return found.pk


@router.get("/services.json", auth=None, summary="服务列表（在用事项）")
def services(request, zone: str | None = None):
    from onezone.powers.selectors import items_in_force

    zone_id = _zone_id(zone)
    items = items_in_force(zone_id=zone_id, on=timezone.localdate())
    return [
        {
            "service_code": t.code,
            "service_name": t.name,
            "description": f"{t.category_label}；实施主体：{t.implementing_body_name}；"
            + ("即办件" if t.is_instant else f"承诺时限 {t.committed_limit} 个工作日"),
            "metadata": False,
            "type": "realtime",
            "keywords": t.category_label,
            "group": t.implementing_body_name,
        }
        for t in items
    ]


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError as exc:
        raise InvalidInput("日期应为 ISO 8601 格式，例如 2026-10-01。") from exc


@router.get("/requests.json", auth=None, summary="服务请求（办件进度，不含个人信息）")
def requests(
    request,
    zone: str | None = None,
    service_request_id: str | None = None,
    service_code: str | None = None,
    status: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
):
    zone_id = _zone_id(zone)
    if status not in (None, "", "open", "closed"):
        raise InvalidInput("status 应为 open 或 closed。", fields={"status": "取值不正确。"})
    rows = selectors.open311_requests(
        zone_id=zone_id,
        service_code=service_code,
        status=status or None,
        start=_date(start_date),
        end=_date(end_date),
        number=service_request_id,
    )
    return rows
