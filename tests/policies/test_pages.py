"""Portal pages, back-office pages and the API."""

import pytest
from django.test import Client

from onezone.core.money import format_amount
from onezone.core.portal_links import links
from onezone.policies.models import GrantStatus, PolicyGrant, PolicyNotice
from onezone.policies.services import policy_match_run
from tests.policies.conftest import ON

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(zone, users, enterprises, policies, members):
    policy_match_run(actor=users["dept_head"], zone_id=zone.pk, on=ON)
    return {g.enterprise.name: g for g in PolicyGrant.objects.select_related("enterprise")}


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- public ---------------------------------------------------------------------------------


def test_public_list_needs_no_login_and_searches(zone, policies):
    page = _client().get("/portal/policies/", {"zone": zone.code})
    assert page.status_code == 200
    text = page.content.decode()
    for title in ("规上工业企业奖励", "专精特新企业奖励", "稳岗补贴", "新能源项目用电补贴", "研发投入后补助"):
        assert title in text
    assert text.count("免申即享</span>") == 2
    found = _client().get("/portal/policies/", {"zone": zone.code, "q": "补贴"}).content.decode()
    assert "稳岗补贴" in found and "新能源项目用电补贴" in found and "专精特新企业奖励" not in found
    none = _client().get("/portal/policies/", {"zone": zone.code, "q": "不存在的"}).content.decode()
    assert "没有找到与“不存在的”相关的政策" in none


def test_public_detail_reads_the_conditions(zone, policies):
    page = _client().get(f"/portal/policies/{policies['scale'].pk}/", {"zone": zone.code})
    text = page.content.decode()
    assert "企业规模为规模以上工业企业" in text
    assert "2025年纳税额 ≥ 300万元" in text


def test_drafts_are_not_public(zone, users):
    from onezone.policies.models import Policy
    from onezone.policies.services import policy_save

    draft = policy_save(
        actor=users["dept_head"], policy=Policy(zone=zone, title="草稿", issuer="管委会", valid_from=ON)
    )
    assert _client().get(f"/portal/policies/{draft.pk}/", {"zone": zone.code}).status_code == 404
    assert "草稿" not in _client().get("/portal/policies/", {"zone": zone.code}).content.decode()


def test_front_page_links_to_the_policies():
    assert any(link.url_name == "policies:list" for link in links())


# --- the enterprise in the portal -----------------------------------------------------------


