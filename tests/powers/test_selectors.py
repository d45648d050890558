"""The contract with the service window: item_terms_in_force and items_in_force."""

from __future__ import annotations

import datetime as dt

import pytest

from onezone.core.errors import NotFound
from onezone.powers.selectors import ItemTerms, MaterialTerms, item_terms_in_force, items_in_force, public_items
from onezone.powers.services import item_revoke, item_suspend, item_update, list_publish

pytestmark = pytest.mark.django_db


def test_terms_of_the_live_item_before_any_version(zone, add_item, bodies):
    item = add_item("Y001", joint_handling=True, legal_limit=45, committed_limit=30, special_procedures=["hearing"])
    terms = item_terms_in_force(zone_id=zone.pk, item_id=item.pk, on=dt.date(2024, 6, 1))
    assert isinstance(terms, ItemTerms)
    assert terms.version_id is None
    assert terms.code == "Y001"
    assert terms.category == "licensing"
    assert terms.category_label == "行政许可"
    assert terms.implementing_body_id == bodies["service"].pk
    assert terms.implementing_body_name == "政务服务中心"
    assert (terms.legal_limit, terms.legal_unit, terms.committed_limit, terms.committed_unit) == (
        45,
        "working",
        30,
        "working",
    )
    assert terms.joint is True
    assert terms.is_instant is False
    assert terms.special_procedures == ("hearing",)
    assert [m.name for m in terms.materials] == ["申请书", "营业执照复印件", "授权委托书"]
    assert [m.required for m in terms.materials] == [True, True, False]
    assert isinstance(terms.materials[0], MaterialTerms)
    assert terms.materials[0].standard == "签字盖章"
    assert terms.fee_note == "不收费"
    assert terms.place == "园区政务服务中心1号窗口"
    assert terms.visits == 1


def test_item_not_yet_added_on_the_date_is_not_in_force(zone, add_item):
    item = add_item("Y001", effective_on=dt.date(2024, 1, 1))
    with pytest.raises(NotFound, match="2023年12月31日不在本开发区施行的清单中"):
        item_terms_in_force(zone_id=zone.pk, item_id=item.pk, on=dt.date(2023, 12, 31))


def test_terms_come_from_the_version_in_force_on_the_date(zone, users, add_item):
    item = add_item("Y001", committed_limit=10)
    v1 = list_publish(
        actor=users["leader"], zone_id=zone.pk, title="第一版", document="v1", effective_on=dt.date(2025, 1, 1)
    )
    item_update(actor=users["admin"], item_id=item.pk, changes={"committed_limit": 5}, reason="提速")
    v2 = list_publish(
        actor=users["leader"], zone_id=zone.pk, title="第二版", document="v2", effective_on=dt.date(2026, 3, 1)
    )
    before_v1 = item_terms_in_force(zone_id=zone.pk, item_id=item.pk, on=dt.date(2024, 12, 31))
    assert (before_v1.version_id, before_v1.committed_limit) == (None, 5)  # the live item
    on_v1 = item_terms_in_force(zone_id=zone.pk, item_id=item.pk, on=dt.date(2026, 2, 28))
    assert (on_v1.version_id, on_v1.committed_limit) == (v1.pk, 10)
    on_v2 = item_terms_in_force(zone_id=zone.pk, item_id=item.pk, on=dt.date(2026, 3, 1))
    assert (on_v2.version_id, on_v2.committed_limit) == (v2.pk, 5)


def test_item_added_after_the_version_is_not_in_force_until_published(zone, users, add_item):
    add_item("Y001")
    list_publish(actor=users["leader"], zone_id=zone.pk, title="一", document="", effective_on=dt.date(2025, 1, 1))
    late = add_item("Y002", effective_on=dt.date(2025, 2, 1))
    with pytest.raises(NotFound):
        item_terms_in_force(zone_id=zone.pk, item_id=late.pk, on=dt.date(2025, 3, 1))


@pytest.mark.parametrize("withdraw", [item_suspend, item_revoke])
def test_suspended_or_revoked_items_are_not_in_force_from_their_date(zone, users, add_item, withdraw):
    item = add_item("Y001")
    other = add_item("Y002")
    list_publish(actor=users["leader"], zone_id=zone.pk, title="一", document="", effective_on=dt.date(2025, 1, 1))
    withdraw(actor=users["admin"], item_id=item.pk, reason="暂停承接", effective_on=dt.date(2025, 6, 1))
    assert item_terms_in_force(zone_id=zone.pk, item_id=item.pk, on=dt.date(2025, 5, 31)).code == "Y001"
    with pytest.raises(NotFound, match="已暂停或已取消"):
        item_terms_in_force(zone_id=zone.pk, item_id=item.pk, on=dt.date(2025, 6, 1))
    codes = [t.code for t in items_in_force(zone_id=zone.pk, on=dt.date(2025, 6, 1))]
    assert codes == ["Y002"]
    assert other.pk


