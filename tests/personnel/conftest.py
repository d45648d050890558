"""A small committee: two bodies, posts of each category, staff holding them, pay scales, schemes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.org.models import Appointment, Body, Person, Post
from onezone.personnel.models import PostGradePay
from onezone.personnel.services import scheme_define

D = Decimal


@pytest.fixture
def staff(zone, users):
    """Office (5 staff: 4 management, 1 support) and a service centre (2 professional)."""
    office = Body.objects.create(zone=zone, name="党政办公室", kind=Body.Kind.DEPARTMENT, order=1)
    centre = Body.objects.create(zone=zone, name="政务服务中心", kind=Body.Kind.SERVICE_CENTRE, order=2)
    posts = {
        "head": Post.objects.create(zone=zone, body=office, title="主任", grade="股级", is_head=True),
        "clerk": Post.objects.create(zone=zone, body=office, title="科员", grade="科员", headcount=3),
        "driver": Post.objects.create(zone=zone, body=office, title="驾驶员", category="support", grade="技术工"),
        "window": Post.objects.create(
            zone=zone, body=centre, title="窗口受理员", category="professional", grade="初级"
        ),
        "review": Post.objects.create(zone=zone, body=centre, title="审查员", category="professional", grade="中级"),
    }
    people = {}
    for name, post, start in [
        ("甲主任", "head", "2021-01-01"),
        ("乙科员", "clerk", "2021-01-01"),
        ("丙科员", "clerk", "2021-01-01"),
        ("丁科员", "clerk", "2021-01-01"),
        ("戊师傅", "driver", "2021-01-01"),
        ("己受理", "window", "2021-01-01"),
        ("庚审查", "review", "2021-01-01"),
    ]:
        person = Person.objects.create(zone=zone, name=name)
        Appointment.objects.create(zone=zone, person=person, post=posts[post], start=dt.date.fromisoformat(start))
        people[name] = person
    people["己受理"].user = users["clerk"]
    people["己受理"].save()
    for category, grade, amount in [
        ("management", "股级", "5200"),
        ("management", "科员", "4300"),
        ("support", "技术工", "3600"),
        ("professional", "初级", "4100"),
        ("professional", "中级", "4800"),
    ]:
        PostGradePay.objects.create(
            zone=zone, category=category, grade=grade, base_pay=D(amount), effective_from=dt.date(2024, 1, 1)
        )
    return {"office": office, "centre": centre, "posts": posts, "people": people}


SIMPLE = [{"name": "工作实绩", "weight": 70}, {"name": "工作态度", "weight": 30}]


@pytest.fixture
def schemes(zone, users, staff):
    hr = users["hr_officer"]
    return {
        category: scheme_define(actor=hr, zone_id=zone.pk, name=f"{category}方案", category=category, indicators=SIMPLE)
        for category in ("management", "professional", "support")
    }


def rate_all(hr, cycle, scores: dict[str, tuple[int, int, int]]):
    """Give every hand-scored indicator of each named person the same (self, leader, peer) scores."""
    from onezone.personnel.services import ratings_record

    for appraisal in cycle.appraisals.select_related("person", "scheme"):
        triple = scores.get(appraisal.person.name)
        if triple is None:
            continue
        marks = {}
        for indicator in appraisal.scheme.indicators.filter(source="manual"):
            for kind, value in zip(("self", "leader", "peer"), triple, strict=True):
                marks[(indicator.pk, kind)] = value
        ratings_record(actor=hr, appraisal=appraisal, scores=marks)
