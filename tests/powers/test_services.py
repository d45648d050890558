"""Writes: items and adjustments, publication, delegation pipeline, permissions."""

from __future__ import annotations

import datetime as dt

import pytest

from onezone.core.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.powers.models import Adjustment, Delegation, ListVersion, ListVersionItem, PowerItem
from onezone.powers.selectors import versions_diff
from onezone.powers.services import (
    DELEGATION_TRANSITIONS,
    batch_create,
    delegation_propose,
    delegation_transition,
    item_create,
    item_resume,
    item_revoke,
    item_suspend,
    item_update,
    list_publish,
    version_change,
)
from tests.powers.conftest import item_data

pytestmark = pytest.mark.django_db


def test_committed_limit_longer_than_legal_is_refused_and_nothing_written(zone, users, bodies):
    before = (PowerItem.objects.count(), Adjustment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput, match="承诺时限20个工作日超过法定时限15个工作日"):
        item_create(
            actor=users["admin"],
            zone_id=zone.pk,
            data=item_data("Y001", legal_limit=15, committed_limit=20),
            reason="新增",
        )
    assert (PowerItem.objects.count(), Adjustment.objects.count(), AuditEvent.objects.count()) == before


def test_update_that_makes_committed_exceed_legal_is_refused(zone, users, add_item):
    item = add_item("Y001")
    with pytest.raises(InvalidInput, match="承诺时限12个工作日超过法定时限10个工作日"):
        item_update(
            actor=users["admin"], item_id=item.pk, changes={"legal_limit": 10, "committed_limit": 12}, reason="x"
        )
    item.refresh_from_db()
    assert (item.legal_limit, item.committed_limit) == (20, 10)
    assert Adjustment.objects.filter(item=item).count() == 1


def test_duplicate_implementation_code_is_refused(zone, users, add_item):
    add_item("Y001")
    with pytest.raises(Conflict, match="实施编码“Y001”已在本开发区清单中"):
        add_item("Y001")


def test_body_of_another_zone_is_refused(zone, other_zone, users):
    from onezone.org.models import Body

    foreign = Body.objects.create(zone=other_zone, name="外区机构", kind=Body.Kind.DEPARTMENT)
    with pytest.raises(InvalidInput, match="实施主体不属于本开发区"):
        item_create(
            actor=users["admin"], zone_id=zone.pk, data=item_data("Y1", implementing_body_id=foreign.pk), reason="x"
        )


def test_every_change_is_an_adjustment_with_the_changed_fields(zone, users, add_item):
    item = add_item("Y001")
    item_update(
        actor=users["admin"],
        item_id=item.pk,
        changes={"committed_limit": 5, "place": "2号窗口"},
        reason="压缩时限",
        document="永工管发〔2025〕3号",
        materials=[{"name": "申请书", "necessity": "required", "form": "electronic", "copies": 1}],
    )
    adj = Adjustment.objects.filter(item=item, kind="modify").get()
    assert adj.reason == "压缩时限"
    assert adj.document == "永工管发〔2025〕3号"
    assert adj.changes["committed_limit"] == [10, 5]
    assert adj.changes["place"] == ["园区政务服务中心1号窗口", "2号窗口"]
    assert len(adj.changes["materials"][0]) == 3 and len(adj.changes["materials"][1]) == 1
    assert set(adj.changes) == {"committed_limit", "place", "materials"}
    # A change that changes nothing is no adjustment.
    item_update(actor=users["admin"], item_id=item.pk, changes={"committed_limit": 5}, reason="重复")
    assert Adjustment.objects.filter(item=item).count() == 2


