"""Writes of the investment projects: create, update, move along the pipeline, assign an agent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from onezone.core.audit import audit_record, diff, snapshot
from onezone.core.errors import Conflict, InvalidInput, StaleObject, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.investment import rules
from onezone.investment.models import (
    ChainNode,
    Project,
    ProjectStageChange,
    Stage,
)
from onezone.investment.services.chains import chain_role_for
from onezone.investment.services.common import (
    FUNDED_STAGES,
    PROJECT_WRITERS,
    _check_user_role,
    _lock_project,
    _money,
    _not_future,
    _today,
)
from onezone.zones.models import Park
from onezone.zones.selectors import industry_fits_park
from onezone.zones.services import industry_normalise


def _project_checks(
    *, zone_id: int, park: Park, industry_code: str, chain_node: ChainNode | None, officer: Any, planned: Decimal
) -> tuple[str, bool]:
    if park.zone_id != zone_id:
        raise InvalidInput("园区必须属于本开发区。", fields={"park": "请选择本开发区的园区。"})
    if chain_node is not None and chain_node.zone_id != zone_id:
        raise InvalidInput("产业链环节必须属于本开发区。", fields={"chain_node": "请选择本开发区的产业链环节。"})
    if planned < 0:
        raise InvalidInput("计划总投资不能为负数。", fields={"planned_investment": "请填写不小于零的金额。"})
    _check_user_role(officer, zone_id, Role.INVESTMENT_OFFICER, "officer", "招商责任人")
    code = industry_normalise(industry_code)
    return code, industry_fits_park(park=park, industry_code=code)


def project_create(
    *,
    actor: Any,
    zone_id: int,
    name: str,
    investor_name: str,
    industry_code: str,
    park: Park,
    planned_investment: Decimal | int | str = 0,
    is_key: bool = False,
    planned_start_year: int | None = None,
    officer: Any = None,
    referrer: str = "",
    chain_node: ChainNode | None = None,
    on: dt.date | None = None,
    is_real_estate: bool = False,
    is_loan_funded: bool = False,
    is_ppp: bool = False,
    note: str = "",
    enterprise: Any = None,
) -> Project:
    """Register a lead (客商线索). Its first stage change (→ lead) is logged on ``on``."""
    require(actor, zone_id=zone_id, roles=PROJECT_WRITERS, action="登记招商项目")
    on = on or _today()
    _not_future(on, "on", "登记日期")
    if not name.strip() or not investor_name.strip():
        raise InvalidInput(
            "请填写项目名称和投资方。", fields={"name": "请填写项目名称。", "investor_name": "请填写投资方。"}
        )
    planned = _money(planned_investment, "planned_investment", "计划总投资")
    if enterprise is not None and enterprise.zone_id != zone_id:
        raise InvalidInput("落地企业必须属于本开发区。", fields={"enterprise": "请选择本开发区的企业。"})
    code, fits = _project_checks(
        zone_id=zone_id, park=park, industry_code=industry_code, chain_node=chain_node, officer=officer, planned=planned
    )
    with transaction.atomic():
        project = Project.objects.create(
            zone_id=zone_id,
            name=name.strip(),
            investor_name=investor_name.strip(),
            enterprise=enterprise,
            industry_code=code,
            park=park,
            fits_park=fits,
            chain_node=chain_node,
            chain_role=chain_role_for(chain_node),
            planned_investment=planned,
            is_key=is_key,
            planned_start_year=planned_start_year,
            officer=officer,
            referrer=referrer.strip(),
            stage=Stage.LEAD,
            stage_since=on,
            is_real_estate=is_real_estate,
            is_loan_funded=is_loan_funded,
            is_ppp=is_ppp,
            note=note,
        )
        ProjectStageChange.objects.create(
            zone_id=zone_id, project=project, from_stage="", to_stage=Stage.LEAD, on=on, actor=actor, reason="登记线索"
        )
        audit_record(actor=actor, action="investment.project.create", obj=project, changes=snapshot(project))
    return project


EDITABLE_FIELDS = (
    "name",
    "investor_name",
    "enterprise",
    "industry_code",
    "park",
    "chain_node",
    "planned_investment",
    "is_key",
    "planned_start_year",
    "officer",
    "referrer",
    "is_real_estate",
    "is_loan_funded",
    "is_ppp",
    "note",
)


def project_update(*, actor: Any, project: Project, expected_version: int | None = None, **changes: Any) -> Project:
    """Change a project's descriptive fields (not its stage). The referrer, once set, stays: only the
    first referrer counts for a reward."""
    require(actor, zone_id=project.zone_id, roles=PROJECT_WRITERS, action="修改招商项目")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"不能在此修改：{'、'.join(sorted(unknown))}。阶段请用“推进阶段”操作。")
    with transaction.atomic():
        locked = _lock_project(project, expected_version)
        before = snapshot(locked)
        if "referrer" in changes and locked.referrer and changes["referrer"].strip() != locked.referrer:
            raise Conflict(
                f"首位引荐人已登记为“{locked.referrer}”，不能更改。", fields={"referrer": "首位引荐人不能更改。"}
            )
        for key, value in changes.items():
            setattr(locked, key, value)
        locked.planned_investment = _money(locked.planned_investment, "planned_investment", "计划总投资")
        locked.industry_code, locked.fits_park = _project_checks(
            zone_id=locked.zone_id,
            park=locked.park,
            industry_code=locked.industry_code,
            chain_node=locked.chain_node,
            officer=locked.officer,
            planned=locked.planned_investment,
        )
        if "chain_node" in changes and before["chain_node_id"] != locked.chain_node_id:
            locked.chain_role = chain_role_for(locked.chain_node)
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor, action="investment.project.update", obj=locked, changes=diff(before, snapshot(locked))
        )
    return locked


def project_move(
    *,
    actor: Any,
    project: Project,
    to_stage: str,
    on: dt.date | None = None,
    reason: str = "",
    expected_stage: str | None = None,
) -> ProjectStageChange:
    """Move a project one stage forward, or drop it (with a reason) before production.

    ``expected_stage`` is the stage the user saw; if someone moved the project meanwhile the move
    is refused rather than applied twice.
    """
    require(actor, zone_id=project.zone_id, roles=PROJECT_WRITERS, action="推进项目阶段")
    on = on or _today()
    _not_future(on, "on", "阶段变更日期")
    reason = reason.strip()
    with transaction.atomic():
        locked = _lock_project(project)
        if expected_stage is not None and locked.stage != expected_stage:
            raise StaleObject(f"项目“{locked.name}”已由他人推进到“{locked.get_stage_display()}”，请刷新页面后再操作。")
        if not rules.transition_allowed(locked.stage, to_stage):
            allowed = "、".join(str(Stage(s).label) for s in sorted(rules.TRANSITIONS.get(locked.stage, ()), key=str))
            raise TransitionNotAllowed(
                f"项目“{locked.name}”处于“{locked.get_stage_display()}”阶段，不能转到“{Stage(to_stage).label}”"
                + (f"；可转到：{allowed}。" if allowed else "；该阶段已是终点。")
            )
        if to_stage == Stage.DROPPED and not reason:
            raise InvalidInput("终止项目必须填写原因。", fields={"reason": "请填写终止原因。"})
        if on < locked.stage_since:
            raise InvalidInput(
                f"阶段变更日期不能早于进入当前阶段的日期（{locked.stage_since:%Y-%m-%d}）。",
                fields={"on": "日期早于上一阶段。"},
            )
        from_stage = locked.stage
        locked.stage = to_stage
        locked.stage_since = on
        if to_stage == Stage.SIGNED:
            locked.signed_on = on
        elif to_stage == Stage.CONSTRUCTION_STARTED:
            locked.started_on = on
        elif to_stage == Stage.COMPLETED:
            locked.completed_on = on
        elif to_stage == Stage.DROPPED:
            locked.dropped_reason = reason
        locked.version += 1
        locked.save()
        change = ProjectStageChange.objects.create(
            zone_id=locked.zone_id,
            project=locked,
            from_stage=from_stage,
            to_stage=to_stage,
            on=on,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
        )
        audit_record(
            actor=actor,
            action="investment.project.move",
            obj=locked,
            changes={"stage": [from_stage, to_stage], "on": on, "reason": reason},
        )
    for name in ("stage", "stage_since", "signed_on", "started_on", "completed_on", "dropped_reason", "version"):
        setattr(project, name, getattr(locked, name))
    return change


def project_assign_agent(*, actor: Any, project: Project, agent: Any) -> Project:
    """Give a project an agent (代办员) who follows its approvals, or take the agent away (None)."""
    require(actor, zone_id=project.zone_id, roles=PROJECT_WRITERS, action="指派代办员")
    _check_user_role(agent, project.zone_id, Role.AGENT, "agent", "代办员")
    with transaction.atomic():
        locked = _lock_project(project)
        before = locked.agent_id
        locked.agent = agent
        locked.version += 1
        locked.save(update_fields=["agent", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="investment.project.assign_agent",
            obj=locked,
            changes={"agent_id": [before, agent.pk if agent else None]},
        )
    return locked


# Ledgers --------------------------------------------------------------------------------------


def _funded_project(project: Project, what: str) -> Project:
    locked = _lock_project(project)
    if locked.stage not in FUNDED_STAGES:
        raise TransitionNotAllowed(
            f"项目“{locked.name}”处于“{locked.get_stage_display()}”阶段，不能登记{what}：签约后、终止前才能登记。"
        )
    return locked
