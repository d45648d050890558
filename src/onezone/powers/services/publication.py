"""Publication of the list: ``list_publish`` freezes the items in force into an immutable ``ListVersion``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, NotFound
from onezone.core.permissions import require
from onezone.powers.models import Adjustment, ListVersion, ListVersionItem, PowerItem
from onezone.powers.services.items import PUBLISHERS


def list_publish(
    *,
    actor: Any,
    zone_id: int,
    title: str,
    document: str,
    effective_on: dt.date | None = None,
) -> ListVersion:
    """Freeze every item in force into a new, immutable version; it takes effect on ``effective_on``."""
    from onezone.powers.selectors import item_snapshots, versions_diff

    require(actor, zone_id=zone_id, roles=PUBLISHERS, action="发布清单版本")
    if not title.strip():
        raise InvalidInput("请填写版本标题。", fields={"title": "请填写版本标题。"})
    effective_on = effective_on or timezone.localdate()
    with transaction.atomic():
        previous = ListVersion.objects.select_for_update().filter(zone_id=zone_id).order_by("-number").first()
        if previous is not None and effective_on < previous.effective_on:
            raise InvalidInput(
                f"生效日期{effective_on:%Y-%m-%d}早于上一版（第{previous.number}版）的生效日期"
                f"{previous.effective_on:%Y-%m-%d}，请选择不早于它的日期。"
            )
        items = list(
            PowerItem.objects.filter(zone_id=zone_id, status=PowerItem.Status.IN_FORCE)
            .select_related("implementing_body")
            .order_by("order", "implementation_code")
        )
        snapshots = item_snapshots(items)
        version = ListVersion.objects.create(
            zone_id=zone_id,
            number=(previous.number + 1) if previous else 1,
            title=title.strip(),
            document=document,
            effective_on=effective_on,
            published_at=timezone.now(),
            published_by=actor,
            item_count=len(items),
        )
        ListVersionItem.objects.bulk_create(
            [
                ListVersionItem(
                    version=version,
                    item=item,
                    code=item.implementation_code,
                    name=item.name,
                    category=item.category,
                    body_id=item.implementing_body_id,
                    body_name=item.implementing_body.name if item.implementing_body else "",
                    order=n,
                    snapshot=snapshots[item.pk],
                )
                for n, item in enumerate(items, start=1)
            ],
            batch_size=1000,
        )
        if previous is not None:
            version.summary = versions_diff(previous, version).summary_zh
        else:
            version.summary = f"首次发布，共{len(items)}项"
        version.save(update_fields=["summary"])
        Adjustment.objects.filter(zone_id=zone_id, version__isnull=True).update(version=version)
        audit_record(
            actor=actor,
            action="powers.version.publish",
            obj=version,
            changes={"items": len(items), "document": document, "summary": version.summary},
        )
    return version


def version_change(*, actor: Any, version_id: int, **changes: Any) -> None:
    """A published version is never changed: this always refuses (after the role check)."""
    version = ListVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound("清单版本不存在。")
    require(actor, zone_id=version.zone_id, roles=PUBLISHERS, action="修改清单版本")
    raise Conflict(f"第{version.number}版已发布，发布的版本不可修改或删除；如需变更，请调整事项后发布新版本。")
