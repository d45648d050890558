"""The unread badge in the headers of the back office and of the enterprise portal."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from onezone.core.middleware import current_zone_id
from onezone.notify.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notify_badge(context: Any, href: str) -> str:
    """A link to the inbox at ``href`` with the number of unread notifications (nothing when signed out)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return ""
    count = unread_count(zone_id=current_zone_id(request), user=user)
    label = f"我的消息（{count} 条未读）" if count else "我的消息"
    badge = format_html('<span class="nf-count" id="unread-count">{}</span>', count if count < 100 else "99+")
    # The back office has the icon font; the portal shows a word instead.
    icon = (
        format_html('<span class="material-symbols-outlined" aria-hidden="true">{}</span>', "notifications")
        if href.startswith("/desk/")
        else "消息"
    )
    return format_html(
        '<a class="nf-bell" href="{}" title="{}" aria-label="{}" id="inbox-link">{}{}</a>',
        href,
        label,
        label,
        icon,
        badge if count else "",
    )
