"""The enterprises' notification events: a request answered, and done and waiting for the enterprise.

The enterprise hears of its own records through its portal users (``portal_users``), which the window
uses for its cases too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from onezone.notify.events import register_event
from onezone.notify.services import notify_event

register_event(
    "enterprises.request_answered",
    label="企业诉求已答复",
    subject="您的诉求“{{ title }}”已答复",
    body="诉求编号 {{ number }}\n承办单位：{{ body }}\n答复：{{ response }}",
    audience="enterprise",
)
register_event(
    "enterprises.request_resolved",
    label="企业诉求已办结，请确认",
    subject="您的诉求“{{ title }}”已办结，请确认",
    body=(
        "诉求编号 {{ number }}\n承办单位：{{ body }}\n办理结果：{{ resolution }}\n"
        "请登录企业服务门户确认办理结果；如不满意，可申请重新办理。"
    ),
    audience="enterprise",
)


def portal_users(*, zone_id: int, enterprise_id: int | None) -> list[Any]:
    """The active portal users who act for the enterprise (none for an applicant not in the register)."""
    if enterprise_id is None:
        return []
    return list(
        get_user_model().objects.filter(
            is_active=True,
            enterprise_links__zone_id=zone_id,
            enterprise_links__enterprise_id=enterprise_id,
        )
    )


def _tell(request: Any, event: str, **context: Any) -> int:
    return notify_event(
        zone_id=request.zone_id,
        event=event,
        recipients=portal_users(zone_id=request.zone_id, enterprise_id=request.enterprise_id),
        context={"title": request.title, "number": request.number, "body": request.handling_body.name, **context},
        key=f"request:{request.pk}:round:{request.round}",
        link=f"/portal/enterprise/requests/{request.number}/",
    )


def request_answered(request: Any) -> int:
    """Tell the enterprise its request was answered."""
    return _tell(request, "enterprises.request_answered", response=request.response)


def request_resolved(request: Any) -> int:
    """Tell the enterprise its request is done and waits for its confirmation."""
    return _tell(request, "enterprises.request_resolved", resolution=request.resolution)