def test_status_changes_follow_their_rules(zone, users, add_item):
    item = add_item("Y001")
    item_suspend(actor=users["admin"], item_id=item.pk, reason="暂停")
    with pytest.raises(TransitionNotAllowed, match="当前为“暂停”，不能暂停"):
        item_suspend(actor=users["admin"], item_id=item.pk, reason="再次暂停")
    item_resume(actor=users["admin"], item_id=item.pk, reason="恢复")
    item_revoke(actor=users["admin"], item_id=item.pk, reason="取消")
    with pytest.raises(TransitionNotAllowed):
        item_resume(actor=users["admin"], item_id=item.pk, reason="恢复")
    with pytest.raises(TransitionNotAllowed, match="已取消，不能再调整"):
        item_update(actor=users["admin"], item_id=item.pk, changes={"place": "x"}, reason="x")
    assert list(Adjustment.objects.filter(item=item).order_by("id").values_list("kind", flat=True)) == [
        "add",
        "suspend",
        "resume",
        "revoke",
    ]


def test_a_reason_is_required(zone, users, add_item):
    item = add_item("Y001")
    with pytest.raises(InvalidInput, match="请填写调整理由"):
        item_suspend(actor=users["admin"], item_id=item.pk, reason=" ")


def test_publish_freezes_items_in_force_and_a_version_never_changes(zone, users, add_item):
    a = add_item("Y001")
    b = add_item("Y002")
    add_item("Y003")
    item_suspend(actor=users["admin"], item_id=b.pk, reason="暂停")
    v1 = list_publish(
        actor=users["leader"], zone_id=zone.pk, title="第一版", document="文1", effective_on=dt.date(2025, 1, 1)
    )
    assert (v1.number, v1.item_count, v1.summary) == (1, 2, "首次发布，共2项")
    assert list(ListVersionItem.objects.filter(version=v1).values_list("code", flat=True)) == ["Y001", "Y003"]
    snap = ListVersionItem.objects.get(version=v1, item=a).snapshot
    assert snap["committed_limit"] == 10
    assert [m["name"] for m in snap["materials"]] == ["申请书", "营业执照复印件", "授权委托书"]
    assert Adjustment.objects.filter(version=v1).count() == 4  # three adds and the suspension

    item_update(actor=users["admin"], item_id=a.pk, changes={"committed_limit": 3}, reason="提速")
    assert ListVersionItem.objects.get(version=v1, item=a).snapshot["committed_limit"] == 10
    with pytest.raises(Conflict, match="第1版已发布，发布的版本不可修改或删除"):
        version_change(actor=users["admin"], version_id=v1.pk, title="改名")
    v1.refresh_from_db()
    assert v1.title == "第一版"


def test_publish_date_cannot_go_back(zone, users, add_item):
    add_item("Y001")
    list_publish(actor=users["leader"], zone_id=zone.pk, title="一", document="", effective_on=dt.date(2025, 1, 1))
    with pytest.raises(InvalidInput, match="早于上一版"):
        list_publish(actor=users["leader"], zone_id=zone.pk, title="二", document="", effective_on=dt.date(2024, 1, 1))
    assert ListVersion.objects.count() == 1


def test_versions_diff_exact_counts(zone, users, add_item):
    items = [add_item(f"Y{n:03d}") for n in range(10)]
    v1 = list_publish(actor=users["leader"], zone_id=zone.pk, title="一", document="", effective_on=dt.date(2025, 1, 1))
    for n in range(12):
        add_item(f"N{n:03d}")
    for item in items[:3]:
        item_revoke(actor=users["admin"], item_id=item.pk, reason="取消")
    for item in items[3:8]:
        item_update(actor=users["admin"], item_id=item.pk, changes={"committed_limit": 7}, reason="调整")
    v2 = list_publish(actor=users["leader"], zone_id=zone.pk, title="二", document="", effective_on=dt.date(2026, 3, 1))
    d = versions_diff(v1, v2)
    assert d.summary == "+12 −3, 5 modified"
    assert v2.summary == "新增12项、取消3项、调整5项"
    assert [c.label for c in d.modified[0].changes] == ["承诺办结时限"]
    assert versions_diff(v2, v1).summary == "+3 −12, 5 modified"


