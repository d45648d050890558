import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.errors import Conflict, InvalidInput, PermissionDenied, StaleObject, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.investment import services
from onezone.investment.models import (
    FundsEntry,
    InvestmentProgress,
    Milestone,
    Project,
    ProjectStageChange,
    RewardAward,
)
from tests.conftest import make_user
from tests.investment.conftest import signed_project, walk

pytestmark = pytest.mark.django_db
D = dt.date


def test_create_logs_the_lead_and_flags_the_park(zone, parks, officer):
    project = services.project_create(
        actor=officer,
        zone_id=zone.pk,
        name="面粉厂",
        investor_name="某食品公司",
        industry_code="1310",
        park=parks["chem"],
        planned_investment="30000000",
        on=D(2024, 3, 1),
    )
    assert project.industry_code == "C1310"
    assert project.fits_park is False  # food processing does not fit the chemical park
    assert project.stage == "lead" and project.stage_since == D(2024, 3, 1)
    assert project.planned_investment == Decimal("30000000.00")
    change = ProjectStageChange.objects.get(project=project)
    assert (change.from_stage, change.to_stage, change.on, change.actor) == ("", "lead", D(2024, 3, 1), officer)
    fitting = services.project_create(
        actor=officer, zone_id=zone.pk, name="氟化工", investor_name="甲", industry_code="C2614", park=parks["chem"]
    )
    assert fitting.fits_park is True


def test_officer_must_hold_the_role(zone, parks, officer, users):
    with pytest.raises(InvalidInput, match="没有“招商专员”角色"):
        services.project_create(
            actor=officer,
            zone_id=zone.pk,
            name="X",
            investor_name="Y",
            industry_code="C26",
            park=parks["chem"],
            officer=users["clerk"],
        )
    assert Project.objects.count() == 0


def test_clerk_cannot_create_or_move_and_nothing_changes(zone, parks, officer, users):
    project = signed_project(zone, parks, officer)
    projects, changes, audits = Project.objects.count(), ProjectStageChange.objects.count(), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="推进项目阶段"):
        services.project_move(actor=users["clerk"], project=project, to_stage="registered")
    with pytest.raises(PermissionDenied):
        services.project_create(
            actor=users["clerk"], zone_id=zone.pk, name="X", investor_name="Y", industry_code="C26", park=parks["chem"]
        )
    with pytest.raises(PermissionDenied):
        services.funds_receipt_record(
            actor=users["agent"], project=project, amount=1, received_on=D(2024, 2, 1), source="domestic"
        )
    project.refresh_from_db()
    assert project.stage == "signed"
    assert (Project.objects.count(), ProjectStageChange.objects.count(), AuditEvent.objects.count()) == (
        projects,
        changes,
        audits,
    )
    assert FundsEntry.objects.count() == 0


def test_other_zone_officer_is_refused(zone, other_zone, parks, officer):
    stranger = make_user("stranger", zone=other_zone, role="investment_officer")
    project = signed_project(zone, parks, officer)
    with pytest.raises(PermissionDenied):
        services.project_move(actor=stranger, project=project, to_stage="registered")


def test_stage_machine(zone, parks, officer):
    project = signed_project(zone, parks, officer, on=D(2024, 1, 10))
    with pytest.raises(TransitionNotAllowed, match="处于“签约”阶段，不能转到“开工”；可转到："):
        services.project_move(actor=officer, project=project, to_stage="construction_started")
    with pytest.raises(InvalidInput, match="不能早于进入当前阶段的日期（2024-01-10）"):
        services.project_move(actor=officer, project=project, to_stage="registered", on=D(2024, 1, 9))
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        services.project_move(actor=officer, project=project, to_stage="registered", on=D(2099, 1, 1))
    walk(project, officer, [("registered", D(2024, 2, 1)), ("construction_started", D(2024, 4, 1))])
    project.refresh_from_db()
    assert project.stage == "construction_started" and project.started_on == D(2024, 4, 1)
    assert project.signed_on == D(2024, 1, 10)
    with pytest.raises(InvalidInput, match="终止项目必须填写原因"):
        services.project_move(actor=officer, project=project, to_stage="dropped")
    walk(project, officer, [("completed", D(2025, 1, 1)), ("in_production", D(2025, 3, 1))])
    with pytest.raises(TransitionNotAllowed, match="该阶段已是终点"):
        services.project_move(actor=officer, project=project, to_stage="dropped", reason="x")
    assert list(ProjectStageChange.objects.filter(project=project).values_list("to_stage", flat=True)) == [
        "lead",
        "negotiating",
        "signed",
        "registered",
        "construction_started",
        "completed",
        "in_production",
    ]


