"""The sweep reads open cases in keyset chunks, a fixed number of queries per chunk, and is idempotent."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onezone.core.models import AuditEvent
from onezone.window import sweep
from onezone.window.models import Alert, Case
from tests.window.conftest import TODAY, under_review

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def many_cases(zone, staff, items, org):
    """Eleven open cases in reach: past the legal deadline, past the committed one, near it."""
    days = [-20, -20, -3, -3, -1, 0, 1, 2, -20, 0, -3]
    cases = [
        under_review(
            zone,
            items,
            staff,
            f"T-{n:03d}",
            due_in=d,
            body=org["service"],
            reviewer=staff["reviewer"] if n % 2 else None,
        )
        for n, d in enumerate(days)
    ]
    return Case.objects.bulk_create(cases)


def _alerts():
    return sorted(
        Alert.objects.values_list("case__number", "kind", "deadline", "recipient_id", "recipient_name", "message")
    )


def test_sweep_reads_chunks_with_a_fixed_number_of_queries(many_cases, staff, monkeypatch):
    monkeypatch.setattr(sweep, "CHUNK", 4)
    with CaptureQueriesContext(connection) as captured:
        result = sweep.window_sweep(today=TODAY)
    sqls = [q["sql"] for q in captured.captured_queries]
    id_reads = [s for s in sqls if 'SELECT "window_case"."id" AS "pk" FROM "window_case"' in s]
    assert len(id_reads) == 3  # the ids in reach, and those of the two recomputes (none here), one query each
    assert all('ORDER BY ("window_case"."id" + 0)' in s for s in id_reads)
    body_reads = [s for s in sqls if s.startswith("SELECT DISTINCT body_id FROM window_case")]
    assert len(body_reads) == 3  # 11 cases in chunks of 4: the bodies of each chunk
    inserts = [s for s in sqls if "INTO window_alert" in s]
    assert len(inserts) == 3  # and one statement that raises the chunk's alerts
    assert not [s for s in sqls if s.startswith('SELECT "window_alert"')]  # no alert read back into Python
    assert result == {"warning": 4, "escalation": 7, "violation": 3, "recomputed": 0}
    assert AuditEvent.objects.filter(action="window.sweep").count() == 3  # one per chunk that raised alerts


def test_sweep_in_chunks_raises_what_one_chunk_raises_and_a_second_run_nothing(many_cases, monkeypatch):
    whole = sweep.window_sweep(today=TODAY)
    expected = _alerts()
    Alert.objects.all().delete()
    monkeypatch.setattr(sweep, "CHUNK", 3)
    assert sweep.window_sweep(today=TODAY) == whole
    assert _alerts() == expected
    with CaptureQueriesContext(connection) as captured:
        again = sweep.window_sweep(today=TODAY)
    assert again == {"warning": 0, "escalation": 0, "violation": 0, "recomputed": 0}
    assert not [q for q in captured.captured_queries if q["sql"].startswith("INSERT INTO core_auditevent")]
    assert _alerts() == expected


def test_sweep_messages_and_recipients(many_cases, staff):
    sweep.window_sweep(today=TODAY)
    by_kind = {
        kind: (recipient, name, message)
        for number, kind, _d, recipient, name, message in _alerts()
        if number == "T-000"
    }
    assert by_kind["violation"] == (
        staff["head"].pk,
        "韩梅",
        f"办件 T-000（建设项目环境影响评价审批）已超过法定时限 {TODAY - dt.timedelta(days=10)}，请立即督办。",
    )
    assert by_kind["escalation"][2] == (
        f"办件 T-000（建设项目环境影响评价审批）已超过承诺时限 {TODAY - dt.timedelta(days=20)}，提请机构负责人督办。"
    )
    warned = {
        number: (recipient, message) for number, kind, _d, recipient, _n, message in _alerts() if kind == "warning"
    }
    assert warned["T-006"] == (
        staff["clerk"].pk,
        f"办件 T-006（建设项目环境影响评价审批）将于 {TODAY + dt.timedelta(days=1)} 到期，请抓紧办理。",
    )
    assert warned["T-007"][0] == staff["reviewer"].pk


def test_escalation_to_a_body_with_more_heads_than_the_recipient_field_holds(many_cases, staff, org, zone):
    """73 heads' names run past the 200 characters of ``recipient_name``: the first ones, then 等N人."""
    from onezone.org.models import Appointment, Person

    people = Person.objects.bulk_create(
        Person(zone=zone, name=f"欧阳副主任{n:02d}") for n in range(72)
    )  # 8 characters each, with 、 well over 200 together
    Appointment.objects.bulk_create(
        Appointment(zone=zone, person=p, post=org["head_post"], start=dt.date(2022, 1, 1)) for p in people
    )
    result = sweep.window_sweep(today=TODAY)
    assert result["escalation"] == 7 and result["violation"] == 3
    limit = Alert._meta.get_field("recipient_name").max_length
    names = set(Alert.objects.exclude(kind=Alert.Kind.WARNING).values_list("recipient_id", "recipient_name"))
    assert len(names) == 1
    recipient_id, name = names.pop()
    assert recipient_id == staff["head"].pk  # the one head with a login still gets the alert
    assert len(name) <= limit and name.endswith("等73人")
    shown = name.removesuffix("等73人").split("、")
    assert shown[0] == "韩梅" and len(shown) > 10  # the head with a login first
    assert all(n == "韩梅" or n.startswith("欧阳副主任") for n in shown)
    assert len("、".join([*shown, "欧阳副主任99"]) + "等73人") > limit  # as many names as fit


def test_recipient_names_fit_the_field():
    assert sweep._names_within(["甲", "乙"], 10) == "甲、乙"
    assert sweep._names_within(["张三", "李四", "王五", "赵六"], 10) == "张三、李四等4人"
    assert sweep._names_within(["欧阳长名字的人"], 5) == "欧阳长名字"
    assert sweep._names_within(["欧阳长名字的人", "李四"], 6) == "欧阳长等2人"
