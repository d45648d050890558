import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from onezone.core.models import AuditEvent
from onezone.enterprises.models import Enterprise, EnterpriseContact, EnterpriseMember, EnterpriseYear
from onezone.enterprises.selectors import (
    enterprise_by_uscc,
    enterprise_figures,
    enterprise_get,
    enterprise_of_user,
    enterprises_list,
    industry_name,
)
from onezone.enterprises.services import (
    contact_add,
    contact_reveal,
    enterprise_register,
    enterprise_update,
    enterprise_year_save,
    member_link,
)
from onezone.zones.selectors import industry_fits_park
from tests.conftest import make_user
from tests.enterprises.conftest import uscc

pytestmark = pytest.mark.django_db


def test_register_normalises_and_audits(setup, users, parks):
    before = AuditEvent.objects.count()
    e = enterprise_register(
        actor=users["investment_officer"],
        zone_id=setup.pk,
        uscc=" " + uscc(42).lower() + " ",
        name=" 金昌某新材料有限公司 ",
        industry_code="3211",
        park=parks["hexipu"],
        registered_capital="12345678.9",
        tags=["专精特新", "hightech"],
    )
    assert e.uscc == uscc(42)
    assert e.name == "金昌某新材料有限公司"
    assert e.industry_code == "C3211"
    assert e.registered_capital == Decimal("12345678.90")
    assert sorted(t.name for t in e.tags.all()) == ["专精特新", "高新技术企业"]
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.first().action == "enterprises.enterprise.register"


def test_invalid_uscc_is_refused_with_the_check_character(setup, users, parks):
    bad = uscc(7)[:17] + ("0" if uscc(7)[17] != "0" else "1")
    with pytest.raises(InvalidInput) as err:
        enterprise_register(
            actor=users["admin"], zone_id=setup.pk, uscc=bad, name="某公司", industry_code="C32", park=parks["hexipu"]
        )
    assert f"第18位校验码应为“{uscc(7)[17]}”" in err.value.message
    assert "uscc" in err.value.fields
    assert Enterprise.objects.count() == 0


def test_duplicate_uscc_is_refused_with_the_registered_name(firms, users, parks):
    with pytest.raises(Conflict) as err:
        enterprise_register(
            actor=users["admin"],
            zone_id=firms["a"].zone_id,
            uscc=uscc(1),
            name="另一个名字",
            industry_code="C32",
            park=parks["hexipu"],
        )
    assert err.value.message == (
        f"统一社会信用代码 {uscc(1)} 已登记为“金昌甲新材料有限公司”，同一企业不能重复登记；如需修改请打开该企业的记录。"
    )
    assert Enterprise.objects.count() == 3


def test_same_uscc_may_be_registered_in_another_zone(firms, other_zone, root):
    from onezone.zones.services import park_create

    park = park_create(
        actor=root,
        zone=other_zone,
        name="另一园",
        code="p",
        planned_area_km2=Decimal(1),
        built_area_km2=Decimal(0),
        industry_codes=[],
    )
    e = enterprise_register(
        actor=root, zone_id=other_zone.pk, uscc=uscc(1), name="甲分支", industry_code="C32", park=park
    )
    assert e.zone_id == other_zone.pk


def test_update_to_a_registered_uscc_is_refused(firms, users):
    with pytest.raises(Conflict):
        enterprise_update(actor=users["admin"], enterprise=firms["b"], uscc=uscc(1))
    firms["b"].refresh_from_db()
    assert firms["b"].uscc == uscc(2)


