"""Writes of the company's assets: register, status, disposal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction

from onezone.company.depreciation import carrying_amount_at_disposal
from onezone.company.models import (
    Asset,
    Lease,
)
from onezone.company.services.common import (
    WRITE_ROLES,
    _require_decision,
    _valid,
)
from onezone.core.audit import audit_record, snapshot
from onezone.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from onezone.core.permissions import require

# --- assets --------------------------------------------------------------------------------

ASSET_TRANSITIONS: dict[str, set[str]] = {
    Asset.Status.IN_USE: {Asset.Status.IDLE, Asset.Status.LEASED, Asset.Status.DISPOSED},
    Asset.Status.IDLE: {Asset.Status.IN_USE, Asset.Status.LEASED, Asset.Status.DISPOSED},
    Asset.Status.LEASED: {Asset.Status.IN_USE, Asset.Status.IDLE, Asset.Status.DISPOSED},
    Asset.Status.DISPOSED: set(),
}


def _transition(asset: Asset, to: str) -> None:
    if to not in ASSET_TRANSITIONS[asset.status]:
        raise TransitionNotAllowed(
            f"资产“{asset}”当前为“{asset.get_status_display()}”，不能变为“{Asset.Status(to).label}”。"
        )
    asset.status = to


def asset_register(
    *,
    actor: Any,
    zone_id: int,
    code: str,
    name: str,
    kind: str,
    park: Any,
    cost: Decimal,
    acquired_on: dt.date,
    useful_life_months: int,
    residual_rate: Decimal = Decimal("0.05"),
    location: str = "",
    area_m2: Decimal | None = None,
    status: str = Asset.Status.IN_USE,
    note: str = "",
) -> Asset:
    """Put an asset on the company's books."""
    require(actor, zone_id=zone_id, roles=WRITE_ROLES, action="登记资产")
    if status not in (Asset.Status.IN_USE, Asset.Status.IDLE):
        raise InvalidInput("新登记的资产只能是“自用”或“闲置”；出租请签订租赁合同，处置请办理资产处置。")
    asset = Asset(
        zone_id=zone_id,
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        park=park,
        cost=cost,
        acquired_on=acquired_on,
        useful_life_months=useful_life_months,
        residual_rate=residual_rate,
        location=location,
        area_m2=area_m2,
        status=status,
        note=note,
    )
    _valid(asset)
    with transaction.atomic():
        try:
            asset.save()
        except IntegrityError as exc:
            raise Conflict(f"资产编号“{asset.code}”已被使用，请换一个编号。") from exc
        audit_record(actor=actor, action="company.asset.register", obj=asset, changes=snapshot(asset))
    return asset


def asset_set_status(*, actor: Any, asset: Asset, status: str) -> Asset:
    """Mark an asset as used by the company itself or idle."""
    require(actor, zone_id=asset.zone_id, roles=WRITE_ROLES, action="变更资产状态")
    if status not in (Asset.Status.IN_USE, Asset.Status.IDLE):
        raise InvalidInput("这里只能改为“自用”或“闲置”；出租请签订租赁合同，处置请办理资产处置。")
    with transaction.atomic():
        locked = Asset.objects.select_for_update().get(pk=asset.pk)
        before = locked.status
        _transition(locked, status)
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="company.asset.status", obj=locked, changes={"status": [before, status]})
    return locked


def asset_dispose(*, actor: Any, asset: Asset, disposed_on: dt.date, proceeds: Decimal, decision: Any = None) -> Asset:
    """Take an asset off the books on ``disposed_on`` for ``proceeds``.

    The matter's amount for the threshold rule is the larger of the proceeds and the carrying
    amount at disposal. An asset let on or after the disposal date cannot be disposed of.
    """
    require(actor, zone_id=asset.zone_id, roles=WRITE_ROLES, action="处置资产")
    if proceeds < 0:
        raise InvalidInput("处置收入不能为负数。", fields={"proceeds": "处置收入不能为负数。"})
    with transaction.atomic():
        locked = Asset.objects.select_for_update().select_related("park").get(pk=asset.pk)
        if locked.status == Asset.Status.DISPOSED:
            raise TransitionNotAllowed(f"资产“{locked}”已于{locked.disposed_on}处置，不能重复处置。")
        if disposed_on < locked.acquired_on:
            raise InvalidInput("处置日期不能早于资产取得日期。", fields={"disposed_on": "处置日期不能早于取得日期。"})
        lease = (
            Lease.objects.filter(asset=locked)
            .filter(
                models.Q(terminated_on__gte=disposed_on) | models.Q(terminated_on__isnull=True, end__gte=disposed_on)
            )
            .first()
        )
        if lease is not None:
            raise Conflict(
                f"资产“{locked}”在{disposed_on}仍出租给{lease.lessee_name}（合同{lease.number}，"
                f"租期至{lease.effective_end}），请先终止租赁合同再处置。"
            )
        carrying = carrying_amount_at_disposal(locked.basis, disposed_on)
        _require_decision(
            zone_id=locked.zone_id,
            amount=max(carrying, proceeds),
            decision=decision,
            matter="资产处置",
            effective_on=disposed_on,
        )
        before = locked.status
        _transition(locked, Asset.Status.DISPOSED)
        locked.disposed_on = disposed_on
        locked.disposal_proceeds = proceeds
        locked.disposal_decision = decision
        locked.save()
        audit_record(
            actor=actor,
            action="company.asset.dispose",
            obj=locked,
            changes={
                "status": [before, Asset.Status.DISPOSED],
                "disposed_on": disposed_on,
                "proceeds": proceeds,
                "carrying_amount": carrying,
                "decision_id": getattr(decision, "pk", None),
            },
        )
    return locked
