"""Demo step: the Yongchang zone's policy library (演示数据), matched against the demo enterprises.

Ten policies of the kinds a county industrial park runs (rewards for above-scale and 专精特新
enterprises, 稳岗补贴 granted without application, R&D post-subsidies, investment landing rewards
...), one of them still a draft. Their titles, document numbers and amounts are invented demo data.
The matching runs through the service, so every match, notice and 免申即享 grant shown comes from
the enterprises' records; then a few enterprises confirm their grants and the committee approves
some payments, again through the services. The demo enterprise user's own grants stay proposed so
that it can confirm one in the portal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from onezone.core.models import RoleGrant
from onezone.core.roles import Role
from onezone.enterprises.models import Enterprise, EnterpriseMember
from onezone.enterprises.services import member_link
from onezone.policies.models import GrantStatus, Policy, PolicyGrant
from onezone.policies.services import grant_confirm, grant_pay, policy_match_run, policy_publish, policy_save

ISSUER = "甘肃永昌工业园区管理委员会"

POLICIES: list[dict[str, Any]] = [
    {
        "title": "规上工业企业稳产增效奖励",
        "kind": Policy.Kind.REWARD,
        "issuer": ISSUER,
        "body": "economy",
        "document_number": "永园管发〔2025〕8号（演示）",
        "summary": "对上一年度纳税额达到200万元的规模以上制造业企业给予一次性奖励，鼓励稳产增效。",
        "amount_description": "一次性奖励10万元",
        "amount_rule": {"kind": "fixed", "amount": 100000},
        "conditions": [
            {"field": "size", "op": "eq", "value": "above"},
            {"field": "industry", "op": "in", "value": ["C"]},
            {"field": "tax", "op": ">=", "value": 2000000, "year": "latest"},
        ],
        "auto_grant": False,
    },
    {
        "title": "专精特新企业奖励",
        "kind": Policy.Kind.REWARD,
        "issuer": ISSUER,
        "body": "economy",
        "document_number": "永园管发〔2025〕9号（演示）",
        "summary": "对获得省级以上专精特新中小企业称号的企业给予奖励，免申即享。",
        "amount_description": "每家奖励30万元，免申即享",
        "amount_rule": {"kind": "fixed", "amount": 300000},
        "conditions": [{"field": "tag", "op": "has", "value": "zjtx"}],
        "auto_grant": True,
    },
    {
        "title": "高新技术企业认定奖励",
        "kind": Policy.Kind.REWARD,
        "issuer": "永昌县人民政府",
        "body": "economy",
        "document_number": "永政发〔2025〕21号（演示）",
        "summary": "对有效期内的高新技术企业给予认定奖励，免申即享。",
        "amount_description": "每家奖励20万元，免申即享",
        "amount_rule": {"kind": "fixed", "amount": 200000},
        "conditions": [{"field": "tag", "op": "has", "value": "hightech"}],
        "auto_grant": True,
    },
    {
        "title": "中小微企业稳岗补贴",
        "kind": Policy.Kind.SUBSIDY,
        "issuer": "永昌县人力资源和社会保障局",
        "body": "office",
        "document_number": "永人社发〔2025〕15号（演示）",
        "summary": "对不裁员或少裁员、从业人员30人以上的中小微参保企业，按从业人数给予稳岗补贴，无需申请。",
        "amount_description": "按从业人数每人500元，每家最高20万元",
        "amount_rule": {"kind": "rate", "metric": "employees", "year": "latest", "rate": "500", "cap": 200000},
        "conditions": [
            {"field": "size", "op": "eq", "value": "below"},
            {"field": "employees", "op": ">=", "value": 30, "year": "latest"},
        ],
        "auto_grant": True,
    },
    {
        "title": "研发投入后补助",
        "kind": Policy.Kind.SUBSIDY,
        "issuer": ISSUER,
        "body": "economy",
        "document_number": "永园管发〔2025〕11号（演示）",
        "summary": "研发投入强度达到3%且研发投入不少于100万元的企业，按研发投入的10%给予后补助。",
        "amount_description": "研发投入的10%，最高50万元",
        "amount_rule": {"kind": "rate", "metric": "rd_spend", "year": "latest", "rate": "0.1", "cap": 500000},
        "conditions": [
            {"field": "rd_ratio", "op": ">=", "value": 3, "year": "latest"},
            {"field": "rd_spend", "op": ">=", "value": 1000000, "year": "latest"},
        ],
        "auto_grant": False,
    },
    {
        "title": "新能源项目用电补贴",
        "kind": Policy.Kind.SUBSIDY,
        "issuer": ISSUER,
        "body": "economy",
        "document_number": "永园管发〔2025〕12号（演示）",
        "summary": "对园区内新能源发电及新能源装备制造企业，按年度综合能耗给予用电补贴。",
        "amount_description": "每家每年最高50万元",
        "amount_rule": {"kind": "fixed", "amount": 500000},
        "conditions": [
            {"field": "industry", "op": "in", "value": ["D4415", "D4416", "C382", "C3841"]},
            {"field": "energy_use", "op": ">=", "value": 1000, "year": "latest"},
        ],
        "auto_grant": False,
    },
    {
        "title": "招商引资项目落地奖励",
        "kind": Policy.Kind.REWARD,
        "issuer": ISSUER,
        "body": "investment",
        "document_number": "永园管发〔2025〕3号（演示）",
        "summary": "对上一年度单个项目到位资金1亿元以上的落地企业，按到位资金的5‰给予奖励。",
        "amount_description": "到位资金的5‰，最高100万元",
        "amount_rule": {
            "kind": "rate",
            "metric": "project_funds_in_place",
            "year": "previous",
            "rate": "0.005",
            "cap": 1000000,
        },
        "conditions": [{"field": "project_funds_in_place", "op": ">=", "value": 100000000, "year": "previous"}],
        "auto_grant": False,
    },
    {
        "title": "外贸企业出口奖励",
        "kind": Policy.Kind.REWARD,
        "issuer": ISSUER,
        "body": "investment",
        "document_number": "永园管发〔2025〕14号（演示）",
        "summary": "对年出口额500万元以上的企业，按出口额的1%给予奖励。",
        "amount_description": "出口额的1%，最高30万元",
        "amount_rule": {"kind": "rate", "metric": "exports", "year": "latest", "rate": "0.01", "cap": 300000},
        "conditions": [{"field": "exports", "op": ">=", "value": 5000000, "year": "latest"}],
        "auto_grant": False,
    },
    {
        "title": "新办小微企业税费减免",
        "kind": Policy.Kind.TAX,
        "issuer": "国家税务总局永昌县税务局",
        "body": None,
        "document_number": "永税发〔2025〕6号（演示）",
        "summary": "成立5年以内的规模以下企业，依法享受小微企业“六税两费”减半征收。",
        "amount_description": "“六税两费”减半征收",
        "amount_rule": {"kind": "none"},
        "conditions": [
            {"field": "size", "op": "eq", "value": "below"},
            {"field": "established_within_years", "op": "within", "value": 5},
        ],
        "auto_grant": False,
    },
    {
        "title": "氢能产业扶持办法（征求意见稿）",
        "kind": Policy.Kind.SUBSIDY,
        "issuer": ISSUER,
        "body": "economy",
        "document_number": "",
        "summary": "征求意见中，尚未发布。",
        "amount_description": "待定",
        "amount_rule": {},
        "conditions": [{"field": "industry", "op": "in", "value": ["C2619", "D45"]}],
        "auto_grant": False,
        "draft": True,
    },
]

CONFIRMING_ENTERPRISES = 4  # enterprises (besides the demo user's) that confirm a grant
PAID = 2  # of those, how many the committee has paid


def _member_for(ctx, enterprise: Enterprise, index: int) -> Any:
    """The enterprise's portal user; one is created (演示账号) where it has none."""
    from onezone.demo.loader import DEMO_PASSWORD

    member = EnterpriseMember.objects.filter(zone=ctx.zone, enterprise=enterprise).select_related("user").first()
    if member is not None:
        return member.user
    user = User.objects.create(
        username=f"demo-qiye{index}", last_name="", first_name=f"{enterprise.name[:4]}联络员", is_staff=False
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    RoleGrant.objects.create(user=user, zone=ctx.zone, role=Role.ENTERPRISE)
    member_link(actor=ctx.users[Role.ADMIN.value], user=user, enterprise=enterprise)
    return user


def load(ctx) -> None:
    zone = ctx.zone
    editor = ctx.users[Role.DEPT_HEAD.value]
    policies = []
    for spec in POLICIES:
        policy = policy_save(
            actor=editor,
            policy=Policy(
                zone=zone,
                title=spec["title"],
                kind=spec["kind"],
                issuer=spec["issuer"],
                issuing_body=ctx.bodies.get(spec["body"]) if spec["body"] else None,
                document_number=spec["document_number"],
                summary=spec["summary"],
                valid_from=dt.date(2025, 1, 1),
                valid_to=dt.date(2027, 12, 31),
                amount_description=spec["amount_description"],
                amount_rule=spec["amount_rule"],
                conditions=spec["conditions"],
                auto_grant=spec["auto_grant"],
                is_demo=True,
            ),
        )
        if not spec.get("draft"):
            policy = policy_publish(actor=editor, policy=policy)
        policies.append(policy)
    ctx.extra["policies"] = {p.title: p for p in policies}

    result = policy_match_run(actor=editor, zone_id=zone.pk)

    demo_user = ctx.users.get(Role.ENTERPRISE.value)
    demo_enterprise_id = (
        EnterpriseMember.objects.filter(zone=zone, user=demo_user).values_list("enterprise_id", flat=True).first()
        if demo_user is not None
        else None
    )
    proposed = (
        PolicyGrant.objects.filter(zone=zone, status=GrantStatus.PROPOSED)
        .exclude(enterprise_id=demo_enterprise_id)
        .select_related("enterprise")
        .order_by("-amount", "enterprise__name", "policy_id")
    )
    chosen: list[PolicyGrant] = []
    seen: set[int] = set()
    for grant in proposed:
        if grant.enterprise_id in seen:
            continue
        seen.add(grant.enterprise_id)
        chosen.append(grant)
        if len(chosen) == CONFIRMING_ENTERPRISES:
            break
    leader = ctx.users[Role.LEADER.value]
    for index, grant in enumerate(chosen, start=1):
        member = _member_for(ctx, grant.enterprise, index)
        grant_confirm(actor=member, grant_id=grant.pk, bank_account_note="企业基本账户（演示）")
        if index <= PAID:
            grant_pay(actor=leader, grant_id=grant.pk, payment_reference=f"永园拨〔2026〕{index:03d}号（演示）")
    ctx.say(
        f"惠企政策：{len(policies)} 项（演示数据，其中草稿 1 项）；{result.summary()}；"
        f"企业确认 {len(chosen)} 笔，已拨付 {min(PAID, len(chosen))} 笔"
    )
