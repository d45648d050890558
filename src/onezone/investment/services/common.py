"""What every write of the investment module shares: who may write, the money and date checks, the project lock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from onezone.core.errors import InvalidInput, StaleObject
from onezone.core.money import yuan
from onezone.core.permissions import has_role
from onezone.core.roles import Role
from onezone.investment import rules
from onezone.investment.models import (
    AwardStatus,
    Project,
)

PROJECT_WRITERS = (Role.ADMIN, Role.LEADER, Role.INVESTMENT_OFFICER)
LEDGER_WRITERS = (Role.ADMIN, Role.INVESTMENT_OFFICER)
CHAIN_WRITERS = (Role.ADMIN, Role.LEADER, Role.INVESTMENT_OFFICER)
MILESTONE_WRITERS = (Role.ADMIN, Role.INVESTMENT_OFFICER, Role.AGENT)
POLICY_WRITERS = (Role.ADMIN, Role.LEADER)
AWARD_CLAIMERS = (Role.ADMIN, Role.INVESTMENT_OFFICER)
AWARD_DECIDERS = (Role.ADMIN, Role.LEADER)

FUNDS_FIELDS = ("project_id", "amount", "received_on", "source", "evidence_reference", "note", "corrects_id")

# Stages in which money and work can arrive: from signing until production, never after a drop.
FUNDED_STAGES = frozenset(rules.PIPELINE[rules.PIPELINE.index(rules.SIGNED) :])

AWARD_TRANSITIONS: dict[str, frozenset[str]] = {
    AwardStatus.CLAIMED: frozenset({AwardStatus.APPROVED, AwardStatus.REJECTED}),
    AwardStatus.APPROVED: frozenset({AwardStatus.PAID, AwardStatus.REJECTED}),
    AwardStatus.PAID: frozenset({AwardStatus.CLAWED_BACK}),
    AwardStatus.REJECTED: frozenset(),
    AwardStatus.CLAWED_BACK: frozenset(),
}


def _today() -> dt.date:
    return timezone.localdate()


def _money(value: Any, field: str, label: str) -> Decimal:
    try:
        amount = yuan(value)
    except Exception as exc:
        raise InvalidInput(f"{label}应为金额数字（元）。", fields={field: "请填写数字金额（元）。"}) from exc
    return amount


def _not_future(day: dt.date, field: str, label: str) -> None:
    if day > _today():
        raise InvalidInput(f"{label}不能晚于今天。", fields={field: "不能填写未来日期。"})


def _check_user_role(user: Any, zone_id: int, role: Role, field: str, label: str) -> None:
    if user is not None and not has_role(user, zone_id, [role]):
        raise InvalidInput(
            f"{user.get_full_name() or user.username}在本开发区没有“{role.label}”角色，不能担任{label}。",
            fields={field: f"请选择持有“{role.label}”角色的人员。"},
        )


def _lock_project(project: Project, expected_version: int | None = None) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleObject(f"项目“{locked.name}”已被他人修改，请刷新页面后再操作。")
    return locked
