"""A cache-based counter per client address for the public look-up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from onezone.core.errors import RateLimited


def lookup_rate_limit(request: Any) -> None:
    """At most ONEZONE_WINDOW_LOOKUPS_PER_MINUTE look-ups per client address and minute."""
    limit = int(getattr(settings, "ONEZONE_WINDOW_LOOKUPS_PER_MINUTE", 10))
    minute = timezone.now().strftime("%Y%m%d%H%M")
    key = f"onezone:window:lookup:{request.META.get('REMOTE_ADDR', '')}:{minute}"
    if cache.add(key, 1, timeout=70):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=70)
            count = 1
    if count > limit:
        raise RateLimited(f"查询过于频繁（每分钟最多 {limit} 次），请一分钟后再试。")
