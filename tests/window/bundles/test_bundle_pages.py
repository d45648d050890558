"""The bundle pages: who opens them (the declared policy, with real ids), and the pages doing their work."""

import pytest
from django.test import Client

from onezone.access import POLICIES
from onezone.core.roles import Role
from onezone.window.bundles.models import BundleCase
from tests.window.bundles.conftest import receive

pytestmark = pytest.mark.django_db


def _denied(response) -> bool:
    return response.status_code in (403, 404) or (
        response.status_code == 302 and "login" in response.get("Location", "")
    )


def test_each_role_opens_the_bundle_pages_as_declared(zone, staff, bundle):
    bundle_case = receive(staff, zone, bundle)
    pages = {
        "desk/window/bundles/": "/desk/window/bundles/",
        "desk/window/bundles/<int:bundle_id>/apply/": f"/desk/window/bundles/{bundle.pk}/apply/",
        "desk/window/bundles/cases/<int:bundle_case_id>/": f"/desk/window/bundles/cases/{bundle_case.pk}/",
        "desk/window/bundles/efficiency/": "/desk/window/bundles/efficiency/",
        "desk/window/centre/": "/desk/window/centre/",
        "portal/window/bundles/": "/portal/window/bundles/",
        "portal/window/bundles/<int:bundle_id>/": f"/portal/window/bundles/{bundle.pk}/?zone={zone.code}",
        "portal/window/bundles/lookup/": "/portal/window/bundles/lookup/",
    }
    wrong = []
    for role in [None, *Role]:
        client = Client()
        if role is not None:
            client.force_login(staff[role.value])
        for route, path in pages.items():
            response = client.get(path)
            ok = response.status_code == 200 if POLICIES[route].allows(role) else _denied(response)
            if not ok:
                wrong.append((route, role, response.status_code))
    assert not wrong, wrong


def test_a_bundle_from_the_desk_to_the_public_look_up(zone, staff, bundle):
    clerk = Client()
    clerk.force_login(staff["clerk"])
    form = {
        "applicant_kind": "enterprise",
        "applicant_name": "金昌示范新材料有限公司",
        "applicant_uscc": "91512081MA62K0260E",
        "presented": ["申请书"],
        "missing": ["营业执照复印件"],
        "outcome": "accept",
    }
    refused = clerk.post(f"/desk/window/bundles/{bundle.pk}/apply/", form)
    assert refused.status_code == 400 and "必要材料不齐全（缺：营业执照复印件）" in refused.content.decode()
    assert BundleCase.objects.count() == 0
    done = clerk.post(f"/desk/window/bundles/{bundle.pk}/apply/", {**form, "outcome": "supplement"})
    bundle_case = BundleCase.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/desk/window/bundles/cases/{bundle_case.pk}/"
    page = clerk.get(done["Location"]).content.decode()
    assert "待补正" in page and "营业执照复印件" in page
    # a reviewer cannot take the clerk's step; nothing changes
    reviewer = Client()
    reviewer.force_login(staff["reviewer"])
    answer = reviewer.post(done["Location"], {"action": "supplement_receive", "presented": ["营业执照复印件"]})
    assert answer.status_code == 400 and BundleCase.objects.get().intake == "supplement_requested"
    clerk.post(done["Location"], {"action": "supplement_receive", "presented": ["营业执照复印件"]})
    clerk.post(done["Location"], {"action": "accept"})
    assert BundleCase.objects.get().intake == "accepted"
    public = Client().post(
        "/portal/window/bundles/lookup/", {"number": bundle_case.number, "code": bundle_case.query_code}
    )
    text = public.content.decode()
    assert "办理中" in text and "建设项目环境影响评价审批" in text and "91512081MA62K0260E" not in text
    assert 'id="bundle-rate-form"' not in text
