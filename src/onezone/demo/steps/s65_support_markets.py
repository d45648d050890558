"""Demo step: supply and demand along the chains and financing (找市场/找订单, 找资金).

Demo data (演示数据): the needs and offers are the demo enterprises' along the chains of s60; the
matches are the platform's own (computed when each listing is published); two matchmaking events with
their deals make the chain leaders' local supply rates; banks and a fund with products, financing
needs, two bank-enterprise meetings and the loans granted. No figure is stored: the pages compute the
rates and the financing the zone helped to from these records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from onezone.core.roles import Role
from onezone.demo.steps.s30_enterprises import _enterprise_user
from onezone.enterprises.models import Enterprise
from onezone.support.chains import chain_links
from onezone.support.models import MarketMatch
from onezone.support.services import finance, markets

D = dt.date
WAN = Decimal(10_000)


def _firms(zone_id: int, demo: Enterprise) -> dict[str, Enterprise]:
    """One enterprise per role in the story, picked by industry code in name order (the demo's
    enterprises are generated with a fixed seed, so the same ones every time)."""
    chosen: dict[str, Enterprise] = {"nickel_leader": demo}
    used = {demo.pk}
    for key, code in [
        ("nickel", "C3213"),
        ("copper", "C3211"),
        ("alloy", "C3252"),
        ("battery", "C3841"),
        ("pv", "D4416"),
        ("wind", "D4415"),
        ("caustic", "C2612"),
        ("resin", "C2651"),
        ("meat", "C1351"),
    ]:
        firm = (
            Enterprise.objects.filter(zone_id=zone_id, industry_code=code, status=Enterprise.Status.OPERATING)
            .exclude(pk__in=used)
            .order_by("name")
            .first()
        )
        if firm is not None:
            chosen[key] = firm
            used.add(firm.pk)
    small = (
        Enterprise.objects.filter(zone_id=zone_id, size=Enterprise.Size.BELOW, status=Enterprise.Status.OPERATING)
        .exclude(pk__in=used)
        .order_by("name")
        .first()
    )
    if small is not None:
        chosen["small"] = small
    return chosen


def _link(links, chain: str, name: str) -> int:
    return next(link.id for link in links.values() if link.chain_name == chain and link.name == name)


def _chain(links, chain: str) -> int:
    return next(link.chain_id for link in links.values() if link.chain_name == chain)


def _listings(ctx, firms, links) -> None:
    officer = ctx.users[Role.INVESTMENT_OFFICER.value]
    rows = [
        # firm, kind, title, quantity, unit, industry, (chain, link), contact, mobile
        (
            "pv",
            "offer",
            "光伏绿电直供（园区增量配电网）",
            20000,
            "万千瓦时/年",
            "D4416",
            ("新能源", "光伏发电"),
            "马振华",
            "13909351101",
        ),
        ("wind", "offer", "风电直供", 15000, "万千瓦时/年", "D4415", ("新能源", "风力发电"), "胡晓东", "13909351102"),
        (
            "battery",
            "need",
            "储能电芯生产用绿色电力",
            5000,
            "万千瓦时/年",
            "D4416",
            ("新能源", "锂离子电池"),
            "罗海燕",
            "13909351103",
        ),
        (
            "nickel",
            "offer",
            "电积钴（99.98%）",
            300,
            "吨/年",
            "C3213",
            ("有色冶金", "镍钴冶炼"),
            "郭立新",
            "13909351104",
        ),
        (
            "nickel_leader",
            "need",
            "电积钴（三元材料配料）",
            120,
            "吨",
            "C3213",
            ("有色冶金", "镍钴冶炼"),
            "吴国庆",
            "13909351105",
        ),
        (
            "nickel_leader",
            "offer",
            "电解镍（1号镍）",
            2000,
            "吨/年",
            "C3213",
            ("有色冶金", "镍钴冶炼"),
            "吴国庆",
            "13909351105",
        ),
        ("alloy", "need", "电解镍（铝合金添加）", 80, "吨", "C3213", None, "林建国", "13909351106"),
        ("caustic", "offer", "液氯", 30000, "吨/年", "C2619", ("氯碱化工", "液氯"), "宋文博", "13909351107"),
        ("resin", "need", "液氯（树脂改性用）", 1200, "吨", "C2619", ("氯碱化工", "聚氯乙烯"), "唐雪梅", "13909351108"),
        ("meat", "need", "冷链物流配送服务", None, "", "G54", None, "徐明", "13909351109"),
    ]
    for key, kind, title, quantity, unit, code, link, contact, mobile in rows:
        firm = firms.get(key)
        if firm is None:
            continue
        actor = ctx.users[Role.ENTERPRISE.value] if firm == ctx.extra["enterprise"] else officer
        markets.listing_publish(
            actor=actor,
            enterprise=firm,
            kind=kind,
            subject="service" if "服务" in title else "product",
            title=title,
            quantity=Decimal(quantity) if quantity is not None else None,
            unit=unit,
            starts=D(2026, 1, 1),
            ends=D(2027, 6, 30),
            industry_code=code,
            link_id=_link(links, *link) if link else None,
            contact_name=contact,
            contact_mobile=mobile,
            description="演示数据",
        )


def _consents(ctx, firms) -> tuple[int, int]:
    """The demo enterprise agrees to every match it is in; the nickel-alloy match is agreed on both sides."""
    demo = ctx.extra["enterprise"]
    demo_user = ctx.users[Role.ENTERPRISE.value]
    agreed = shared = 0
    for match in MarketMatch.objects.filter(zone_id=ctx.zone.pk).select_related(
        "need__enterprise", "offer__enterprise"
    ):
        sides = {match.need.enterprise, match.offer.enterprise}
        if demo in sides:
            markets.match_agree(actor=demo_user, match=match)
            agreed += 1
            other = (sides - {demo}).pop()
            if other == firms.get("alloy"):
                markets.match_agree(actor=_enterprise_user(ctx, other), match=match)
                shared += 1
    return agreed, shared


def _events(ctx, firms, links) -> None:
    officer = ctx.users[Role.INVESTMENT_OFFICER.value]
    zone_id = ctx.zone.pk
    demo = ctx.extra["enterprise"]
    metals = markets.event_create(
        actor=officer,
        zone_id=zone_id,
        title="2026年有色冶金产业链供需对接会",
        held_on=D(2026, 4, 16),
        chain_id=_chain(links, "有色冶金"),
        organiser=ctx.bodies["investment"],
        participants=[f for k, f in firms.items() if k in ("nickel_leader", "nickel", "copper", "alloy", "caustic")],
        note="演示数据：链主企业与本地配套企业、省内外供应商现场签约。",
    )
    markets.chain_leader_mark(actor=officer, enterprise=demo, chain_id=metals.chain_id)
    deals = [
        (metals, demo, firms.get("nickel"), "", "电积钴", 1800, D(2026, 4, 16)),
        (metals, demo, None, "金川某矿业公司（演示）", "镍钴精矿", 4200, D(2026, 4, 16)),
        (metals, firms.get("alloy"), demo, "", "电解镍", 900, D(2026, 4, 16)),
    ]
    if "copper" in firms:
        markets.chain_leader_mark(actor=officer, enterprise=firms["copper"], chain_id=metals.chain_id)
        deals += [
            (metals, firms["copper"], None, "西部某铜矿公司（演示）", "铜精矿", 2600, D(2026, 4, 17)),
            (metals, firms["copper"], firms.get("caustic"), "", "冶炼用烧碱", 500, D(2026, 4, 17)),
        ]
    energy = markets.event_create(
        actor=officer,
        zone_id=zone_id,
        title="新能源产业链绿电与配套对接会",
        held_on=D(2026, 6, 10),
        chain_id=_chain(links, "新能源"),
        organiser=ctx.bodies["investment"],
        participants=[f for k, f in firms.items() if k in ("battery", "pv", "wind")],
        note="演示数据",
    )
    if "battery" in firms:
        markets.chain_leader_mark(actor=officer, enterprise=firms["battery"], chain_id=energy.chain_id)
        deals += [
            (energy, firms["battery"], firms.get("pv"), "", "绿色电力直供（三年）", 3000, D(2026, 6, 10)),
            (energy, firms["battery"], None, "湖南某正极材料公司（演示）", "磷酸铁锂正极材料", 6000, D(2026, 6, 10)),
        ]
    for event, buyer, seller, seller_name, subject, amount, signed_on in deals:
        if buyer is None or (seller is None and not seller_name):
            continue
        markets.deal_record(
            actor=officer,
            event=event,
            buyer=buyer,
            seller=seller,
            seller_name=seller_name,
            subject=subject,
            amount=amount * WAN,
            signed_on=signed_on,
        )


def _finance(ctx, firms) -> None:
    officer = ctx.users[Role.INVESTMENT_OFFICER.value]
    head = ctx.users[Role.DEPT_HEAD.value]
    zone_id = ctx.zone.pk
    demo = ctx.extra["enterprise"]
    banks = {
        key: finance.institution_register(actor=officer, zone_id=zone_id, name=name, kind=kind, contact=contact)
        for key, name, kind, contact in [
            ("abc", "中国农业银行永昌县支行（演示）", "bank", "公司业务部 0935-7500001"),
            ("gsb", "甘肃银行金昌永昌支行（演示）", "bank", "普惠金融部 0935-7500002"),
            ("guarantee", "金昌市融资担保有限公司（演示）", "guarantee", "业务部 0935-7500003"),
            ("fund", "甘肃省新能源产业投资基金（演示）", "fund", "投资部 0931-8800004"),
        ]
    }
    P = finance.product_save
    working = P(
        actor=officer,
        institution=banks["abc"],
        name="园区流动资金贷",
        loan_kind="working",
        amount_min=50 * WAN,
        amount_max=3000 * WAN,
        term_min=6,
        term_max=36,
        rate_min=Decimal("3.45"),
        rate_max=Decimal("4.35"),
        collaterals=["property", "equipment", "guarantee"],
    )
    credit = P(
        actor=officer,
        institution=banks["gsb"],
        name="科创信用贷",
        loan_kind="credit",
        amount_min=10 * WAN,
        amount_max=500 * WAN,
        term_min=6,
        term_max=24,
        rate_min=Decimal("3.80"),
        rate_max=Decimal("5.50"),
        collaterals=["none"],
        target_sizes=["below"],
    )
    upgrade = P(
        actor=officer,
        institution=banks["gsb"],
        name="技改项目贷",
        loan_kind="fixed",
        amount_min=500 * WAN,
        amount_max=20000 * WAN,
        term_min=24,
        term_max=96,
        rate_min=Decimal("3.60"),
        rate_max=Decimal("4.90"),
        collaterals=["property", "equipment"],
        target_industries=["C26", "C32", "C38"],
    )
    P(
        actor=officer,
        institution=banks["guarantee"],
        name="担保增信贷",
        loan_kind="working",
        amount_min=20 * WAN,
        amount_max=1000 * WAN,
        term_min=6,
        term_max=24,
        rate_min=Decimal("4.20"),
        rate_max=Decimal("5.80"),
        collaterals=["guarantee", "receivables"],
    )
    P(
        actor=officer,
        institution=banks["fund"],
        name="新能源产业股权投资",
        loan_kind="equity",
        amount_min=2000 * WAN,
        amount_max=20000 * WAN,
        term_min=36,
        term_max=96,
        rate_min=Decimal("0"),
        rate_max=Decimal("0"),
        target_industries=["D44", "C38"],
    )

    demo_user = ctx.users[Role.ENTERPRISE.value]
    demo_need = finance.financing_need_submit(
        actor=demo_user,
        enterprise=demo,
        amount=1500 * WAN,
        term_months=36,
        purpose="镍钴湿法冶炼线技术改造",
        collateral="property",
    )
    finance.financing_need_submit(
        actor=demo_user,
        enterprise=demo,
        amount=800 * WAN,
        term_months=12,
        purpose="采购镍钴精矿的流动资金",
        collateral="receivables",
    )
    small = firms.get("small")
    small_need = None
    if small is not None:
        small_need = finance.financing_need_submit(
            actor=officer, enterprise=small, amount=200 * WAN, term_months=12, purpose="冷库扩建", collateral="none"
        )
    battery = firms.get("battery")
    if battery is not None:
        finance.financing_need_submit(
            actor=officer,
            enterprise=battery,
            amount=8000 * WAN,
            term_months=60,
            purpose="储能电芯二期产线设备",
            collateral="equipment",
        )

    autumn = finance.meeting_create(
        actor=head,
        zone_id=zone_id,
        title="2025年秋季银企对接会",
        held_on=D(2025, 9, 24),
        organiser=ctx.bodies["economy"],
        institutions=[banks["abc"], banks["guarantee"]],
        enterprises=[f for f in (demo, firms.get("copper")) if f is not None],
        note="演示数据",
    )
    spring = finance.meeting_create(
        actor=head,
        zone_id=zone_id,
        title="2026年一季度银企对接会",
        held_on=D(2026, 3, 18),
        organiser=ctx.bodies["economy"],
        institutions=list(banks.values()),
        enterprises=[f for f in (demo, small, battery) if f is not None],
        note="演示数据",
    )
    if firms.get("copper") is not None:
        finance.loan_record(
            actor=head,
            institution=banks["abc"],
            enterprise=firms["copper"],
            amount=1200 * WAN,
            granted_on=D(2025, 10, 15),
            meeting=autumn,
            product=working,
        )
    finance.loan_record(
        actor=head,
        institution=banks["gsb"],
        enterprise=demo,
        amount=1500 * WAN,
        granted_on=D(2026, 4, 10),
        meeting=spring,
        need=demo_need,
        product=upgrade,
    )
    if small_need is not None:
        finance.loan_record(
            actor=head,
            institution=banks["gsb"],
            enterprise=small,
            amount=200 * WAN,
            granted_on=D(2026, 3, 30),
            meeting=spring,
            need=small_need,
            product=credit,
        )
    if battery is not None:
        finance.loan_record(
            actor=head,
            institution=banks["abc"],
            enterprise=battery,
            amount=3000 * WAN,
            granted_on=D(2026, 4, 20),
            meeting=spring,
            product=working,
        )


def load(ctx) -> None:
    zone_id = ctx.zone.pk
    links = chain_links([zone_id])
    if not links:
        ctx.say("企业服务（找市场、找资金）：本开发区尚无产业链，跳过")
        return
    firms = _firms(zone_id, ctx.extra["enterprise"])
    _listings(ctx, firms, links)
    agreed, shared = _consents(ctx, firms)
    _events(ctx, firms, links)
    _finance(ctx, firms)
    matches = MarketMatch.objects.filter(zone_id=zone_id).count()
    ctx.say(
        f"企业服务：供需信息与匹配 {matches} 条（demo-enterprise 已同意 {agreed} 条，其中 {shared} 条双方同意）；"
        "供需对接会 2 场；金融机构 4 家、产品 5 个；银企对接会 2 场"
    )
