"""Every write of the investment module: projects and their stages, the ledgers, milestones, chains
and rewards. Keyword-only, one transaction each, role check first, audit entry inside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from onezone.core.audit import audit_record, diff, snapshot
from onezone.core.errors import Conflict, InvalidInput, PermissionDenied, StaleObject, TransitionNotAllowed
from onezone.core.money import yuan
from onezone.core.permissions import has_role, require, roles_in
from onezone.core.roles import Role
from onezone.core.services import record_save
from onezone.investment import rules
from onezone.investment.models import (
    MILESTONE_ORDER,
    AwardStatus,
    Chain,
    ChainNode,
    ChainTarget,
    FundsEntry,
    FundsSource,
    InvestmentProgress,
    Milestone,
    MilestoneKind,
    NodeEnterprise,
    Project,
    ProjectStageChange,
    RewardAward,
    RewardPolicy,
    Stage,
)
from onezone.investment.rewards import ClaimFacts, award_compute
from onezone.zones.models import Park
from onezone.zones.selectors import industry_fits_park
from onezone.zones.services import industry_normalise

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


# Chains ---------------------------------------------------------------------------------------


def chain_create(*, actor: Any, zone_id: int, name: str, cluster: str = "", description: str = "", order: int = 100):
    """Register an industry chain."""
    return record_save(
        actor=actor,
        obj=Chain(zone_id=zone_id, name=name, cluster=cluster, description=description, order=order),
        roles=CHAIN_WRITERS,
    )


def chain_node_add(
    *,
    actor: Any,
    chain: Chain,
    name: str,
    stage: str,
    industry_code: str,
    parent: ChainNode | None = None,
    key_products: str = "",
    order: int = 100,
) -> ChainNode:
    """Add a node to a chain; its parent must belong to the same chain."""
    if parent is not None and parent.chain_id != chain.pk:
        raise InvalidInput("上级环节必须属于同一条产业链。", fields={"parent": "请选择本产业链的环节。"})
    return record_save(
        actor=actor,
        obj=ChainNode(
            zone_id=chain.zone_id,
            chain=chain,
            parent=parent,
            name=name,
            stage=stage,
            industry_code=industry_normalise(industry_code),
            key_products=key_products,
            order=order,
        ),
        roles=CHAIN_WRITERS,
    )


def node_enterprise_add(
    *, actor: Any, node: ChainNode, name: str = "", uscc: str = "", products: str = "", enterprise: Any = None
) -> NodeEnterprise:
    """Put a local enterprise on a node (the node is no longer a gap). With ``enterprise`` (the
    registry's record) its name and credit code are taken from the registry."""
    if enterprise is not None:
        if enterprise.zone_id != node.zone_id:
            raise InvalidInput("企业必须属于本开发区。", fields={"enterprise": "请选择本开发区的企业。"})
        name = name or enterprise.name
        uscc = uscc or getattr(enterprise, "uscc", "") or ""
    if not name.strip():
        raise InvalidInput("请填写企业名称。", fields={"name": "请填写企业名称。"})
    return record_save(
        actor=actor,
        obj=NodeEnterprise(
            zone_id=node.zone_id, node=node, enterprise=enterprise, name=name.strip(), uscc=uscc, products=products
        ),
        roles=CHAIN_WRITERS,
    )


def chain_target_add(
    *, actor: Any, node: ChainNode, company: str, location: str = "", products: str = "", approach: str = "", priority=2
) -> ChainTarget:
    """Name an enterprise elsewhere to approach for a node."""
    return record_save(
        actor=actor,
        obj=ChainTarget(
            zone_id=node.zone_id,
            node=node,
            company=company,
            location=location,
            products=products,
            approach=approach,
            priority=priority,
        ),
        roles=CHAIN_WRITERS,
    )


def chain_role_for(node: ChainNode | None) -> str:
    """The role a project on ``node`` plays, judged from the chain's local enterprises now."""
    if node is None:
        return ""
    local = list(
        NodeEnterprise.objects.filter(node__chain_id=node.chain_id).values_list("node_id", "node__stage").distinct()
    )
    return rules.chain_role(
        node_stage=node.stage,
        node_local_count=sum(1 for node_id, _ in local if node_id == node.pk),
        chain_local_stages={stage for _, stage in local},
    )


# Projects -------------------------------------------------------------------------------------


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


def funds_receipt_record(
    *,
    actor: Any,
    project: Project,
    amount: Decimal | int | str,
    received_on: dt.date,
    source: str,
    evidence_reference: str = "",
    evidence_file: Any = None,
    note: str = "",
) -> FundsEntry:
    """Record funds that arrived (到位资金). Amounts are positive; errors are corrected by
    ``funds_entry_correct``, never by editing."""
    require(actor, zone_id=project.zone_id, roles=LEDGER_WRITERS, action="登记到位资金")
    value = _money(amount, "amount", "到位金额")
    if value <= 0:
        raise InvalidInput("到位金额必须大于零；冲减请登记更正分录。", fields={"amount": "请填写大于零的金额。"})
    if source not in FundsSource.values:
        raise InvalidInput("资金来源不正确。", fields={"source": "请从列表中选择资金来源。"})
    _not_future(received_on, "received_on", "到位日期")
    with transaction.atomic():
        locked = _funded_project(project, "到位资金")
        if locked.signed_on and received_on < locked.signed_on:
            raise InvalidInput(
                f"到位日期不能早于签约日期（{locked.signed_on:%Y-%m-%d}）。", fields={"received_on": "早于签约日期。"}
            )
        entry = FundsEntry(
            zone_id=locked.zone_id,
            project=locked,
            amount=value,
            received_on=received_on,
            source=source,
            evidence_reference=evidence_reference.strip(),
            note=note.strip(),
            recorded_by=actor,
        )
        if evidence_file is not None:
            entry.evidence_file = evidence_file
        entry.save()
        audit_record(
            actor=actor,
            action="investment.funds.record",
            obj=entry,
            changes={**snapshot(entry, FUNDS_FIELDS), "evidence_file": entry.evidence_file.name or ""},
        )
    return entry


def _chain_total(model, entry) -> Decimal:
    """The effective amount of an entry and the corrections hanging from it."""
    total = Decimal(0)
    current = entry
    while current is not None:
        total += current.amount
        current = model.objects.filter(corrects=current).first()
    return total


def _root_of(model, entry):
    current = entry
    while current.corrects_id is not None:
        current = model.objects.get(pk=current.corrects_id)
    return current


def _correct(model, *, actor: Any, entry, correct_amount: Any, reason: str, label: str, extra: dict[str, Any]):
    reason = reason.strip()
    if not reason:
        raise InvalidInput("更正必须填写原因。", fields={"reason": "请填写更正原因。"})
    target = _money(correct_amount, "correct_amount", "更正后的金额")
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=entry.pk)
        if model.objects.filter(corrects=locked).exists():
            raise Conflict(f"该{label}已被更正过；如需再次更正，请更正最新的更正分录。")
        root = _root_of(model, locked)
        effective = _chain_total(model, root)
        delta = target - effective
        if delta == 0:
            raise InvalidInput("更正后的金额与现有金额相同，无需更正。", fields={"correct_amount": "金额未变化。"})
        correction = model(
            zone_id=locked.zone_id,
            project_id=locked.project_id,
            amount=delta,
            note=reason,
            corrects=locked,
            recorded_by=actor,
            **{key: getattr(locked, key) for key in extra},
        )
        try:
            with transaction.atomic():
                correction.save()
        except IntegrityError as exc:
            raise Conflict(f"该{label}刚被他人更正，请刷新后查看。") from exc
        audit_record(
            actor=actor,
            action=f"investment.{model._meta.model_name}.correct",
            obj=correction,
            changes={"corrects": locked.pk, "amount": [effective, target], "reason": reason},
        )
    return correction