def test_my_policies_asks_for_a_login(matched):
    response = _client().get("/portal/policies/mine/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_enterprise_sees_its_own_grants_notices_and_policies(matched, members):
    text = _client(members["jinhua"]).get("/portal/policies/mine/").content.decode()
    assert "金化科技 · 惠企政策" in text
    assert "6.00万元" in text  # its 稳岗补贴
    assert "10.00万元" not in text  # 永新材料's grant is not shown
    assert "贵企业符合《稳岗补贴》的条件" in text
    assert "2025年研发投入强度 3.20% ≥ 3% ✓" in text


def test_enterprise_confirms_its_grant_in_the_portal(matched, members):
    grant = matched["金化科技"]
    client = _client(members["jinhua"])
    page = client.get(f"/portal/policies/grants/{grant.pk}/")
    assert page.status_code == 200 and "确认领取" in page.content.decode()
    response = client.post(f"/portal/policies/grants/{grant.pk}/", {"action": "confirm"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CONFIRMED
    assert "已确认，园区将按程序拨付资金" in client.get(response["Location"]).content.decode()


def test_declining_without_reason_says_so_and_changes_nothing(matched, members):
    grant = matched["金化科技"]
    response = _client(members["jinhua"]).post(f"/portal/policies/grants/{grant.pk}/", {"action": "decline"})
    assert response.status_code == 400
    assert "请填写放弃原因" in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PROPOSED


def test_another_enterprises_grant_and_notice_are_404_and_unchanged(matched, members, enterprises):
    grant = matched["金化科技"]
    client = _client(members["yongxin"])
    assert client.get(f"/portal/policies/grants/{grant.pk}/").status_code == 404
    assert client.post(f"/portal/policies/grants/{grant.pk}/", {"action": "confirm"}).status_code == 404
    notice = PolicyNotice.objects.filter(enterprise=enterprises["jinhua"]).first()
    assert client.get(f"/portal/policies/notices/{notice.pk}/").status_code == 404
    grant.refresh_from_db()
    notice.refresh_from_db()
    assert (grant.status, grant.confirmed_at, notice.read_at) == (GrantStatus.PROPOSED, None, None)


def test_reading_a_notice_marks_it_read(matched, members, enterprises):
    notice = PolicyNotice.objects.filter(enterprise=enterprises["jinhua"], policy__title="稳岗补贴").get()
    page = _client(members["jinhua"]).get(f"/portal/policies/notices/{notice.pk}/")
    assert "查看免申即享兑现" in page.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_enterprise_portal_section_lists_grants_and_policies(matched, members, enterprises):
    from django.test import RequestFactory

    from onezone.enterprises.portal_sections import sections

    request = RequestFactory().get("/")
    request.user = members["jinhua"]
    section = next(s for s in sections(request, enterprises["jinhua"]) if s.title == "惠企政策")
    assert [row[0][0] for row in section.rows] == ["稳岗补贴", "研发投入后补助", "规上工业企业奖励"]
    assert section.rows[0][1] == "免申即享 " + format_amount(matched["金化科技"].amount)


# --- back office ----------------------------------------------------------------------------


def test_staff_see_the_qualifying_enterprises_with_reasons(matched, users, policies):
    text = _client(users["clerk"]).get(f"/admin/policies/policy/{policies['scale'].pk}/matches/").content.decode()
    assert 'id="qualified-count">2<' in text
    assert "永新材料" in text and "金化科技" in text and "祁连食品" not in text
    assert "2025年纳税额 320.00万元 ≥ 300万元 ✓" in text
    everyone = _client(users["clerk"]).get(f"/admin/policies/policy/{policies['scale'].pk}/matches/?all=1")
    assert "2025年纳税额 150.00万元 &lt; 300万元" in everyone.content.decode()


def test_staff_see_the_policies_of_one_enterprise(matched, users, enterprises):
    response = _client(users["clerk"]).get(
        "/admin/policies/policy/by-enterprise/", {"enterprise": enterprises["dongzhai"].pk}
    )
    text = response.content.decode()
    assert "东寨生物 符合的政策（1 项）" in text
    assert "2025年研发投入强度 6.25% ≥ 3% ✓" in text


def test_enterprise_users_have_no_back_office_pages(matched, members, policies):
    response = _client(members["jinhua"]).get(f"/admin/policies/policy/{policies['scale'].pk}/matches/")
    assert response.status_code in (302, 403, 404)


def test_back_office_lists_open(matched, users):
    client = _client(users["admin"])
    for url in (
        "/admin/policies/policy/",
        "/admin/policies/policy/add/",
        "/admin/policies/policymatch/",
        "/admin/policies/policynotice/",
        "/admin/policies/policygrant/",
        "/admin/",
    ):
        assert client.get(url).status_code == 200, url


def _policy_post(**extra):
    return {
        "title": "规上工业企业纳税奖励",
        "kind": "reward",
        "issuer": "管委会",
        "valid_from": "2026-01-01",
        "amount_rule_0": "fixed",
        "amount_rule_1": "20",
        "amount_rule_3": "previous",
        "conditions-mode": "all",
        **extra,
    }


def test_admin_form_refuses_a_bad_row_beside_the_field_and_saves_nothing(zone, users):
    from onezone.policies.models import Policy

    client = _client(users["dept_head"])
    response = client.post(
        "/admin/policies/policy/add/",
        _policy_post(**{"conditions-0-field": "size", "conditions-0-op": "eq", "conditions-0-value": "特大"}),
    )
    assert response.status_code == 200
    assert "第1行（企业规模）：值“特大”不合适，应为规上 或 规下。" in response.content.decode()
    assert not Policy.objects.filter(zone=zone).exists()


def test_admin_form_stores_the_rows_as_the_matchers_data(zone, users):
    from onezone.policies.models import Policy

    client = _client(users["dept_head"])
    page = client.get("/admin/policies/policy/add/").content.decode()
    assert "满足方式" in page and "定额（万元）" in page and "conditions-0-field" in page
    response = client.post(
        "/admin/policies/policy/add/",
        _policy_post(
            **{
                "conditions-0-field": "size",
                "conditions-0-op": "eq",
                "conditions-0-value": "规上",
                "conditions-1-field": "tax",
                "conditions-1-op": ">=",
                "conditions-1-value": "300",
                "conditions-1-year": "latest",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = Policy.objects.get(zone=zone)
    assert policy.conditions == [
        {"field": "size", "op": "eq", "value": "above"},
        {"field": "tax", "op": ">=", "value": 3000000, "year": "latest"},
    ]
    assert policy.amount_rule == {"kind": "fixed", "amount": 200000}
    change = client.get(f"/admin/policies/policy/{policy.pk}/change/").content.decode()
    assert 'value="300"' in change and "最近年度纳税额 ≥ 300万元" in change


def test_admin_pays_confirmed_grants(matched, members, users):
    from onezone.policies.services import grant_confirm

    grant = matched["金化科技"]
    grant_confirm(actor=members["jinhua"], grant_id=grant.pk)
    response = _client(users["leader"]).post(
        "/admin/policies/policygrant/", {"action": "pay_selected", "_selected_action": [grant.pk]}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PAID


# --- API ------------------------------------------------------------------------------------


def test_api_public_policies(zone, policies):
    response = _client().get(f"/api/v1/policies/zones/{zone.pk}/policies", {"q": "稳岗"})
    assert response.status_code == 200
    assert [p["title"] for p in response.json()] == ["稳岗补贴"]
    detail = _client().get(f"/api/v1/policies/zones/{zone.pk}/policies/{policies['jobs'].pk}").json()
    assert detail["conditions_text"] == ["2025年从业人数 ≥ 50人"]
    missing = _client().get(f"/api/v1/policies/zones/{zone.pk}/policies/999999")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_api_matches_are_for_staff(matched, users, members, zone, policies):
    staff = _client(users["clerk"]).get(f"/api/v1/policies/zones/{zone.pk}/matches", {"policy_id": policies["zjtx"].pk})
    assert [(m["enterprise_name"], m["eligible"]) for m in staff.json()] == [("永新材料", True)]
    assert _client(members["jinhua"]).get(f"/api/v1/policies/zones/{zone.pk}/matches").status_code == 403
    assert _client().get(f"/api/v1/policies/zones/{zone.pk}/matches").status_code == 401
    qualifying = _client(users["clerk"]).get(
        f"/api/v1/policies/zones/{zone.pk}/policies/{policies['rd'].pk}/qualifying"
    )
    assert sorted(r["enterprise_name"] for r in qualifying.json()) == ["东寨生物", "永新材料", "金化科技"]


def test_api_match_run_is_idempotent(zone, users, enterprises, policies):
    client = _client(users["dept_head"])
    first = client.post(f"/api/v1/policies/zones/{zone.pk}/match-run").json()
    again = client.post(f"/api/v1/policies/zones/{zone.pk}/match-run").json()
    assert first["new_matches"] >= 10 and again["new_matches"] == 0 and again["notices"] == 0
    assert _client(users["clerk"]).post(f"/api/v1/policies/zones/{zone.pk}/match-run").status_code == 403


def test_api_enterprise_sees_and_confirms_its_own_grants(matched, members):
    client = _client(members["jinhua"])
    grants = client.get("/api/v1/policies/mine/grants").json()
    assert [(g["policy_title"], g["amount"], g["status"]) for g in grants] == [("稳岗补贴", "60000.00", "proposed")]
    notices = client.get("/api/v1/policies/mine/notices").json()
    assert sorted(n["title"] for n in notices) == [
        "贵企业符合《研发投入后补助》的条件",
        "贵企业符合《稳岗补贴》的条件",
        "贵企业符合《规上工业企业奖励》的条件",
    ]
    other = matched["永新材料"]
    refused = client.post(f"/api/v1/policies/mine/grants/{other.pk}/confirm", {}, content_type="application/json")
    assert refused.status_code == 404
    other.refresh_from_db()
    assert other.status == GrantStatus.PROPOSED
    done = client.post(
        f"/api/v1/policies/mine/grants/{grants[0]['id']}/confirm", {}, content_type="application/json"
    ).json()
    assert done["status"] == "confirmed"


def test_enterprise_portal_home_shows_the_policies_section(matched, members):
    text = _client(members["jinhua"]).get("/portal/enterprise/").content.decode()
    assert "惠企政策" in text
    assert "免申即享 6.00万元" in text
    assert "研发投入后补助" in text


def test_landing_page_shows_grants_waiting_for_payment_to_the_leader(matched, members, users):
    from onezone.policies.services import grant_confirm

    grant_confirm(actor=members["jinhua"], grant_id=matched["金化科技"].pk)
    text = _client(users["leader"]).get("/admin/").content.decode()
    assert "待批准拨付的免申即享兑现" in text
    assert "6.00万元" in text
    assert "待批准拨付的免申即享兑现" not in _client(users["clerk"]).get("/admin/").content.decode()
