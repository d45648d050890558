"""Law at the desk: only applied-for items are received and have an application guide; the rating form
starts with no level chosen. (Art. 34's second reviewer: tests/window/test_services.py.)"""

import datetime as dt
import re

import pytest
from django.test import Client

from onezone.core.errors import InvalidInput
from onezone.powers.rules import APPLIED_FOR, NOT_APPLIED_FOR, applied_for_problem, is_applied_for
from onezone.window import services as svc
from onezone.window.models import Case
from tests.window.conftest import ENTERPRISE, closed_instant_case

pytestmark = pytest.mark.django_db
D = dt.date


def test_which_categories_are_applied_for():
    from onezone.powers.models import Category

    assert set(Category.values) == APPLIED_FOR | NOT_APPLIED_FOR
    assert not APPLIED_FOR & NOT_APPLIED_FOR
    assert [c for c in Category.values if not is_applied_for(c)] == ["penalty", "coercion", "levy", "inspection"]
    assert applied_for_problem("licensing", "x") is None
    assert "依职权" in applied_for_problem("inspection", "对企业的安全检查")


def test_a_penalty_item_is_not_received_at_the_window(zone, staff, penalty):
    with pytest.raises(InvalidInput, match="依职权"):
        svc.case_receive(actor=staff["clerk"], zone_id=zone.pk, item_id=penalty.pk, applicant=ENTERPRISE)
    assert Case.objects.count() == 0


def test_the_desk_search_offers_only_applied_for_items(zone, staff, items, penalty):
    client = Client()
    client.force_login(staff["clerk"])
    page = client.get("/desk/window/?q=行政处罚").content.decode()
    assert "对未批先建的行政处罚" not in page
    page = client.get("/desk/window/?q=环境影响").content.decode()
    assert "建设项目环境影响评价审批" in page


def test_the_public_guide_of_a_penalty_lists_its_basis_without_application_guide(zone, items, penalty):
    client = Client()
    page = client.get(f"/portal/powers/items/{penalty.pk}/?zone={zone.code}").content.decode()
    assert "环境影响评价法》第三十一条" in page and 'id="not-applied-for"' in page
    assert "受理条件" not in page and "申请材料" not in page and "不应显示的材料" not in page
    page = client.get(f"/portal/powers/items/{items['promised'].pk}/?zone={zone.code}").content.decode()
    assert "受理条件" in page and "申请材料（3）" in page and 'id="not-applied-for"' not in page


def test_the_rating_form_starts_with_no_level_chosen(zone, staff, items, material_ids):
    case = closed_instant_case(staff, zone, items, material_ids, D(2026, 10, 9))
    page = Client().post("/portal/window/lookup/", {"number": case.number, "code": case.query_code}).content.decode()
    radios = re.findall(r'<input type="radio" name="level"[^>]*>', page)
    assert len(radios) == 5
    assert not any("checked" in r for r in radios)