def funds_entry_correct(*, actor: Any, entry: FundsEntry, correct_amount: Any, reason: str) -> FundsEntry:
    """Correct a funds entry by a new entry of the difference, dated as the entry it corrects.

    ``correct_amount`` is what the original receipt should have been (0 reverses it)."""
    require(actor, zone_id=entry.zone_id, roles=LEDGER_WRITERS, action="更正到位资金")
    return _correct(
        FundsEntry,
        actor=actor,
        entry=entry,
        correct_amount=correct_amount,
        reason=reason,
        label="到位资金分录",
        extra={"received_on": None, "source": None, "evidence_reference": None},
    )


def _month_start(month: dt.date) -> dt.date:
    return month.replace(day=1)


def progress_record(
    *, actor: Any, project: Project, month: dt.date, amount: Decimal | int | str, note: str = ""
) -> InvestmentProgress:
    """Report investment completed in one month (one report per project and month)."""
    require(actor, zone_id=project.zone_id, roles=LEDGER_WRITERS, action="登记完成投资")
    value = _money(amount, "amount", "完成投资")
    if value < 0:
        raise InvalidInput("完成投资不能为负数；冲减请登记更正。", fields={"amount": "请填写不小于零的金额。"})
    month = _month_start(month)
    if month > _month_start(_today()):
        raise InvalidInput("不能登记未来月份的完成投资。", fields={"month": "不能填写未来月份。"})
    with transaction.atomic():
        locked = _funded_project(project, "完成投资")
        if InvestmentProgress.objects.filter(project=locked, month=month, corrects__isnull=True).exists():
            raise Conflict(
                f"项目“{locked.name}”{month:%Y年%m月}的完成投资已登记；如有错误请登记更正。",
                fields={"month": "该月已登记。"},
            )
        entry = InvestmentProgress(
            zone_id=locked.zone_id, project=locked, month=month, amount=value, note=note.strip(), recorded_by=actor
        )
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError as exc:
            raise Conflict(f"项目“{locked.name}”{month:%Y年%m月}的完成投资刚被他人登记，请刷新后查看。") from exc
        audit_record(actor=actor, action="investment.progress.record", obj=entry, changes=snapshot(entry))
    return entry


