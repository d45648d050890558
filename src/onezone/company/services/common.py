"""Shared pieces of the company's writes: who writes, validation, the committee-decision rule, settings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction

from onezone.company.models import (
    Asset,
    CompanySettings,
)
from onezone.company.selectors import decision_threshold
from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput
from onezone.core.money import format_amount
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.core.services import validation_message

WRITE_ROLES = (Role.COMPANY_STAFF,)
SETTINGS_ROLES = (Role.ADMIN,)
LEASABLE_KINDS = (Asset.Kind.FACTORY, Asset.Kind.LAND)
ZERO = Decimal("0.00")


def _valid(obj: models.Model, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        raise validation_message(exc) from exc


def _require_decision(*, zone_id: int, amount: Decimal, decision: Any, matter: str, effective_on: dt.date) -> None:
    """A matter above the zone's threshold takes effect only with an approved committee decision.

    A decision that is given is checked even below the threshold: it must be this zone's, approved,
    and taken no later than the matter takes effect.
    """
    threshold = decision_threshold(zone_id)
    if decision is None:
        if amount > threshold:
            message = (
                f"{matter}金额{format_amount(amount)}超过须经管委会决策的限额{format_amount(threshold)}，"
                "请先提请管委会会议审议，并在“决策议题”中引用审议通过的议题。"
            )
            raise InvalidInput(message, fields={"decision": message})
        return
    if decision.zone_id != zone_id:
        raise InvalidInput(
            "引用的决策议题不属于本开发区，请选择本开发区管委会会议的议题。",
            fields={"decision": "议题不属于本开发区。"},
        )
    if decision.approved is not True:
        message = f"议题“{decision.topic}”未经会议审议通过，不能作为{matter}的决策依据。"
        raise InvalidInput(message, fields={"decision": message})
    held_on = decision.meeting.held_on
    if held_on > effective_on:
        message = (
            f"议题“{decision.topic}”于{held_on:%Y年%m月%d日}审议，晚于{matter}的生效日期"
            f"{effective_on:%Y年%m月%d日}；须先经管委会决策，再实施。"
        )
        raise InvalidInput(message, fields={"decision": message})


# --- settings ------------------------------------------------------------------------------


def company_settings_save(*, actor: Any, zone_id: int, decision_threshold: Decimal) -> CompanySettings:
    """Set the amount above which the company's matters need a committee decision."""
    require(actor, zone_id=zone_id, roles=SETTINGS_ROLES, action="设置运营公司决策限额")
    with transaction.atomic():
        row = CompanySettings.objects.select_for_update().filter(zone_id=zone_id).first()
        before = row.decision_threshold if row else None
        row = row or CompanySettings(zone_id=zone_id)
        row.decision_threshold = decision_threshold
        _valid(row, exclude=["zone"])
        row.save()
        audit_record(
            actor=actor,
            action="company.settings.save",
            obj=row,
            changes={"decision_threshold": [before, decision_threshold]},
        )
    return row