def test_unknown_industry_and_foreign_park_are_refused(setup, users, parks, other_zone, root):
    with pytest.raises(InvalidInput, match="不在国民经济行业分类"):
        enterprise_register(
            actor=users["admin"], zone_id=setup.pk, uscc=uscc(9), name="某", industry_code="Z99", park=parks["hexipu"]
        )
    from onezone.zones.models import Park

    foreign = Park.objects.create(
        zone=other_zone, name="外园", code="x", planned_area_km2=Decimal(1), built_area_km2=Decimal(0)
    )
    with pytest.raises(InvalidInput, match="不属于本开发区"):
        enterprise_register(
            actor=users["admin"], zone_id=setup.pk, uscc=uscc(9), name="某", industry_code="C32", park=foreign
        )


def test_clerk_may_not_register_and_nothing_changes(setup, users, parks):
    before = (Enterprise.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied):
        enterprise_register(
            actor=users["clerk"], zone_id=setup.pk, uscc=uscc(9), name="某", industry_code="C32", park=parks["hexipu"]
        )
    assert (Enterprise.objects.count(), AuditEvent.objects.count()) == before


def test_fit_flag_matches_the_park_rule(firms):
    rows = {e.name: e.fits_park for e in enterprises_list(zone_id=firms["a"].zone_id).items}
    assert rows == {"金昌甲新材料有限公司": True, "永昌乙食品有限公司": False, "东寨丙塑业有限公司": True}
    for e in Enterprise.objects.select_related("park"):
        assert industry_fits_park(park=e.park, industry_code=e.industry_code) == rows[e.name]
    misfits = enterprises_list(zone_id=firms["a"].zone_id, misfit=True)
    assert [e.name for e in misfits.items] == ["永昌乙食品有限公司"]
    assert enterprise_get(zone_id=firms["a"].zone_id, enterprise_id=firms["b"].pk).fits_park is False


def test_park_without_leading_industries_fits_everything(setup, users, root):
    from onezone.zones.services import park_create

    park = park_create(
        actor=root,
        zone=setup,
        name="综合园",
        code="general",
        planned_area_km2=Decimal(1),
        built_area_km2=Decimal(0),
        industry_codes=[],
    )
    e = enterprise_register(
        actor=users["admin"], zone_id=setup.pk, uscc=uscc(50), name="某", industry_code="C1351", park=park
    )
    assert enterprise_get(zone_id=setup.pk, enterprise_id=e.pk).fits_park is True


def test_list_filters(firms, parks):
    zone_id = firms["a"].zone_id
    names = lambda page: [e.name for e in page.items]  # noqa: E731
    assert names(enterprises_list(zone_id=zone_id, park_id=parks["dongzhai"].pk)) == ["东寨丙塑业有限公司"]
    assert names(enterprises_list(zone_id=zone_id, size="above")) == ["金昌甲新材料有限公司"]
    assert names(enterprises_list(zone_id=zone_id, tag="专精特新")) == ["东寨丙塑业有限公司", "金昌甲新材料有限公司"]
    assert names(enterprises_list(zone_id=zone_id, industry="C13")) == ["永昌乙食品有限公司"]
    assert names(enterprises_list(zone_id=zone_id, q="丙塑")) == ["东寨丙塑业有限公司"]
    assert enterprises_list(zone_id=zone_id, per_page=2).pages == 2


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow_with_page_size(setup, users, parks, django_assert_num_queries, count):
    for i in range(count):
        enterprise_register(
            actor=users["admin"],
            zone_id=setup.pk,
            uscc=uscc(100 + i),
            name=f"企业{i:03d}",
            industry_code="C32",
            park=parks["hexipu"],
            tags=["专精特新"],
        )
    with django_assert_num_queries(3):
        page = enterprises_list(zone_id=setup.pk, per_page=50)
        assert len(page.items) == count
        assert page.items[0].tag_names == ["专精特新"]
        assert page.items[0].park.name == "河西堡工业园"


def test_lookups_by_uscc_and_user(firms, other_zone):
    zone_id = firms["a"].zone_id
    assert enterprise_by_uscc(zone_id=zone_id, uscc=uscc(2).lower()) == firms["b"]
    assert enterprise_by_uscc(zone_id=other_zone.pk, uscc=uscc(2)) is None
    assert enterprise_of_user(firms["user_a"]) == firms["a"]
    assert enterprise_of_user(firms["user_a"], zone_id=other_zone.pk) is None