def progress_correct(*, actor: Any, entry: InvestmentProgress, correct_amount: Any, reason: str) -> InvestmentProgress:
    """Correct a month's report by a new row of the difference for the same month."""
    require(actor, zone_id=entry.zone_id, roles=LEDGER_WRITERS, action="更正完成投资")
    return _correct(
        InvestmentProgress,
        actor=actor,
        entry=entry,
        correct_amount=correct_amount,
        reason=reason,
        label="完成投资记录",
        extra={"month": None},
    )


# Milestones (代办清单) -------------------------------------------------------------------------


def _require_milestone_writer(actor: Any, project: Project, action: str) -> None:
    require(actor, zone_id=project.zone_id, roles=MILESTONE_WRITERS, action=action)
    roles = roles_in(actor, project.zone_id)
    if not roles & {Role.ADMIN, Role.INVESTMENT_OFFICER} and project.agent_id != actor.pk:
        raise PermissionDenied(f"您不是项目“{project.name}”的代办员，不能修改它的代办清单。")


def _case_id_for(zone_id: int, number: str) -> int | None:
    """The zone's window case with this number, if the case was filed at the zone's own window.

    A number with no such case is kept as text: the approval is handled at another window."""
    if not number:
        return None
    case_model = Milestone._meta.get_field("case").related_model
    return case_model.objects.filter(zone_id=zone_id, number=number).values_list("pk", flat=True).first()


def milestones_choose(
    *, actor: Any, project: Project, kinds: list[str], planned: dict[str, dt.date] | None = None
) -> list[Milestone]:
    """Set which approvals apply to a project. Items added get their planned dates; items dropped
    from the list are removed unless already done or linked to a case."""
    _require_milestone_writer(actor, project, "设置代办清单")
    planned = planned or {}
    unknown = sorted(set(kinds) - set(MilestoneKind.values))
    if unknown:
        raise InvalidInput(f"未知的审批事项：{'、'.join(unknown)}。", fields={"kinds": "请从审批事项列表中选择。"})
    with transaction.atomic():
        locked = _lock_project(project)
        existing = {m.kind: m for m in Milestone.objects.filter(project=locked)}
        for kind, milestone in existing.items():
            if kind not in kinds:
                if milestone.status == Milestone.Status.DONE or milestone.case_number or milestone.case_id:
                    raise Conflict(
                        f"“{milestone.get_kind_display()}”已完成或已关联办件，不能从清单中去掉。",
                        fields={"kinds": "已完成或已关联办件的事项不能去掉。"},
                    )
                milestone.delete()
        for kind in kinds:
            if kind not in existing:
                Milestone.objects.create(
                    zone_id=locked.zone_id,
                    project=locked,
                    kind=kind,
                    order=MILESTONE_ORDER[kind],
                    planned_on=planned.get(kind),
                )
        audit_record(
            actor=actor,
            action="investment.milestones.choose",
            obj=locked,
            changes={"kinds": [sorted(existing), sorted(kinds)]},
        )
    return list(Milestone.objects.filter(project=locked).order_by("order"))