def test_stale_move_is_refused(zone, parks, officer):
    project = signed_project(zone, parks, officer)
    services.project_move(actor=officer, project=project, to_stage="registered", expected_stage="signed")
    stale = Project.objects.get(pk=project.pk)
    stale.stage = "signed"  # what a second user still sees
    with pytest.raises(StaleObject, match="已由他人推进到“注册”"):
        services.project_move(actor=officer, project=stale, to_stage="registered", expected_stage="signed")
    assert ProjectStageChange.objects.filter(project=project, to_stage="registered").count() == 1


def test_drop_with_reason(zone, parks, officer):
    project = signed_project(zone, parks, officer)
    services.project_move(
        actor=officer, project=project, to_stage="dropped", reason="投资方资金链断裂", on=D(2024, 5, 1)
    )
    project.refresh_from_db()
    assert project.stage == "dropped" and project.dropped_reason == "投资方资金链断裂"


def test_update_keeps_the_first_referrer_and_versions(zone, parks, officer, chain):
    project = signed_project(zone, parks, officer, referrer="张三")
    updated = services.project_update(
        actor=officer,
        project=project,
        expected_version=project.version,
        planned_investment="5000",
        chain_node=chain["hf"],
    )
    assert updated.planned_investment == Decimal("5000.00") and updated.chain_role == "build"
    with pytest.raises(StaleObject):
        services.project_update(actor=officer, project=project, expected_version=project.version, note="x")
    with pytest.raises(Conflict, match="首位引荐人已登记为“张三”"):
        services.project_update(actor=officer, project=updated, referrer="李四")
    with pytest.raises(InvalidInput, match="不能在此修改：stage"):
        services.project_update(actor=officer, project=updated, stage="completed")


def test_funds_ledger_and_correction(zone, parks, officer):
    project = signed_project(zone, parks, officer, on=D(2024, 1, 10))
    entry = services.funds_receipt_record(
        actor=officer,
        project=project,
        amount="1000000",
        received_on=D(2024, 3, 1),
        source="domestic",
        evidence_reference="银行回单001",
    )
    correction = services.funds_entry_correct(actor=officer, entry=entry, correct_amount="800000", reason="重复入账")
    assert correction.amount == Decimal("-200000.00")
    assert correction.received_on == D(2024, 3, 1) and correction.corrects == entry and correction.note == "重复入账"
    with pytest.raises(Conflict, match="已被更正过"):
        services.funds_entry_correct(actor=officer, entry=entry, correct_amount="0", reason="再改")
    # Correcting the correction works on the chain's effective amount (800,000 → 900,000).
    again = services.funds_entry_correct(actor=officer, entry=correction, correct_amount="900000", reason="核对")
    assert again.amount == Decimal("100000.00")
    with pytest.raises(InvalidInput, match="无需更正"):
        services.funds_entry_correct(actor=officer, entry=again, correct_amount="900000", reason="同额")
    with pytest.raises(InvalidInput, match="必须填写原因"):
        services.funds_entry_correct(actor=officer, entry=again, correct_amount="1", reason=" ")
    assert sum(FundsEntry.objects.values_list("amount", flat=True)) == Decimal("900000.00")


def test_ledger_rows_are_never_edited_or_deleted(zone, parks, officer):
    project = signed_project(zone, parks, officer)
    entry = services.funds_receipt_record(
        actor=officer, project=project, amount=100, received_on=D(2024, 3, 1), source="domestic"
    )
    entry.amount = Decimal(1)
    with pytest.raises(Conflict, match="只增不改"):
        entry.save()
    with pytest.raises(Conflict, match="不能删除"):
        entry.delete()
    assert FundsEntry.objects.get().amount == Decimal("100.00")


