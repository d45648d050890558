"""A notice through the browser: the clerk prints the acceptance notice as PDF from the case page, the
applicant downloads it in the public look-up, and anyone checks it on the verification page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from onezone.core.documents.models import IssuedDocument
from onezone.demo.loader import DEMO_PASSWORD, load_demo
from onezone.powers.services import item_create
from onezone.window import services as svc
from onezone.window.services import Applicant
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def accepted(transactional_db):
    from onezone.core.calendar import calendar_seed

    calendar_seed()
    ctx = load_demo(only=["s10_foundation"])
    item = item_create(
        actor=ctx.users["admin"],
        zone_id=ctx.zone.pk,
        data={
            "name": "食品经营许可",
            "implementation_code": "E2E-DOC-001",
            "category": "licensing",
            "implementing_body_id": ctx.bodies["service"].pk,
            "legal_limit": 20,
            "committed_limit": 5,
        },
        reason="清单编制",
        effective_on=dt.date(2024, 1, 1),
        materials=[{"name": "食品经营许可申请书"}],
    )
    clerk = ctx.users["clerk"]
    case = svc.case_receive(
        actor=clerk,
        zone_id=ctx.zone.pk,
        item_id=item.pk,
        applicant=Applicant(kind="enterprise", name="金昌示范食品有限公司", uscc="91512081MA62K0260E"),
        presented=list(item.materials.values_list("pk", flat=True)),
    )
    return svc.case_accept(actor=clerk, case_id=case.pk)


def test_notice_pdf_from_desk_to_verification(page, live_server, accepted):
    case = accepted
    login(page, live_server, "demo-clerk", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/window/cases/{case.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="受理通知书（PDF）").click()
    pdf = download.value.path().read_bytes()
    document = IssuedDocument.objects.get()
    assert pdf == bytes(document.pdf) and pdf.startswith(b"%PDF-")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/portal/window/lookup/")
    page.fill("#number", case.number)
    page.fill("#code", case.query_code)
    page.get_by_role("button", name="查询").click()
    page.get_by_role("button", name="下载本办件文书（PDF）").click()
    expect(page.locator("#notice-list")).to_contain_text(document.number)
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 PDF").click()
    assert download.value.path().read_bytes() == pdf

    page.goto(f"{live_server.url}/portal/verify/")
    page.fill("#code", document.code.replace("-", "").lower())
    page.get_by_role("button", name="核验", exact=True).click()
    expect(page).to_have_url(re.compile(f"/portal/verify/{document.code}/$"))
    expect(page.locator("#verify-genuine")).to_contain_text("真实文书")
    expect(page.locator("#verify-result")).to_contain_text(document.number)
    assert "金昌示范" not in page.content()
    page.set_input_files("#file", files=[{"name": "notice.pdf", "mimeType": "application/pdf", "buffer": pdf}])
    page.get_by_role("button", name="核对文件").click()
    expect(page.locator("#upload-matches")).to_be_visible()