def milestone_update(
    *,
    actor: Any,
    milestone: Milestone,
    status: str | None = None,
    planned_on: dt.date | None = None,
    done_on: dt.date | None = None,
    case_number: str | None = None,
    note: str | None = None,
) -> Milestone:
    """Update one checklist item: its status, planned date, completion date and window case."""
    project = milestone.project
    _require_milestone_writer(actor, project, "更新代办事项")
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        before = snapshot(locked)
        if status is not None:
            if status not in Milestone.Status.values:
                raise InvalidInput("状态不正确。", fields={"status": "请从列表中选择状态。"})
            locked.status = status
        if planned_on is not None:
            locked.planned_on = planned_on
        if case_number is not None:
            locked.case_number = case_number.strip()
            locked.case_id = _case_id_for(locked.zone_id, locked.case_number)
        if note is not None:
            locked.note = note.strip()
        if locked.status == Milestone.Status.DONE:
            locked.done_on = done_on or locked.done_on or _today()
            _not_future(locked.done_on, "done_on", "完成日期")
        else:
            locked.done_on = None
        locked.save()
        audit_record(
            actor=actor, action="investment.milestone.update", obj=locked, changes=diff(before, snapshot(locked))
        )
    return locked


# Rewards --------------------------------------------------------------------------------------


def reward_policy_save(*, actor: Any, policy: RewardPolicy) -> RewardPolicy:
    """Create or change a reward policy (validated by the model)."""
    return record_save(actor=actor, obj=policy, roles=POLICY_WRITERS)


def award_claim(
    *,
    actor: Any,
    project: Project,
    policy: RewardPolicy,
    referrer: str,
    claimed_on: dt.date | None = None,
    investor_confirmation: str = "",
    zone_confirmation: str = "",
    invoices: list[str] | None = None,
) -> RewardAward:
    """Register a referrer's claim. The award is computed by the policy's formula on the project's
    funds in place at the claim date; a claim the policy refuses is not registered, and a project
    has at most one live claim."""
    require(actor, zone_id=project.zone_id, roles=AWARD_CLAIMERS, action="登记奖励申领")
    claimed_on = claimed_on or _today()
    _not_future(claimed_on, "claimed_on", "申领日期")
    if policy.zone_id != project.zone_id:
        raise InvalidInput("奖励办法必须属于本开发区。")
    if claimed_on < policy.effective_from or (policy.effective_to and claimed_on > policy.effective_to):
        raise InvalidInput(f"申领日期不在《{policy.name}》的施行期内。", fields={"policy": "请选择施行期内的办法。"})
    invoices = [i.strip() for i in (invoices or []) if i.strip()]
    with transaction.atomic():
        locked = _lock_project(project)
        live = RewardAward.objects.filter(project=locked).exclude(status=AwardStatus.REJECTED).first()
        if live is not None:
            raise Conflict(
                f"项目“{locked.name}”已有引荐人“{live.referrer}”的奖励申领（{live.get_status_display()}），不能重复申领。"
            )
        funds = sum(
            FundsEntry.objects.filter(project=locked, received_on__lte=claimed_on).values_list("amount", flat=True),
            Decimal(0),
        )
        result = award_compute(
            policy.terms(),
            ClaimFacts(
                funds_in_place=funds,
                project_tags=locked.reward_tags,
                referrer=referrer,
                first_referrer=locked.referrer,
                investor_confirmed=bool(investor_confirmation.strip()),
                zone_confirmed=bool(zone_confirmation.strip()),
                invoice_count=len(invoices),
                completed_on=locked.completed_on,
                claimed_on=claimed_on,
            ),
        )
        if not result.eligible:
            raise InvalidInput("不符合奖励条件：" + "".join(result.refusals))
        award = RewardAward(
            zone_id=locked.zone_id,
            project=locked,
            policy=policy,
            referrer=referrer.strip(),
            claimed_on=claimed_on,
            funds_base=result.base,
            amount=result.amount,
            investor_confirmation=investor_confirmation.strip(),
            zone_confirmation=zone_confirmation.strip(),
            invoices=invoices,
        )
        try:
            with transaction.atomic():
                award.save()
        except IntegrityError as exc:
            raise Conflict(f"项目“{locked.name}”刚有他人登记了奖励申领，请刷新后查看。") from exc
        audit_record(actor=actor, action="investment.award.claim", obj=award, changes=snapshot(award))
    return award