def test_funds_refused_before_signing_after_drop_and_before_signed_date(zone, parks, officer):
    lead = services.project_create(
        actor=officer, zone_id=zone.pk, name="L", investor_name="I", industry_code="C26", park=parks["chem"]
    )
    with pytest.raises(TransitionNotAllowed, match="签约后、终止前才能登记"):
        services.funds_receipt_record(actor=officer, project=lead, amount=1, received_on=D(2024, 1, 1), source="local")
    project = signed_project(zone, parks, officer, on=D(2024, 1, 10))
    with pytest.raises(InvalidInput, match="早于签约日期"):
        services.funds_receipt_record(
            actor=officer, project=project, amount=1, received_on=D(2024, 1, 9), source="local"
        )
    with pytest.raises(InvalidInput, match="必须大于零"):
        services.funds_receipt_record(
            actor=officer, project=project, amount=-1, received_on=D(2024, 2, 9), source="local"
        )
    with pytest.raises(InvalidInput, match="资金来源不正确"):
        services.funds_receipt_record(actor=officer, project=project, amount=1, received_on=D(2024, 2, 9), source="x")
    entry = services.funds_receipt_record(
        actor=officer, project=project, amount=1, received_on=D(2024, 2, 9), source="local"
    )
    services.project_move(actor=officer, project=project, to_stage="dropped", reason="撤资", on=D(2024, 6, 1))
    with pytest.raises(TransitionNotAllowed, match="处于“终止”阶段"):
        services.funds_receipt_record(
            actor=officer, project=project, amount=1, received_on=D(2024, 7, 1), source="local"
        )
    # A mistake can still be corrected after the drop.
    services.funds_entry_correct(actor=officer, entry=entry, correct_amount=2, reason="金额录错")


def test_progress_one_report_per_month_and_correction(zone, parks, officer):
    project = signed_project(zone, parks, officer)
    first = services.progress_record(actor=officer, project=project, month=D(2024, 3, 17), amount="500000")
    assert first.month == D(2024, 3, 1)
    with pytest.raises(Conflict, match="2024年03月的完成投资已登记"):
        services.progress_record(actor=officer, project=project, month=D(2024, 3, 1), amount="1")
    fix = services.progress_correct(actor=officer, entry=first, correct_amount="450000", reason="统计口径调整")
    assert fix.amount == Decimal("-50000.00") and fix.month == D(2024, 3, 1)
    with pytest.raises(InvalidInput, match="未来月份"):
        services.progress_record(actor=officer, project=project, month=D(2099, 1, 1), amount="1")
    assert sum(InvestmentProgress.objects.values_list("amount", flat=True)) == Decimal("450000.00")


def test_milestones_and_agent_rights(zone, parks, officer, users):
    project = signed_project(zone, parks, officer)
    agent = users["agent"]
    other_agent = make_user("agent2", zone=zone, role="agent")
    with pytest.raises(InvalidInput, match="没有“代办员”角色"):
        services.project_assign_agent(actor=officer, project=project, agent=users["clerk"])
    services.project_assign_agent(actor=officer, project=project, agent=agent)
    project.refresh_from_db()
    items = services.milestones_choose(
        actor=agent,
        project=project,
        kinds=["eia", "project_approval", "power"],
        planned={"eia": D(2024, 5, 1)},
    )
    assert [m.kind for m in items] == ["project_approval", "eia", "power"]  # in the approval order
    with pytest.raises(PermissionDenied, match="不是项目“项目”的代办员"):
        services.milestone_update(actor=other_agent, milestone=items[1], status="done")
    done = services.milestone_update(
        actor=agent, milestone=items[1], status="done", done_on=D(2024, 4, 20), case_number="YC2024-0001"
    )
    assert done.done_on == D(2024, 4, 20) and done.case_number == "YC2024-0001"
    with pytest.raises(Conflict, match="“环评”已完成或已关联办件"):
        services.milestones_choose(actor=agent, project=project, kinds=["power"])
    services.milestones_choose(actor=agent, project=project, kinds=["eia", "power"])
    assert sorted(Milestone.objects.filter(project=project).values_list("kind", flat=True)) == ["eia", "power"]
    with pytest.raises(InvalidInput, match="未知的审批事项"):
        services.milestones_choose(actor=agent, project=project, kinds=["nope"])


def _completed(zone, parks, officer, referrer="张三", **kw):
    project = signed_project(zone, parks, officer, referrer=referrer, on=D(2024, 1, 10), **kw)
    services.funds_receipt_record(
        actor=officer, project=project, amount="50000000", received_on=D(2024, 2, 1), source="domestic"
    )
    walk(
        project,
        officer,
        [("registered", D(2024, 2, 1)), ("construction_started", D(2024, 3, 1)), ("completed", D(2025, 3, 31))],
    )
    project.refresh_from_db()
    return project


def claim(project, officer, policy, **kw):
    args = {
        "actor": officer,
        "project": project,
        "policy": policy,
        "referrer": "张三",
        "claimed_on": D(2025, 6, 1),
        "investor_confirmation": "确认函2025-01",
        "zone_confirmation": "园区确认2025-01",
        "invoices": ["INV-1"],
    }
    args.update(kw)
    return services.award_claim(**args)


