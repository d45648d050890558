import datetime as dt

import pytest

from onezone.core.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.personnel.models import EmploymentContract, PostGradePay
from onezone.personnel.selectors import contracts_expiring, post_pay_on
from onezone.personnel.services import (
    contract_activate,
    contract_create,
    contract_renew,
    contract_terminate,
    contracts_expire_due,
)

pytestmark = pytest.mark.django_db
D = dt.date
START = D(2024, 1, 1)
END = D(2026, 12, 31)


def _contract(hr, staff, name="乙科员", number="HT-1", start=START, end=END, **kw):
    person = staff["people"][name]
    return contract_create(
        actor=hr, person=person, post=staff["posts"]["clerk"], number=number, start=start, end=end, **kw
    )


def test_draft_activate_renew_terminate(zone, users, staff):
    hr = users["hr_officer"]
    contract = _contract(hr, staff, probation_months=3)
    assert contract.status == "draft"
    contract = contract_activate(actor=hr, contract=contract)
    assert contract.status == "active"
    renewal = contract_renew(actor=hr, contract=contract, end=D(2029, 12, 31), number="HT-2")
    contract.refresh_from_db()
    assert contract.status == "renewed"
    assert renewal.status == "active" and renewal.previous == contract
    assert renewal.start == D(2027, 1, 1) and renewal.probation_months == 0
    ended = contract_terminate(actor=hr, contract=renewal, on=D(2028, 3, 31), reason="本人申请辞聘")
    assert (ended.status, ended.terminated_on, ended.termination_reason) == (
        "terminated",
        D(2028, 3, 31),
        "本人申请辞聘",
    )
    with pytest.raises(TransitionNotAllowed, match="当前为“已解除”，不能改为“已续订”"):
        contract_renew(actor=hr, contract=ended, end=D(2031, 1, 1), number="HT-3")
    actions = list(
        AuditEvent.objects.filter(object_type="personnel.employmentcontract").values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        ["contract.create", "contract.activate", "contract.renew", "contract.create_renewal", "contract.terminate"]
    )


def test_terms_are_checked(zone, users, staff):
    hr = users["hr_officer"]
    with pytest.raises(InvalidInput, match="固定期限合同必须填写终止日期"):
        _contract(hr, staff, end=None)
    with pytest.raises(InvalidInput, match="无固定期限合同不填终止日期"):
        _contract(hr, staff, term_type="open_ended")
    with pytest.raises(InvalidInput, match="不能早于起始日期"):
        _contract(hr, staff, end=D(2023, 1, 1))
    with pytest.raises(InvalidInput, match="试用期应为 0 至 6 个月"):
        _contract(hr, staff, probation_months=7)
    open_ended = _contract(hr, staff, term_type="open_ended", end=None)
    assert open_ended.end is None
    assert EmploymentContract.objects.count() == 1


def test_active_contracts_of_a_person_cannot_overlap(zone, users, staff):
    hr = users["hr_officer"]
    contract_activate(actor=hr, contract=_contract(hr, staff))
    with pytest.raises(Conflict, match=r"已有履行中的合同“HT-1”.*期间重叠"):
        _contract(hr, staff, number="HT-9", start=D(2026, 6, 1), end=D(2028, 5, 31))
    # a draft may be prepared for after the end, and another person is unaffected
    later = _contract(hr, staff, number="HT-9", start=D(2027, 1, 1), end=D(2028, 12, 31))
    other = _contract(hr, staff, name="丙科员", number="HT-10")
    contract_activate(actor=hr, contract=other)
    assert later.status == "draft"
    with pytest.raises(Conflict):
        _contract(hr, staff, number="HT-1", name="丁科员")  # number already used


def test_activation_refuses_overlap_with_an_active_one(zone, users, staff):
    hr = users["hr_officer"]
    first = _contract(hr, staff, number="A", start=D(2024, 1, 1), end=D(2026, 12, 31))
    second = _contract(hr, staff, number="B", start=D(2025, 1, 1), end=D(2027, 12, 31))
    contract_activate(actor=hr, contract=first)
    with pytest.raises(Conflict, match="期间重叠"):
        contract_activate(actor=hr, contract=second)
    second.refresh_from_db()
    assert second.status == "draft"


def test_only_hr_writes_contracts_and_nothing_changes(zone, users, staff):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="人事专员"):
        _contract(users["clerk"], staff)
    assert EmploymentContract.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_expiring_list_and_sweep(zone, users, staff):
    hr = users["hr_officer"]
    soon = contract_activate(actor=hr, contract=_contract(hr, staff, number="S", end=D(2026, 12, 20)))
    contract_activate(actor=hr, contract=_contract(hr, staff, name="丙科员", number="L", end=D(2027, 6, 30)))
    past = contract_activate(actor=hr, contract=_contract(hr, staff, name="丁科员", number="P", end=D(2026, 10, 31)))
    today = D(2026, 11, 1)
    assert [c.number for c in contracts_expiring(zone.pk, today=today)] == ["S"]
    assert [c.number for c in contracts_expiring(zone.pk, today=today, days=365)] == ["S", "L"]
    assert contracts_expire_due(today=today) == 1
    assert contracts_expire_due(today=today) == 0  # idempotent
    past.refresh_from_db()
    soon.refresh_from_db()
    assert (past.status, soon.status) == ("expired", "active")


def test_pay_follows_the_post_held_on_a_date(zone, users, staff):
    from onezone.org.models import Appointment

    person = staff["people"]["乙科员"]
    first = Appointment.objects.get(person=person)
    first.end = D(2025, 6, 30)
    first.save()
    Appointment.objects.create(zone=zone, person=person, post=staff["posts"]["head"], start=D(2025, 7, 1))
    PostGradePay.objects.create(
        zone=zone, category="management", grade="股级", base_pay=5600, effective_from=D(2026, 1, 1)
    )
    assert post_pay_on(person, D(2020, 1, 1)) is None
    on_old = post_pay_on(person, D(2025, 6, 30))
    assert (on_old.post.title, on_old.base_pay) == ("科员", 4300)
    on_new = post_pay_on(person, D(2025, 7, 1))
    assert (on_new.post.title, on_new.base_pay) == ("主任", 5200)
    assert post_pay_on(person, D(2026, 1, 1)).base_pay == 5600


def test_expiring_selector_query_count_is_fixed(zone, users, staff, django_assert_num_queries):
    hr = users["hr_officer"]
    for i, name in enumerate(["乙科员", "丙科员", "丁科员"]):
        contract_activate(actor=hr, contract=_contract(hr, staff, name=name, number=f"N{i}", end=D(2026, 12, 1)))
    with django_assert_num_queries(1):
        rows = [(c.person.name, c.post.body.name) for c in contracts_expiring(zone.pk, today=D(2026, 11, 1), days=60)]
    assert len(rows) == 3
