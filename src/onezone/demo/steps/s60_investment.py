"""Demo step: investment attraction — chains, projects 2021–2026, funds, progress, an agent, rewards.

Demo data (演示数据): investors and targets are invented. The 2024 records are built so that the
figures the pages compute from them match what the zone reported for 2024: 51亿元 of funds in place,
a 74% start rate of key projects (37 of 50) and 83.73亿元 of cumulative investment completed. No
figure is stored: the dashboard sums the ledger rows below.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from onezone.core.models import RoleGrant
from onezone.core.roles import Role
from onezone.investment import services
from onezone.investment.models import Milestone, RewardPolicy

FUNDS_2024 = Decimal("5100000000.00")
CUMULATIVE_2024 = Decimal("8373000000.00")
WAN = Decimal(10_000)
D = dt.date

# chain: (cluster, park key), in the order the chains are built
CHAINS = {
    "煤化工": ("化工", "hexipu"),
    "硫磷化工": ("化工", "hexipu"),
    "氯碱化工": ("化工", "hexipu"),
    "氟化工": ("化工", "hexipu"),
    "精细化工": ("化工", "hexipu"),
    "新能源": ("新能源", "hexipu"),
    "生物可降解新材料": ("新材料", "dongzhai"),
    "有色冶金": ("有色金属", "hexipu"),
    "农产品加工": ("农产品加工", "dongzhai"),
}
# (chain, key, name, stage, industry, products, parent key, local enterprise or ""), each chain's nodes in order
NODES = [
    ("煤化工", "coal", "原料煤", "upstream", "B06", "动力煤、化工用煤", None, "永昌能源煤业有限公司（演示）"),
    ("煤化工", "syngas", "煤制合成气", "midstream", "C2522", "合成气", "coal", "河西堡煤气化有限公司（演示）"),
    ("煤化工", "coke", "焦炭", "midstream", "C2521", "冶金焦、焦炉煤气", "coal", ""),
    ("煤化工", "methanol", "甲醇", "midstream", "C2614", "甲醇", "syngas", ""),
    ("煤化工", "olefin", "煤制烯烃", "downstream", "C2651", "聚乙烯、聚丙烯", "methanol", ""),
    ("硫磷化工", "acid", "冶炼烟气制酸", "upstream", "C2611", "硫酸", None, "金昌冶炼制酸有限公司（演示）"),
    ("硫磷化工", "phos", "湿法磷酸", "midstream", "C2611", "磷酸", "acid", ""),
    ("硫磷化工", "fert", "磷复肥", "midstream", "C2622", "磷酸一铵、磷酸二铵", "phos", "永昌磷肥有限公司（演示）"),
    ("硫磷化工", "lfp", "电池级磷酸铁", "downstream", "C2613", "磷酸铁、磷酸铁锂", "phos", ""),
    ("氯碱化工", "salt", "原盐", "upstream", "B10", "工业盐", None, ""),
    ("氯碱化工", "caustic", "烧碱", "midstream", "C2612", "离子膜烧碱", "salt", "河西堡氯碱有限公司（演示）"),
    ("氯碱化工", "chlorine", "液氯", "midstream", "C2619", "液氯、盐酸", "caustic", "河西堡氯碱有限公司（演示）"),
    ("氯碱化工", "pvc", "聚氯乙烯", "downstream", "C2651", "PVC树脂", "chlorine", ""),
    ("氟化工", "fluorite", "萤石", "upstream", "B10", "萤石精粉", None, ""),
    ("氟化工", "ahf", "无水氢氟酸", "midstream", "C2611", "无水氟化氢", "fluorite", "永昌氟化工有限公司（演示）"),
    ("氟化工", "fsalt", "氟化盐", "midstream", "C2613", "氟化铝、冰晶石", "ahf", ""),
    ("氟化工", "refrig", "制冷剂", "downstream", "C2614", "第四代制冷剂", "ahf", ""),
    ("氟化工", "lipf6", "六氟磷酸锂", "downstream", "C2613", "电解质锂盐", "ahf", ""),
    ("精细化工", "base", "基础有机原料", "upstream", "C2614", "苯、醇类", None, "金昌精细化工有限公司（演示）"),
    ("精细化工", "mid", "化工中间体", "midstream", "C2619", "农药医药中间体", "base", ""),
    ("精细化工", "aux", "专用助剂", "downstream", "C2661", "催化剂、助剂", "mid", ""),
    ("新能源", "pv", "光伏发电", "upstream", "D4416", "集中式光伏", None, "永昌光伏电力有限公司（演示）"),
    ("新能源", "wind", "风力发电", "upstream", "D4415", "风电场", None, "永昌风电有限公司（演示）"),
    ("新能源", "cathode", "正极材料", "midstream", "C2613", "三元正极、磷酸铁锂", "pv", ""),
    ("新能源", "cell", "锂离子电池", "downstream", "C3841", "储能电芯", "cathode", ""),
    ("生物可降解新材料", "starch", "玉米淀粉", "upstream", "C131", "淀粉、葡萄糖", None, ""),
    ("生物可降解新材料", "lactic", "乳酸", "midstream", "C2614", "L-乳酸", "starch", ""),
    ("生物可降解新材料", "pla", "聚乳酸", "midstream", "C2651", "PLA树脂", "lactic", ""),
    ("生物可降解新材料", "film", "可降解膜袋", "downstream", "C2921", "地膜、购物袋", "pla", ""),
    ("有色冶金", "ore", "镍钴铜矿", "upstream", "B09", "镍精矿、铜精矿", None, "金昌矿业有限公司（演示）"),
    ("有色冶金", "nickel", "镍钴冶炼", "midstream", "C3213", "电解镍、电积钴", "ore", "金昌镍钴冶炼有限公司（演示）"),
    ("有色冶金", "copper", "铜冶炼", "midstream", "C3211", "阴极铜", "ore", "金昌铜业有限公司（演示）"),
    ("有色冶金", "foil", "铜箔与铜材", "downstream", "C3251", "锂电铜箔", "copper", ""),
    ("有色冶金", "precursor", "三元前驱体", "downstream", "C2613", "镍钴锰前驱体", "nickel", ""),
    ("有色冶金", "precious", "贵金属精炼", "downstream", "C322", "铂族金属", "nickel", ""),
    ("农产品加工", "farm", "种植养殖", "upstream", "A01", "玉米、肉羊", None, "永昌现代农业有限公司（演示）"),
    ("农产品加工", "meat", "屠宰加工", "midstream", "C1351", "冷鲜羊肉", "farm", "东寨肉类加工有限公司（演示）"),
    ("农产品加工", "flour", "面粉加工", "midstream", "C131", "面粉", "farm", ""),
    ("农产品加工", "dairy", "乳制品", "downstream", "C144", "液态奶、奶粉", "farm", ""),
]

TARGETS = [
    ("氟化工", "refrig", "浙江某氟化工股份公司", "浙江衢州", "第四代制冷剂", 1),
    ("氟化工", "lipf6", "江苏某锂盐科技公司", "江苏南通", "六氟磷酸锂", 1),
    ("氟化工", "fsalt", "河南某氟化盐公司", "河南焦作", "氟化铝", 2),
    ("煤化工", "olefin", "宁夏某煤制烯烃公司", "宁夏宁东", "聚烯烃", 1),
    ("煤化工", "methanol", "陕西某甲醇公司", "陕西榆林", "甲醇", 2),
    ("硫磷化工", "lfp", "湖北某磷化工集团", "湖北宜昌", "磷酸铁", 1),
    ("氯碱化工", "pvc", "新疆某氯碱化工公司", "新疆石河子", "PVC树脂", 2),
    ("精细化工", "aux", "山东某助剂公司", "山东淄博", "橡塑助剂", 2),
    ("新能源", "cell", "福建某储能电池公司", "福建宁德", "储能电芯", 1),
    ("生物可降解新材料", "pla", "安徽某生物材料公司", "安徽蚌埠", "聚乳酸", 1),
    ("生物可降解新材料", "lactic", "河南某乳酸公司", "河南郑州", "L-乳酸", 2),
    ("有色冶金", "foil", "广东某铜箔公司", "广东梅州", "锂电铜箔", 1),
    ("有色冶金", "precursor", "湖南某前驱体公司", "湖南长沙", "三元前驱体", 1),
    ("农产品加工", "dairy", "内蒙古某乳业公司", "内蒙古呼和浩特", "液态奶", 2),
]

# Nodes the projects go to, in rotation, and investors' names.
PROJECT_NODES = [
    ("氟化工", "refrig"),
    ("有色冶金", "precursor"),
    ("新能源", "cathode"),
    ("硫磷化工", "lfp"),
    ("煤化工", "methanol"),
    ("有色冶金", "foil"),
    ("氟化工", "ahf"),
    ("生物可降解新材料", "pla"),
    ("新能源", "cell"),
    ("氯碱化工", "pvc"),
    ("精细化工", "mid"),
    ("农产品加工", "dairy"),
    ("有色冶金", "nickel"),
    ("氟化工", "lipf6"),
    ("煤化工", "olefin"),
    ("硫磷化工", "fert"),
    ("生物可降解新材料", "film"),
    ("精细化工", "aux"),
    ("农产品加工", "meat"),
    ("有色冶金", "copper"),
]
INVESTORS = ["华西", "金源", "祁连", "丝路", "陇原", "河西", "长城", "天祥", "宏达", "瑞丰", "中科", "新汇"]
REFERRERS = ["王志明", "李春华", "赵国强", "孙海燕", "周建平"]


# The key projects: (planned start year, count, start year, how many of them start then, the others'
# start year, stage the unstarted wait in ("" for registered), drop). Planned to start in 2024: 37 start
# in 2024, 7 slip to 2025, 3 wait registered, 1 signed, 2 dropped; other years around it.
KEY_PLAN = [
    (2024, 37, 2024, 37, None, "", ""),
    (2024, 7, 2025, 7, None, "", ""),
    (2024, 3, None, 0, None, "registered", ""),
    (2024, 1, None, 0, None, "signed", ""),
    (2024, 1, None, 0, None, "", "funded"),
    (2024, 1, None, 0, None, "", "negotiating"),
    (2021, 4, 2021, 3, None, "registered", ""),
    (2022, 6, 2022, 5, 2023, "", ""),
    (2023, 10, 2023, 8, 2024, "", ""),
    (2025, 12, 2025, 9, None, "registered", ""),
    (2026, 8, 2026, 5, None, "signed", ""),
]


def _key_plan() -> list[dict]:
    """One plan per key project, from ``KEY_PLAN``. Index i within its row gives each project its own dates."""
    return [
        {"year": year, "i": i, "started_in": started if i < on_time else later, "hold": hold, "drop": drop}
        for year, count, started, on_time, later, hold, drop in KEY_PLAN
        for i in range(count)
    ]


def load(ctx) -> None:
    officer = ctx.users[Role.INVESTMENT_OFFICER.value]
    leader = ctx.users[Role.LEADER.value]
    agent = ctx.users[Role.AGENT.value]
    second = _second_officer(ctx)

    nodes = _chains(ctx, officer)
    projects = _projects(ctx, officer, second, nodes)
    _milestones(ctx, officer, agent, projects)
    _awards(ctx, officer, leader, projects)
    ctx.extra["investment_projects"] = projects
    ctx.say(
        f"招商引资：产业链 {len(CHAINS)} 条，项目 {len(projects)} 个（演示数据），"
        "2024年到位资金、重点项目开工率、累计完成投资由台账计算"
    )


def _second_officer(ctx):
    from django.contrib.auth.models import User

    from onezone.demo.loader import DEMO_PASSWORD

    user = User.objects.create(
        username="demo-investment2",
        last_name="",
        first_name="马晓军",
        is_staff=True,
        email="demo-investment2@demo.invalid",
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    RoleGrant.objects.create(user=user, zone=ctx.zone, role=Role.INVESTMENT_OFFICER)
    return user


def _chains(ctx, officer) -> dict[tuple[str, str], object]:
    registry = ctx.extra.get("enterprises") or {}
    enterprises = list(registry.values()) if isinstance(registry, dict) else list(registry)
    nodes = {}
    for order, (chain_name, (cluster, _park)) in enumerate(CHAINS.items(), start=1):
        chain = services.chain_create(
            actor=officer, zone_id=ctx.zone.pk, name=chain_name, cluster=cluster, order=order * 10
        )
        rows = [row[1:] for row in NODES if row[0] == chain_name]
        for n, (key, name, stage, code, products, parent, local) in enumerate(rows):
            node = services.chain_node_add(
                actor=officer,
                chain=chain,
                name=name,
                stage=stage,
                industry_code=code,
                key_products=products,
                parent=nodes.get((chain_name, parent)) if parent else None,
                order=n + 1,
            )
            nodes[(chain_name, key)] = node
            if local:
                services.node_enterprise_add(actor=officer, node=node, name=local, products=products)
    # Registered enterprises of the demo go on the first node whose industry class covers theirs.
    for enterprise in enterprises:
        code = getattr(enterprise, "industry_code", "") or ""
        match = next((node for node in nodes.values() if code and code.startswith(node.industry_code)), None)
        if match is not None and not match.enterprises.filter(name=enterprise.name).exists():
            services.node_enterprise_add(actor=officer, node=match, enterprise=enterprise)
    for chain_name, key, company, location, products, priority in TARGETS:
        services.chain_target_add(
            actor=officer,
            node=nodes[(chain_name, key)],
            company=company,
            location=location,
            products=products,
            priority=priority,
            approach="已建立联系，待赴企业考察" if priority == 1 else "收集企业资料",
        )
    return nodes


def _money_round(value: Decimal) -> Decimal:
    return (value / WAN).quantize(Decimal(1), rounding=ROUND_DOWN) * WAN


def _projects(ctx, officer, second, nodes) -> dict[str, object]:
    zone = ctx.zone
    projects: dict[str, object] = {}
    funds_plan: list[tuple[str, dt.date, Decimal, str]] = []  # fixed entries outside 2024
    weights_2024: list[tuple[str, dt.date, Decimal]] = []
    progress_slots: list[tuple[str, dt.date, Decimal]] = []  # (code, month, weight) up to Dec 2024
    progress_later: list[tuple[str, dt.date, Decimal]] = []
    finals: dict[str, tuple[str, dt.date, str]] = {}  # code → drop (stage, date, reason)

    per_year: dict[int, int] = {}
    for index, plan in enumerate(_key_plan()):
        year, i = plan["year"], plan["i"]
        per_year[year] = per_year.get(year, 0) + 1
        code = f"K{year}-{per_year[year]:02d}"
        chain_name, node_key = PROJECT_NODES[index % len(PROJECT_NODES)]
        node = nodes[(chain_name, node_key)]
        park = ctx.parks[CHAINS[chain_name][1]]
        planned = Decimal(300_000_000 + (index * 37 % 23) * 50_000_000)
        lead_on = D(year - 2, 3 + i % 9, 5 + i % 20)
        signed_on = D(year - 1, 2 + i % 10, 8 + i % 18)
        registered_on = signed_on + dt.timedelta(days=40 + i % 30)
        stages = [("negotiating", lead_on + dt.timedelta(days=60)), ("signed", signed_on)]
        started_year = plan["started_in"]
        started_on = None
        if plan["drop"] == "negotiating":
            stages = [("negotiating", lead_on + dt.timedelta(days=60))]
            finals[code] = ("dropped", D(2024, 5, 20), "投资方调整投资方向，洽谈终止")
        elif started_year is not None:
            started_on = D(started_year, 2 + (i * 5) % 10, 3 + (i * 7) % 25)
            registered_on = min(registered_on, started_on - dt.timedelta(days=20))
            stages.append(("registered", registered_on))
            stages.append(("construction_started", started_on))
            build_months = 14 + i % 10
            completed_on = _add_months(started_on, build_months)
            if completed_on <= D(2026, 10, 31):
                stages.append(("completed", completed_on))
                production_on = _add_months(completed_on, 3)
                if production_on <= D(2026, 10, 31):
                    stages.append(("in_production", production_on))
        else:
            hold = plan["hold"] or "registered"
            if plan["drop"] == "funded":
                hold = "registered"
            if hold == "registered":
                stages.append(("registered", registered_on))
        if plan["drop"] == "funded":
            finals[code] = ("dropped", D(2024, 9, 16), "投资方资金链断裂，项目终止；已到位资金按实际到位计入当年")

        project = services.project_create(
            actor=officer,
            zone_id=zone.pk,
            name=f"{INVESTORS[index % len(INVESTORS)]}{node.name}项目（{code}）",
            investor_name=f"{INVESTORS[index % len(INVESTORS)]}{chain_name}投资有限公司",
            industry_code=node.industry_code,
            park=park,
            chain_node=node,
            planned_investment=planned,
            is_key=True,
            planned_start_year=year,
            officer=officer if index % 3 else second,
            referrer=REFERRERS[index % len(REFERRERS)] if index % 4 == 0 else "",
            on=lead_on,
        )
        for stage, on in stages:
            services.project_move(actor=officer, project=project, to_stage=stage, on=on)
        projects[code] = project
        if project.stage in {"negotiating", "lead"}:
            continue

        # Funds: one entry a year outside 2024, two weighted entries in 2024 while the project is live.
        last_year = min(project.completed_on.year if project.completed_on else 2026, 2024 if code in finals else 2026)
        for y in range(signed_on.year, last_year + 1):
            if y == 2024:
                if code in finals:
                    continue  # the dropped project gets a fixed entry below
                weights_2024.append((code, max(D(2024, 4, 15), signed_on), planned))
                weights_2024.append((code, max(D(2024, 10, 15), signed_on), planned))
            else:
                on = max(D(y, 7, 1), signed_on)
                if on <= D(2026, 10, 31):
                    funds_plan.append((code, on, _money_round(planned * Decimal("0.12")), "domestic"))
        # Progress every quarter from the start until completion.
        if started_on is not None:
            month = D(started_on.year, ((started_on.month - 1) // 3) * 3 + 3, 1)
            end = project.completed_on or D(2026, 10, 1)
            while month <= end and month <= D(2026, 10, 1):
                if month <= D(2024, 12, 1):
                    progress_slots.append((code, month, planned))
                else:
                    progress_later.append((code, month, _money_round(planned * Decimal("0.06"))))
                month = _add_months(month, 3)

    # The project dropped after its money arrived: 6,000万元 in March 2024, work in spring, then the drop.
    dropped_code = next(code for code, (_, on, _) in finals.items() if on == D(2024, 9, 16))
    dropped = projects[dropped_code]
    fixed_2024 = Decimal("60000000.00")
    services.funds_receipt_record(
        actor=officer,
        project=dropped,
        amount=fixed_2024,
        received_on=D(2024, 3, 20),
        source="domestic",
        evidence_reference="银行进账单 2024-0320",
    )
    fixed_progress = Decimal(0)
    for month, amount in ((D(2024, 4, 1), Decimal("12000000")), (D(2024, 6, 1), Decimal("8000000"))):
        services.progress_record(actor=officer, project=dropped, month=month, amount=amount)
        fixed_progress += amount

    # A receipt recorded twice: 1.2亿元 entered, corrected to 0.8亿元 (−0.4亿元, same date).
    corrected_code = weights_2024[0][0]
    wrong = services.funds_receipt_record(
        actor=officer,
        project=projects[corrected_code],
        amount="120000000",
        received_on=D(2024, 6, 18),
        source="domestic",
        evidence_reference="银行进账单 2024-0618",
    )
    services.funds_entry_correct(
        actor=officer, entry=wrong, correct_amount="80000000", reason="同一笔到账重复登记，按银行回单更正为8000万元"
    )
    fixed_2024 += Decimal("80000000.00")

    _spread(
        officer,
        projects,
        weights_2024,
        FUNDS_2024 - fixed_2024,
        lambda p, on, amount: services.funds_receipt_record(
            actor=officer, project=p, amount=amount, received_on=on, source="domestic", evidence_reference="演示凭证"
        ),
    )
    for code, on, amount, source in funds_plan:
        services.funds_receipt_record(
            actor=officer, project=projects[code], amount=amount, received_on=on, source=source
        )

    # Cumulative investment completed up to December 2024, including one corrected report.
    recorded = _spread(
        officer,
        projects,
        progress_slots,
        CUMULATIVE_2024 - fixed_progress,
        lambda p, month, amount: services.progress_record(actor=officer, project=p, month=month, amount=amount),
    )
    report = recorded[len(recorded) // 2]
    services.progress_correct(
        actor=officer, entry=report, correct_amount=report.amount - Decimal("5000000"), reason="监理审核核减500万元"
    )
    last = recorded[-1]
    services.progress_correct(
        actor=officer, entry=last, correct_amount=last.amount + Decimal("5000000"), reason="补报12月设备安装投资"
    )
    for code, month, amount in progress_later:
        services.progress_record(actor=officer, project=projects[code], month=month, amount=amount)

    for code, (stage, on, reason) in finals.items():
        services.project_move(actor=officer, project=projects[code], to_stage=stage, on=on, reason=reason)

    _pipeline_leads(ctx, officer, second, nodes, projects)
    return projects


def _spread(officer, projects, slots, total: Decimal, record) -> list:
    """Record ``total`` over the weighted slots, in 万元 steps; the last slot takes the rounding rest."""
    weight_sum = sum(w for _, _, w in slots)
    out = []
    remaining = total
    for n, (code, on, weight) in enumerate(slots):
        amount = remaining if n == len(slots) - 1 else _money_round(total * weight / weight_sum)
        remaining -= amount
        out.append(record(projects[code], on, amount))
    return out


def _pipeline_leads(ctx, officer, second, nodes, projects) -> None:
    """Non-key projects and fresh leads for 2026."""
    rows = [
        ("N-01", "lead", ("新能源", "cell"), 120_000_000, None),
        ("N-02", "lead", ("氟化工", "fsalt"), 80_000_000, None),
        ("N-03", "negotiating", ("生物可降解新材料", "lactic"), 260_000_000, None),
        ("N-04", "negotiating", ("煤化工", "olefin"), 900_000_000, None),
        ("N-05", "signed", ("精细化工", "aux"), 60_000_000, D(2026, 6, 18)),
        ("N-06", "registered", ("农产品加工", "flour"), 45_000_000, D(2026, 3, 2)),
        ("N-07", "lead", ("有色冶金", "precious"), 300_000_000, None),
        ("N-08", "negotiating", ("氯碱化工", "salt"), 150_000_000, None),
    ]
    for n, (code, stage, (chain_name, key), planned, signed_on) in enumerate(rows):
        node = nodes[(chain_name, key)]
        project = services.project_create(
            actor=officer,
            zone_id=ctx.zone.pk,
            name=f"{INVESTORS[(n + 5) % len(INVESTORS)]}{node.name}项目（{code}）",
            investor_name=f"{INVESTORS[(n + 5) % len(INVESTORS)]}实业有限公司",
            industry_code=node.industry_code,
            park=ctx.parks[CHAINS[chain_name][1]],
            chain_node=node,
            planned_investment=planned,
            officer=second if n % 2 else officer,
            on=D(2025, 10 + n % 3, 10 + n),
        )
        path = ["negotiating", "signed", "registered"]
        for step in path[: path.index(stage) + 1] if stage != "lead" else []:
            on = signed_on if step == "signed" and signed_on else D(2026, 2 + path.index(step), 12)
            if step == "registered":
                on = D(2026, 5, 6)
            services.project_move(actor=officer, project=project, to_stage=step, on=on)
        projects[code] = project


def _add_months(day: dt.date, months: int) -> dt.date:
    from onezone.investment.rewards import add_months

    return add_months(day, months)


def _milestones(ctx, officer, agent, projects) -> None:
    """The agent follows the approvals of six projects: some done, some in progress, some overdue."""
    chosen = [p for p in projects.values() if p.stage in {"registered", "construction_started", "signed"}][:6]
    kinds = [
        "signing_review",
        "project_approval",
        "land_pre_review",
        "land_supply",
        "planning_permit",
        "eia",
        "energy_review",
        "safety_assessment",
        "construction_permit",
        "construction_start",
        "power",
        "water",
    ]
    case_numbers = _window_case_numbers(ctx)
    for n, project in enumerate(chosen):
        services.project_assign_agent(actor=officer, project=project, agent=agent)
        project.refresh_from_db()
        base = project.signed_on or project.stage_since
        planned = {kind: base + dt.timedelta(days=30 * (k + 1)) for k, kind in enumerate(kinds)}
        items = services.milestones_choose(
            actor=agent, project=project, kinds=kinds if n % 2 == 0 else kinds[:10], planned=planned
        )
        for k, item in enumerate(items):
            if item.planned_on and item.planned_on < D(2026, 10, 1) and k < 5 + n:
                number = case_numbers.pop(0) if case_numbers and k == 4 else f"外部{project.pk:03d}-{k + 1:02d}"
                services.milestone_update(
                    actor=agent,
                    milestone=item,
                    status=Milestone.Status.DONE,
                    done_on=min(item.planned_on, D(2026, 10, 1)),
                    case_number=number,
                )
            elif k == 5 + n:
                services.milestone_update(actor=agent, milestone=item, status=Milestone.Status.IN_PROGRESS)


def _window_case_numbers(ctx) -> list[str]:
    case_model = Milestone._meta.get_field("case").related_model
    return list(case_model.objects.filter(zone=ctx.zone).order_by("id").values_list("number", flat=True)[:6])


def _awards(ctx, officer, leader, projects) -> None:
    policy = services.reward_policy_save(
        actor=leader,
        policy=RewardPolicy(
            zone=ctx.zone,
            name="永昌工业园区招商引资奖励办法（演示）",
            document_number="永工管发〔2023〕8号",
            effective_from=D(2023, 1, 1),
            tiers=[
                {"up_to": "10000000", "rate": "0.003"},
                {"up_to": "100000000", "rate": "0.004"},
                {"up_to": None, "rate": "0.005"},
            ],
            tier_mode=RewardPolicy.TierMode.MARGINAL,
            cap=Decimal("1000000"),
            exclusions=["real_estate", "loan_funded", "ppp"],
            claim_window_months=12,
        ),
    )
    completed = [
        p
        for p in projects.values()
        if p.referrer and p.completed_on and D(2025, 1, 1) <= p.completed_on <= D(2026, 9, 1)
    ]
    completed.sort(key=lambda p: p.completed_on)
    steps = ["paid", "clawed_back", "approved", "claimed", "rejected", "paid"]
    for project, step in zip(completed, steps, strict=False):
        claimed_on = project.completed_on + dt.timedelta(days=45)
        award = services.award_claim(
            actor=officer,
            project=project,
            policy=policy,
            referrer=project.referrer,
            claimed_on=claimed_on,
            investor_confirmation=f"投资方确认函 {project.pk:04d}",
            zone_confirmation=f"园区确认 {project.pk:04d}",
            invoices=[f"到位凭证-{project.pk:04d}-1", f"到位凭证-{project.pk:04d}-2"],
        )
        decided = claimed_on + dt.timedelta(days=20)
        if step == "rejected":
            services.award_reject(actor=leader, award=award, reason="引荐关系证明材料不足", on=decided)
            continue
        if step == "claimed":
            continue
        award = services.award_approve(actor=leader, award=award, on=decided)
        if step in {"paid", "clawed_back"}:
            award = services.award_pay(
                actor=leader, award=award, payment_reference=f"财付{project.pk:04d}", on=decided + dt.timedelta(days=15)
            )
        if step == "clawed_back":
            services.award_claw_back(
                actor=leader,
                award=award,
                reason="核查发现引荐关系不实，依办法追回",
                on=min(decided + dt.timedelta(days=90), D(2026, 11, 1)),
            )
