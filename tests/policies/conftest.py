"""A small zone with six enterprises, one investment project and five policies, built through services.

Figures are for 2025; matching is evaluated on 2026-03-01, so "previous" means 2025.

=========  ======  ========  =====  ==================  ==========================================
enterprise  code    park      size   tags                2025
=========  ======  ========  =====  ==================  ==========================================
金化科技    C2614   hexipu    above  高新技术企业         tax 320万, 120 people, R&D 3.2 %
永新材料    C3216   hexipu    above  专精特新, 高新技术    tax 800万, 300 people, R&D 4 %, exports
东寨生物    C2653   dongzhai  below  科技型中小企业       tax 30万, 45 people, R&D 6.25 %
祁连食品    C1351   dongzhai  above  —                   tax 150万, 210 people, R&D 0.5 %
新能光伏    D4416   hexipu    below  —                   no figures; a project with 6,000万 in place
旧厂        C2614   hexipu    above  —                   closed: never matched
=========  ======  ========  =====  ==================  ==========================================
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.codes import uscc_check_char
from onezone.core.roles import Role
from onezone.enterprises.models import Enterprise
from onezone.enterprises.services import (
    enterprise_register,
    enterprise_year_save,
    member_link,
    tags_seed,
)
from onezone.investment.services import funds_receipt_record, project_create, project_move
from onezone.policies.models import Policy
from onezone.policies.services import policy_publish, policy_save
from onezone.zones.services import park_create
from tests.conftest import make_user

ON = dt.date(2026, 3, 1)


def uscc(serial: int) -> str:
    first17 = f"91620321MA{serial:07d}"
    return first17 + uscc_check_char(first17)


ENTERPRISES = [
    # key, name, industry, park, size, status, established, tags, 2025 figures
    (
        "jinhua",
        "金化科技",
        "C2614",
        "hexipu",
        "above",
        "operating",
        dt.date(2015, 4, 1),
        ["高新技术企业"],
        {
            "output_value": "80000000",
            "revenue": "50000000",
            "tax": "3200000",
            "employees": 120,
            "energy_tce": "1200",
            "rd_spend": "1600000",
        },
    ),
    (
        "yongxin",
        "永新材料",
        "C3216",
        "hexipu",
        "above",
        "operating",
        dt.date(2012, 9, 1),
        ["专精特新", "高新技术企业"],
        {
            "output_value": "200000000",
            "revenue": "150000000",
            "tax": "8000000",
            "employees": 300,
            "energy_tce": "9000",
            "rd_spend": "6000000",
            "exports": "12000000",
        },
    ),
    (
        "dongzhai",
        "东寨生物",
        "C2653",
        "dongzhai",
        "below",
        "operating",
        dt.date(2024, 6, 1),
        ["科技型中小企业"],
        {"output_value": "9000000", "revenue": "8000000", "tax": "300000", "employees": 45, "rd_spend": "500000"},
    ),
    (
        "qilian",
        "祁连食品",
        "C1351",
        "dongzhai",
        "above",
        "operating",
        dt.date(2010, 3, 1),
        [],
        {
            "output_value": "60000000",
            "revenue": "58000000",
            "tax": "1500000",
            "employees": 210,
            "energy_tce": "2400",
            "rd_spend": "290000",
        },
    ),
    ("xinneng", "新能光伏", "D4416", "hexipu", "below", "operating", dt.date(2025, 1, 10), [], None),
    (
        "old",
        "旧厂",
        "C2614",
        "hexipu",
        "above",
        "closed",
        dt.date(2001, 1, 1),
        [],
        {"tax": "9000000", "employees": 500},
    ),
]

POLICIES = [
    # key, title, kind, conditions, amount rule, auto grant
    (
        "scale",
        "规上工业企业奖励",
        "reward",
        [{"field": "size", "op": "eq", "value": "above"}, {"field": "tax", "op": ">=", "value": 3000000, "year": 2025}],
        {"kind": "fixed", "amount": 100000},
        False,
    ),
    ("zjtx", "专精特新企业奖励", "reward", [{"field": "tag", "op": "has", "value": "专精特新"}], {}, False),
    (
        "jobs",
        "稳岗补贴",
        "subsidy",
        [{"field": "employees", "op": ">=", "value": 50, "year": 2025}],
        {"kind": "rate", "metric": "employees", "year": 2025, "rate": "500", "cap": 100000},
        True,
    ),
    (
        "power",
        "新能源项目用电补贴",
        "subsidy",
        [
            {"field": "industry", "op": "in", "value": ["D44"]},
            {"field": "project_funds_in_place", "op": ">=", "value": 50000000, "year": 2025},
        ],
        {"kind": "fixed", "amount": 300000},
        True,
    ),
    (
        "rd",
        "研发投入后补助",
        "subsidy",
        [{"field": "rd_ratio", "op": ">=", "value": 3, "year": 2025}],
        {"kind": "rate", "metric": "rd_spend", "year": 2025, "rate": "0.05", "cap": 200000},
        False,
    ),
]


@pytest.fixture
def parks(zone, users):
    admin = users["admin"]
    return {
        "hexipu": park_create(
            actor=admin,
            zone=zone,
            name="河西堡工业园",
            code="hexipu",
            planned_area_km2=Decimal("50"),
            built_area_km2=Decimal("10"),
            industry_codes=["C26", "C32", "D44"],
        ),
        "dongzhai": park_create(
            actor=admin,
            zone=zone,
            name="东寨工业园",
            code="dongzhai",
            planned_area_km2=Decimal("20"),
            built_area_km2=Decimal("5"),
            industry_codes=["C265", "C13"],
        ),
    }


@pytest.fixture
def enterprises(zone, users, parks) -> dict[str, Enterprise]:
    admin = users["admin"]
    tags_seed(actor=admin, zone_id=zone.pk)
    made = {}
    for serial, (key, name, code, park, size, status, established, tags, figures) in enumerate(ENTERPRISES, 1):
        made[key] = enterprise_register(
            actor=admin,
            zone_id=zone.pk,
            uscc=uscc(serial),
            name=name,
            industry_code=code,
            park=parks[park],
            size=size,
            status=status,
            established=established,
            tags=tags,
        )
        if figures:
            enterprise_year_save(actor=admin, enterprise=made[key], year=2025, **figures)
    officer = users["investment_officer"]
    project = project_create(
        actor=officer,
        zone_id=zone.pk,
        name="50MW光伏电站",
        investor_name="新能光伏",
        industry_code="D4416",
        park=parks["hexipu"],
        planned_investment="200000000",
        on=dt.date(2025, 1, 5),
    )
    project_move(actor=officer, project=project, to_stage="negotiating", on=dt.date(2025, 1, 20))
    project_move(actor=officer, project=project, to_stage="signed", on=dt.date(2025, 2, 1))
    funds_receipt_record(
        actor=officer, project=project, amount="60000000", received_on=dt.date(2025, 6, 30), source="domestic"
    )
    return made


@pytest.fixture
def policies(zone, users) -> dict[str, Policy]:
    editor = users["dept_head"]
    made = {}
    for key, title, kind, conditions, rule, auto in POLICIES:
        policy = policy_save(
            actor=editor,
            policy=Policy(
                zone=zone,
                title=title,
                kind=kind,
                issuer="测试工业园区管委会",
                document_number=f"测园发〔2025〕{len(made) + 1}号",
                valid_from=dt.date(2025, 1, 1),
                amount_description=f"{title}标准",
                amount_rule=rule,
                conditions=conditions,
                auto_grant=auto,
            ),
        )
        made[key] = policy_publish(actor=editor, policy=policy)
    return made


@pytest.fixture
def members(zone, users, enterprises):
    """An enterprise user for 金化科技 and one for 永新材料."""
    made = {}
    for key in ("jinhua", "yongxin"):
        user = make_user(f"ent-{key}", zone=zone, role=Role.ENTERPRISE)
        member_link(actor=users["admin"], user=user, enterprise=enterprises[key])
        made[key] = user
    return made
