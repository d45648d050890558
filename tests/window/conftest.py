"""Fixtures of the window: a zone with bodies, heads, routing, items with materials; a fixed today."""

from __future__ import annotations

import datetime as dt

import pytest

from onezone.core.roles import Role
from onezone.org.models import Appointment, Body, MatterDomain, Person, Post, RoutingRule
from onezone.powers.services import item_create
from onezone.window.models import Case, CaseState
from onezone.window.services import Applicant
from tests.conftest import make_user

TODAY = dt.date(2026, 10, 12)  # a Monday, after the 2026 National Day holiday

MATERIALS = [
    {"name": "申请书", "necessity": "required", "form": "paper", "copies": 1, "standard": "签字盖章"},
    {"name": "营业执照复印件", "necessity": "required", "form": "both", "copies": 1},
    {"name": "授权委托书", "necessity": "conditional", "form": "paper", "copies": 1},
]

ENTERPRISE = Applicant(
    kind="enterprise", name="金昌示范新材料有限公司", uscc="91512081MA62K0260E", mobile="13909351234"
)
PERSON = Applicant(kind="person", name="李四", id_number="11010519491231002X", mobile="13800138000")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    from onezone.window import selectors, services

    monkeypatch.setattr(services, "_today", lambda: TODAY)
    monkeypatch.setattr(selectors, "_today", lambda: TODAY)
    return TODAY


def appoint(zone, user, body, title: str, *, name: str = "", is_head: bool = False) -> Person:
    """Give ``user`` a post in ``body`` from 2021 (authority by body: staff act for the bodies they are on)."""
    post, _ = Post.objects.get_or_create(zone=zone, body=body, title=title, defaults={"is_head": is_head})
    person = Person.objects.create(zone=zone, name=name or user.username, user=user)
    Appointment.objects.create(zone=zone, person=person, post=post, start=dt.date(2021, 1, 1))
    return person


@pytest.fixture
def org(zone, calendar_seeded, users):
    """The service centre (which holds every case of the zone's window) and a department; the fixture's
    clerk and reviewer work at the centre."""
    service = Body.objects.create(zone=zone, name="园区政务服务中心", kind=Body.Kind.SERVICE_CENTRE)
    economy = Body.objects.create(zone=zone, name="经济发展局", kind=Body.Kind.DEPARTMENT)
    head_post = Post.objects.create(zone=zone, body=service, title="主任", is_head=True)
    RoutingRule.objects.create(
        zone=zone, category="window_service", category_name="窗口服务投诉", domain=MatterDomain.ECONOMIC, body=service
    )
    appoint(zone, users["clerk"], service, "窗口受理员", name="张晓燕")
    appoint(zone, users["reviewer"], service, "审查员", name="赵立新")
    return {"service": service, "economy": economy, "head_post": head_post}


@pytest.fixture
def staff(zone, org, users):
    """The fixture users, plus a second reviewer, a second clerk and the service centre's head with a login."""
    head_user = make_user("u-centre-head", zone=zone, role=Role.DEPT_HEAD)
    head = Person.objects.create(zone=zone, name="韩梅", user=head_user)
    Appointment.objects.create(zone=zone, person=head, post=org["head_post"], start=dt.date(2021, 1, 1))
    reviewer2 = make_user("u-reviewer2", zone=zone, role=Role.REVIEWER)
    clerk2 = make_user("u-clerk2", zone=zone, role=Role.CLERK)
    appoint(zone, reviewer2, org["service"], "审查员", name="周敏")
    appoint(zone, clerk2, org["service"], "窗口受理员", name="李娜")
    return {**users, "reviewer2": reviewer2, "clerk2": clerk2, "head": head_user}


def _item(zone, users, org, code, **data):
    values = {
        "name": data.pop("name", f"事项{code}"),
        "implementation_code": code,
        "category": "licensing",
        "legal_limit": 20,
        "legal_limit_unit": "working",
        "committed_limit": 10,
        "committed_limit_unit": "working",
        "handling_type": "promised",
        "implementing_body_id": org["service"].pk,
        "place": "园区政务服务中心1号窗口",
    }
    values.update(data)
    return item_create(
        actor=users["admin"],
        zone_id=zone.pk,
        data=values,
        reason="清单编制",
        effective_on=dt.date(2024, 1, 1),
        materials=MATERIALS,
    )


@pytest.fixture
def items(zone, users, org):
    return {
        "promised": _item(zone, users, org, "Y001", name="建设项目环境影响评价审批"),
        "instant": _item(
            zone, users, org, "Y002", name="企业投资项目备案", handling_type="instant", committed_limit=0, legal_limit=0
        ),
        "joint": _item(
            zone,
            users,
            org,
            "Y003",
            name="建筑工程施工许可联合审批",
            joint_handling=True,
            legal_limit=45,
            committed_limit=30,
            special_procedures=["expert_review", "hearing"],
        ),
    }


@pytest.fixture
def material_ids(items):
    return {key: list(item.materials.order_by("order").values_list("pk", flat=True)) for key, item in items.items()}


def under_review(zone, items, staff, number: str, *, due_in: int, legal_after: int = 10, **fields) -> Case:
    """An unsaved case under review of the promised item, due ``due_in`` days from TODAY and past its
    legal deadline ``legal_after`` days after that."""
    due = TODAY + dt.timedelta(days=due_in)
    return Case(
        **{
            "zone": zone,
            "number": number,
            "year": 2026,
            "query_code": "Q",
            "item": items["promised"],
            "item_code": "Y001",
            "item_name": "建设项目环境影响评价审批",
            "applicant_kind": "enterprise",
            "applicant_name": "企业",
            "clerk": staff["clerk"],
            "state": CaseState.UNDER_REVIEW,
            "received_on": TODAY - dt.timedelta(days=40),
            "supplement_deadline": TODAY,
            "due_on": due,
            "legal_due_on": due + dt.timedelta(days=legal_after),
            "queue_on": due,
            **fields,
        }
    )


@pytest.fixture
def penalty(zone, users, org):
    """A 行政处罚 item: in the power list with its basis, never received at the window."""
    return item_create(
        actor=users["admin"],
        zone_id=zone.pk,
        data={
            "name": "对未批先建的行政处罚",
            "implementation_code": "CF01",
            "category": "penalty",
            "legal_basis": "《中华人民共和国环境影响评价法》第三十一条",
            "acceptance_conditions": "不应显示的受理条件",
            "legal_limit": 90,
            "committed_limit": 60,
            "implementing_body_id": org["economy"].pk,
        },
        reason="清单编制",
        effective_on=dt.date(2024, 1, 1),
        materials=[{"name": "不应显示的材料"}],
    )


def closed_instant_case(staff, zone, items, material_ids, on: dt.date) -> Case:
    """A case of the instant item received, decided on the spot, delivered and closed on ``on``."""
    from onezone.window import services

    case = services.case_receive(
        actor=staff["clerk"],
        zone_id=zone.pk,
        item_id=items["instant"].pk,
        applicant=ENTERPRISE,
        presented=material_ids["instant"],
        on=on,
    )
    services.case_accept(actor=staff["clerk"], case_id=case.pk, on=on)
    services.case_decide(actor=staff["clerk"], case_id=case.pk, granted=True, text="准予。", on=on)
    services.case_deliver(actor=staff["clerk"], case_id=case.pk, on=on)
    return services.case_close(actor=staff["clerk"], case_id=case.pk, on=on)