def test_clerk_cannot_publish_and_nothing_changes(zone, users, add_item):
    add_item("Y001")
    before = (ListVersion.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied, match="发布清单版本"):
        list_publish(actor=users["clerk"], zone_id=zone.pk, title="一", document="")
    assert (ListVersion.objects.count(), AuditEvent.objects.count()) == before


def test_clerk_cannot_edit_items_and_nothing_changes(zone, users, add_item):
    item = add_item("Y001")
    with pytest.raises(PermissionDenied):
        item_update(actor=users["clerk"], item_id=item.pk, changes={"committed_limit": 1}, reason="x")
    item.refresh_from_db()
    assert item.committed_limit == 10


@pytest.fixture
def delegation(zone, users, add_item, bodies):
    batch = batch_create(
        actor=users["admin"],
        zone_id=zone.pk,
        number=1,
        title="第一批赋权",
        document_number="永政发〔2021〕12号",
        issued_on=dt.date(2021, 5, 1),
    )
    item = add_item("Y001")
    return delegation_propose(
        actor=users["admin"],
        batch_id=batch.pk,
        item_id=item.pk,
        form="entrust",
        original_department="永昌县住房和城乡建设局",
        receiving_body_id=bodies["economy"].pk,
    )


def test_delegation_pipeline_legal_path_with_every_step_audited(zone, users, delegation):
    leader = users["leader"]
    delegation_transition(actor=leader, delegation_id=delegation.pk, to="issued", on=dt.date(2021, 5, 10))
    with pytest.raises(TransitionNotAllowed, match="承接前须确认人员培训和窗口就绪已完成"):
        delegation_transition(actor=leader, delegation_id=delegation.pk, to="taken_over")
    with pytest.raises(TransitionNotAllowed, match="窗口就绪"):
        delegation_transition(actor=leader, delegation_id=delegation.pk, to="taken_over", staff_trained=True)
    delegation_transition(
        actor=leader,
        delegation_id=delegation.pk,
        to="taken_over",
        staff_trained=True,
        window_ready=True,
        on=dt.date(2021, 6, 1),
    )
    d = delegation_transition(actor=leader, delegation_id=delegation.pk, to="operating", on=dt.date(2021, 6, 15))
    assert (d.status, d.issued_on, d.taken_over_on, d.operating_on, d.effective_on) == (
        "operating",
        dt.date(2021, 5, 10),
        dt.date(2021, 6, 1),
        dt.date(2021, 6, 15),
        dt.date(2021, 6, 15),
    )
    assert d.staff_trained and d.window_ready
    d = delegation_transition(actor=leader, delegation_id=delegation.pk, to="withdrawn", on=dt.date(2023, 1, 1))
    assert d.withdrawn_on == dt.date(2023, 1, 1)
    actions = list(
        AuditEvent.objects.filter(object_type="powers.delegation", object_id=str(d.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "powers.delegation.propose",
        "powers.delegation.issued",
        "powers.delegation.taken_over",
        "powers.delegation.operating",
        "powers.delegation.withdrawn",
    ]


@pytest.mark.parametrize(
    ("start", "to"),
    [(s, t) for s in Delegation.Status.values for t in Delegation.Status.values if t not in DELEGATION_TRANSITIONS[s]],
)
def test_every_illegal_transition_is_refused(zone, users, delegation, start, to):
    Delegation.objects.filter(pk=delegation.pk).update(status=start, staff_trained=True, window_ready=True)
    with pytest.raises(TransitionNotAllowed, match="不能转为"):
        delegation_transition(actor=users["admin"], delegation_id=delegation.pk, to=to)
    delegation.refresh_from_db()
    assert delegation.status == start


def test_clerk_cannot_move_a_delegation(zone, users, delegation):
    with pytest.raises(PermissionDenied):
        delegation_transition(actor=users["clerk"], delegation_id=delegation.pk, to="issued")
    delegation.refresh_from_db()
    assert delegation.status == "proposed"