def test_member_needs_the_enterprise_role_and_one_enterprise(firms, users):
    staff_user = make_user("not-enterprise", zone=firms["a"].zone, role=None)
    with pytest.raises(InvalidInput, match="没有“企业用户”角色"):
        member_link(actor=users["admin"], user=staff_user, enterprise=firms["a"])
    with pytest.raises(Conflict, match="已关联企业“金昌甲新材料有限公司”"):
        member_link(actor=users["admin"], user=firms["user_a"], enterprise=firms["b"])
    assert EnterpriseMember.objects.count() == 2


def test_yearly_figures_one_row_per_year_and_totals(firms, users):
    admin = users["admin"]
    enterprise_year_save(
        actor=admin,
        enterprise=firms["a"],
        year=2025,
        output_value="100000000",
        tax=5000000,
        employees=300,
        energy_tce="1200.5",
    )
    enterprise_year_save(actor=admin, enterprise=firms["a"], year=2025, output_value="120000000")
    enterprise_year_save(actor=admin, enterprise=firms["b"], year=2025, output_value="30000000", employees=40)
    enterprise_year_save(actor=admin, enterprise=firms["b"], year=2024, output_value="1")
    assert EnterpriseYear.objects.count() == 3
    figures = enterprise_figures(zone_id=firms["a"].zone_id, year=2025)
    assert figures.enterprises == 3
    assert figures.by_size == {"规上": 1, "规下": 2}
    assert figures.by_tag == {"专精特新": 2, "高新技术企业": 1}
    assert figures.by_park == {"东寨工业园": 1, "河西堡工业园": 2}
    assert figures.misfit == 1
    assert figures.reporting == 2
    assert figures.output_value == Decimal("150000000")
    assert figures.tax == Decimal("5000000")
    assert figures.employees == 340
    assert figures.energy_tce == Decimal("1200.5")


def test_contacts_are_masked_and_a_full_view_is_audited(firms, users):
    contact = contact_add(
        actor=users["admin"],
        enterprise=firms["a"],
        name="王经理",
        role="总经理",
        mobile="139 0935 0001",
        id_number="11010519491231002x",
        is_primary=True,
    )
    assert contact.mobile_masked == "139****0001"
    assert contact.id_number_masked == "110105********002X"
    audit = AuditEvent.objects.first()
    assert "13909350001" not in str(audit.changes)
    full = contact_reveal(actor=users["clerk"], contact=contact)
    assert full == {"name": "王经理", "mobile": "13909350001", "id_number": "11010519491231002X"}
    assert AuditEvent.objects.first().action == "enterprises.contact.view_personal_data"
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        contact_reveal(actor=firms["user_a"], contact=contact)
    assert AuditEvent.objects.count() == before


def test_contact_with_bad_mobile_is_refused(firms, users):
    with pytest.raises(InvalidInput) as err:
        contact_add(actor=users["admin"], enterprise=firms["a"], name="某", mobile="0935-123456")
    assert "mobile" in err.value.fields
    assert EnterpriseContact.objects.count() == 0


def test_enterprise_get_in_another_zone_is_not_found(firms, other_zone):
    with pytest.raises(NotFound):
        enterprise_get(zone_id=other_zone.pk, enterprise_id=firms["a"].pk)


def test_industry_name(zone):
    assert industry_name("C2614") == "有机化学原料制造"
    assert industry_name("C26149") == "有机化学原料制造"
    assert industry_name("C3299") == "有色金属冶炼和压延加工业"


def test_dates_are_dates(firms, users):
    e = enterprise_update(actor=users["admin"], enterprise=firms["a"], established=dt.date(2015, 6, 1))
    assert e.established == dt.date(2015, 6, 1)
