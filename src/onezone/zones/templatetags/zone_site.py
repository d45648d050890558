"""What the staff sign-in page says about the site: whose platform it is and the lockout rule."""

from __future__ import annotations

from django import template
from django.conf import settings

from onezone.zones.models import Zone

register = template.Library()


@register.simple_tag
def login_facts() -> dict[str, object]:
    """The name of the zone whose staff sign in here, and the lockout rule.

    A zone runs on the site when someone holds a role in it (the other zones a province's site knows
    are only evaluated); a site that runs several zones is the province's platform.
    """
    names = list(
        Zone.objects.filter(role_grants__isnull=False).distinct().order_by("name").values_list("name", flat=True)[:2]
    )
    if len(names) == 1:
        site = f"{names[0]} · 管理委员会"
    elif names:
        site = "全省开发区综合管理平台"
    else:
        site = "开发区综合管理平台"
    return {
        "site": site,
        "max_failures": settings.ONEZONE_LOGIN_MAX_FAILURES,
        "lock_minutes": settings.ONEZONE_LOGIN_LOCK_MINUTES,
    }