def test_award_lifecycle_with_clawback(zone, parks, officer, users, policy):
    project = _completed(zone, parks, officer)
    award = claim(project, officer, policy)
    assert (award.status, award.funds_base, award.amount) == ("claimed", Decimal("50000000.00"), Decimal("190000.00"))
    with pytest.raises(Conflict, match="已有引荐人“张三”的奖励申领（已申领），不能重复申领"):
        claim(project, officer, policy)
    with pytest.raises(TransitionNotAllowed, match="处于“已申领”状态，不能兑付"):
        services.award_pay(actor=users["leader"], award=award, payment_reference="P1")
    with pytest.raises(PermissionDenied):
        services.award_approve(actor=officer, award=award)
    award = services.award_approve(actor=users["leader"], award=award, on=D(2025, 6, 10))
    award = services.award_pay(actor=users["leader"], award=award, payment_reference="财付2025-08", on=D(2025, 7, 1))
    assert award.status == "paid" and award.paid_on == D(2025, 7, 1)
    award = services.award_claw_back(
        actor=users["leader"], award=award, reason="项目投产后一年内迁出", on=D(2026, 1, 5)
    )
    assert award.status == "clawed_back" and award.reason == "项目投产后一年内迁出"
    with pytest.raises(TransitionNotAllowed):
        services.award_claw_back(actor=users["leader"], award=award, reason="again")
    actions = list(
        AuditEvent.objects.filter(object_type="investment.rewardaward", object_id=str(award.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "investment.award.claim",
        "investment.award.approve",
        "investment.award.pay",
        "investment.award.claw_back",
    ]


def test_award_refusals_register_nothing(zone, parks, officer, policy):
    project = _completed(zone, parks, officer, is_real_estate=True)
    with pytest.raises(InvalidInput, match="房地产项目不在奖励范围内"):
        claim(project, officer, policy)
    other = _completed(zone, parks, officer, name="项目二")
    with pytest.raises(InvalidInput, match="只奖励首位引荐人（张三）"):
        claim(other, officer, policy, referrer="李四")
    with pytest.raises(InvalidInput, match="缺少证明资金到位的发票"):
        claim(other, officer, policy, invoices=[])
    assert RewardAward.objects.count() == 0


def test_rejected_claim_can_be_claimed_again(zone, parks, officer, users, policy):
    project = _completed(zone, parks, officer)
    award = claim(project, officer, policy)
    with pytest.raises(InvalidInput, match="必须填写原因"):
        services.award_reject(actor=users["leader"], award=award, reason="")
    services.award_reject(actor=users["leader"], award=award, reason="发票与到位资金不符")
    again = claim(project, officer, policy, invoices=["INV-2"])
    assert again.status == "claimed"


def test_policy_is_validated(zone, users):
    from onezone.investment.models import RewardPolicy

    with pytest.raises(InvalidInput, match="最后一档不能设上限"):
        services.reward_policy_save(
            actor=users["leader"],
            policy=RewardPolicy(
                zone=zone, name="坏办法", effective_from=D(2024, 1, 1), tiers=[{"up_to": "100", "rate": "0.1"}]
            ),
        )
    with pytest.raises(InvalidInput, match="未知的排除类型"):
        services.reward_policy_save(
            actor=users["leader"],
            policy=RewardPolicy(
                zone=zone,
                name="坏办法",
                effective_from=D(2024, 1, 1),
                tiers=[{"up_to": None, "rate": "0.1"}],
                exclusions=["casino"],
            ),
        )
    with pytest.raises(PermissionDenied):
        services.reward_policy_save(
            actor=users["clerk"],
            policy=RewardPolicy(
                zone=zone, name="办法", effective_from=D(2024, 1, 1), tiers=[{"up_to": None, "rate": "0.1"}]
            ),
        )
    assert RewardPolicy.objects.count() == 0


def test_chain_role_on_assignment(zone, parks, officer, chain):
    services.node_enterprise_add(actor=officer, node=chain["hf"], name="本地氢氟酸公司")

    def role(node):
        return services.project_create(
            actor=officer,
            zone_id=zone.pk,
            name=f"p-{node.pk}",
            investor_name="i",
            industry_code="C26",
            park=parks["chem"],
            chain_node=node,
        ).chain_role

    assert role(chain["hf"]) == "strengthen"
    assert role(chain["refrigerant"]) == "extend"
    assert role(chain["root"]) == "extend"
    with pytest.raises(InvalidInput, match="上级环节必须属于同一条产业链"):
        other = services.chain_create(actor=officer, zone_id=zone.pk, name="另一链")
        services.chain_node_add(
            actor=officer, chain=other, name="x", stage="upstream", industry_code="C26", parent=chain["hf"]
        )