@dataclass(frozen=True)
class AwardStep:
    """A decision on an award: the status it leads to, the date it stamps, the text it keeps."""

    target: str
    label: str
    date_field: str
    text_field: str = ""  # the award's field for the step's text, also the service's keyword
    text_required: tuple[str, str] | None = None  # (message, field message) when the text is empty


AWARD_STEPS: dict[str, AwardStep] = {
    "approve": AwardStep(AwardStatus.APPROVED, "审核通过", "decided_on"),
    "reject": AwardStep(
        AwardStatus.REJECTED, "不予奖励", "decided_on", "reason", ("不予奖励必须填写原因。", "请填写原因。")
    ),
    "pay": AwardStep(
        AwardStatus.PAID,
        "兑付",
        "paid_on",
        "payment_reference",
        ("兑付必须填写凭证编号。", "请填写兑付凭证编号。"),
    ),
    # 追回: a paid award taken back, e.g. when the referral turns out false or the project leaves.
    "claw_back": AwardStep(
        AwardStatus.CLAWED_BACK, "追回", "clawed_back_on", "reason", ("追回奖励必须填写原因。", "请填写追回原因。")
    ),
}


def award_step(
    *,
    actor: Any,
    award: RewardAward,
    action: str,
    text: str = "",
    on: dt.date | None = None,
    extra: dict[str, Any] | None = None,
) -> RewardAward:
    """Move ``award`` by the step ``action`` of ``AWARD_STEPS`` if ``AWARD_TRANSITIONS`` allows it,
    stamping the step's date and text; audited as ``investment.award.<action>``."""
    step = AWARD_STEPS[action]
    text = text.strip()
    if step.text_required is not None and not text:
        message, field_message = step.text_required
        raise InvalidInput(message, fields={step.text_field: field_message})
    fields: dict[str, Any] = {step.date_field: on or _today()}
    if step.text_field:
        fields[step.text_field] = text
    fields.update(extra or {})
    require(actor, zone_id=award.zone_id, roles=AWARD_DECIDERS, action=step.label)
    with transaction.atomic():
        locked = RewardAward.objects.select_for_update().get(pk=award.pk)
        if step.target not in AWARD_TRANSITIONS[locked.status]:
            raise TransitionNotAllowed(f"奖励“{locked}”处于“{locked.get_status_display()}”状态，不能{step.label}。")
        before = locked.status
        locked.status = step.target
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.save()
        audit_record(
            actor=actor,
            action=f"investment.award.{action}",
            obj=locked,
            changes={"status": [before, step.target], **fields},
        )
    return locked


def award_approve(*, actor: Any, award: RewardAward, on: dt.date | None = None) -> RewardAward:
    """审核通过: a claimed award is approved."""
    return award_step(actor=actor, award=award, action="approve", on=on)


def award_reject(*, actor: Any, award: RewardAward, reason: str = "", on: dt.date | None = None) -> RewardAward:
    """不予奖励: a claimed award is refused, with its reason."""
    return award_step(actor=actor, award=award, action="reject", text=reason, on=on)


def award_pay(*, actor: Any, award: RewardAward, payment_reference: str = "", on: dt.date | None = None) -> RewardAward:
    """兑付: an approved award is paid, with the payment voucher's number."""
    return award_step(actor=actor, award=award, action="pay", text=payment_reference, on=on)


def award_claw_back(
    *,
    actor: Any,
    award: RewardAward,
    reason: str = "",
    amount: Decimal | None = None,
    on: dt.date | None = None,
) -> RewardAward:
    """追回: a paid award is taken back, with its reason and the amount to recover (the whole award when not
    given, never more than was paid); what comes back is recorded by ``clawback.award_recovery_record``."""
    amount = award.amount if amount is None else amount
    if not Decimal(0) < amount <= award.amount:
        message = f"应追回金额应大于0且不超过已兑付的奖励金额{award.amount:,.2f}元。"
        raise InvalidInput(message, fields={"amount": message})
    return award_step(
        actor=actor, award=award, action="claw_back", text=reason, on=on, extra={"clawback_amount": amount}
    )