@pytest.mark.parametrize("withdraw", [item_suspend, item_revoke])
def test_public_list_leaves_out_items_withdrawn_by_the_date_and_counts_the_rest(
    zone, users, add_item, withdraw, django_assert_num_queries
):
    items = [add_item(f"Y{n:03d}", materials=[]) for n in range(7)]
    list_publish(actor=users["leader"], zone_id=zone.pk, title="一", document="", effective_on=dt.date(2025, 1, 1))
    for item in items[1:3]:
        withdraw(actor=users["admin"], item_id=item.pk, reason="暂停承接", effective_on=dt.date(2025, 6, 1))
    before = public_items(zone_id=zone.pk, on=dt.date(2025, 5, 31), per_page=5)
    assert (before.page.paginator.count, [r.code for r in before.rows]) == (7, [f"Y{n:03d}" for n in range(5)])
    with django_assert_num_queries(3):  # the version, the count without the withdrawn items, the page
        after = public_items(zone_id=zone.pk, on=dt.date(2025, 6, 1), per_page=3, page=2)
        assert (after.page.paginator.count, after.page.paginator.num_pages) == (5, 2)
        assert [r.code for r in after.rows] == ["Y005", "Y006"]
    assert [t.code for t in items_in_force(zone_id=zone.pk, on=dt.date(2025, 6, 1))] == [
        "Y000",
        "Y003",
        "Y004",
        "Y005",
        "Y006",
    ]


def test_other_zone_cannot_see_the_item(zone, other_zone, add_item):
    item = add_item("Y001")
    with pytest.raises(NotFound):
        item_terms_in_force(zone_id=other_zone.pk, item_id=item.pk, on=dt.date(2025, 1, 1))


def test_desk_search_by_name_or_code_and_category(zone, users, add_item):
    add_item("Y001", name="建筑工程施工许可证核发")
    add_item("Y002", name="取水许可")
    add_item("Y003", name="对安全生产违法行为的处罚", category="penalty", legal_limit=90, committed_limit=60)
    list_publish(actor=users["leader"], zone_id=zone.pk, title="一", document="", effective_on=dt.date(2025, 1, 1))
    on = dt.date(2025, 2, 1)
    assert [t.code for t in items_in_force(zone_id=zone.pk, on=on, query="许可")] == ["Y001", "Y002"]
    assert [t.name for t in items_in_force(zone_id=zone.pk, on=on, query="Y002")] == ["取水许可"]
    assert [t.code for t in items_in_force(zone_id=zone.pk, on=on, category="penalty")] == ["Y003"]
    assert len(items_in_force(zone_id=zone.pk, on=on)) == 3


def test_desk_search_returns_at_most_fifty(zone, users, add_item):
    for n in range(55):
        add_item(f"Z{n:03d}", materials=[])
    assert len(items_in_force(zone_id=zone.pk, on=dt.date(2025, 1, 1), query="事项")) == 50


def test_public_list_query_count_does_not_grow_with_page_size(zone, users, add_item, django_assert_num_queries):
    for n in range(30):
        add_item(f"Z{n:03d}", materials=[])
    list_publish(actor=users["leader"], zone_id=zone.pk, title="一", document="", effective_on=dt.date(2025, 1, 1))
    for per_page in (5, 25):
        with django_assert_num_queries(2):  # the version (counted when published) and the page
            result = public_items(zone_id=zone.pk, on=dt.date(2025, 2, 1), per_page=per_page)
            assert len(result.rows) == per_page
            assert result.page.paginator.count == 30
    with django_assert_num_queries(3):
        result = public_items(zone_id=zone.pk, on=dt.date(2025, 2, 1), query="Z01", per_page=20)
        assert [r.code for r in result.rows] == [f"Z01{n}" for n in range(10)]


def test_public_list_before_any_version_reads_the_live_items_the_same_way_filtered_or_not(
    zone, users, add_item, django_assert_num_queries
):
    from onezone.powers.services import item_suspend

    items = [add_item(f"L{n:03d}", materials=[]) for n in range(6)]
    item_suspend(actor=users["admin"], item_id=items[1].pk, reason="暂停承接", effective_on=dt.date(2025, 6, 1))
    on = dt.date(2025, 6, 2)
    with django_assert_num_queries(3):  # no version, the count, the page
        plain = public_items(zone_id=zone.pk, on=on, per_page=2, page=2)
    assert plain.version is None
    assert (plain.page.paginator.count, [r.code for r in plain.rows]) == (5, ["L003", "L004"])
    searched = public_items(zone_id=zone.pk, on=on, query="L00", per_page=2, page=2)
    assert (searched.page.paginator.count, searched.rows) == (5, plain.rows)
    assert plain.rows[0].body_name == searched.rows[0].body_name
    assert public_items(zone_id=zone.pk, on=dt.date(2025, 5, 31), per_page=10).page.paginator.count == 6
