"""The window's notices: each issued once in 公文 format as .docx and PDF, at the desk and in the public
look-up, with its document number and verification code."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from docx import Document

from onezone.core.documents.models import IssuedDocument
from onezone.window import services as svc
from onezone.window.notices import TITLES, documents_for, notice_issue, zone_prefix
from tests.conftest import PASSWORD
from tests.core.test_documents_layout import SCIENTIFIC, assert_gongwen_docx, docx_text
from tests.window.conftest import ENTERPRISE

pytestmark = pytest.mark.django_db
D = dt.date


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


@pytest.fixture
def every_notice(zone, staff, items, material_ids):
    """Cases that between them have every kind of notice."""
    clerk, reviewer = staff["clerk"], staff["reviewer"]

    def receive(on, presented=None):
        return svc.case_receive(
            actor=clerk,
            zone_id=zone.pk,
            item_id=items["joint"].pk,
            applicant=ENTERPRISE,
            presented=material_ids["joint"][:2] if presented is None else presented,
            on=on,
        )

    granted = receive(D(2026, 9, 14), presented=[])
    granted = svc.case_supplement_request(
        actor=clerk, case_id=granted.pk, missing=material_ids["joint"][:2], note="加盖公章", on=D(2026, 9, 14)
    )
    granted = svc.case_supplement_receive(
        actor=clerk, case_id=granted.pk, presented=material_ids["joint"][:2], on=D(2026, 9, 15)
    )
    granted = svc.case_accept(actor=clerk, case_id=granted.pk, on=D(2026, 9, 15))
    granted = svc.case_review_start(actor=reviewer, case_id=granted.pk, on=D(2026, 9, 16))
    granted = svc.case_suspend(
        actor=reviewer,
        case_id=granted.pk,
        procedure="expert_review",
        expected_days=5,
        notice="组织专家评审",
        on=D(2026, 9, 17),
    )
    granted = svc.case_resume(actor=reviewer, case_id=granted.pk, result="评审通过", on=D(2026, 9, 24))
    granted = svc.case_extend(actor=staff["leader"], case_id=granted.pk, reason="需现场核查", on=D(2026, 9, 25))
    svc.case_review_confirm(actor=staff["reviewer2"], case_id=granted.pk, opinion="同意。", on=D(2026, 10, 9))
    granted = svc.case_decide(
        actor=reviewer,
        case_id=granted.pk,
        granted=True,
        text="同意。",
        on=D(2026, 10, 9),
    )
    denied = receive(D(2026, 9, 28))
    denied = svc.case_accept(actor=clerk, case_id=denied.pk, on=D(2026, 9, 28))
    denied = svc.case_review_start(actor=reviewer, case_id=denied.pk, on=D(2026, 9, 28))
    svc.case_review_confirm(actor=staff["reviewer2"], case_id=denied.pk, opinion="同意。", on=D(2026, 10, 9))
    denied = svc.case_decide(
        actor=reviewer,
        case_id=denied.pk,
        granted=False,
        text="不符合产业准入条件。",
        on=D(2026, 10, 9),
    )
    refused = svc.case_refuse(
        actor=clerk, case_id=receive(D(2026, 10, 9)).pk, reason="不属于本机关职权范围。", on=D(2026, 10, 9)
    )
    return {"granted": granted, "denied": denied, "refused": refused}


def test_zone_prefix(zone, settings):
    assert zone_prefix(zone) == "测试"
    zone.name = "甘肃永昌工业园区"
    assert zone_prefix(zone) == "永昌"
    settings.ONEZONE_DOCUMENT_PREFIXES = {zone.code: "永园"}
    assert zone_prefix(zone) == "永园"


def test_every_notice_is_a_gongwen_docx_and_a_pdf(zone, staff, every_notice):
    kinds = set()
    for case in every_notice.values():
        events = list(case.events.order_by("at", "id"))
        for kind, title in documents_for(case, events):
            document = notice_issue(actor=staff["clerk"], case=case, events=events, kind=kind, base_url="http://t/")
            kinds.add(kind)
            parsed = assert_gongwen_docx(bytes(document.docx))
            text = docx_text(parsed)
            assert parsed.paragraphs[0].text == "园区政务服务中心"  # the mark: the implementing body
            assert title in text and document.number in text and case.number in text and case.query_code in text
            assert document.code in text and "园区政务服务中心" in text
            assert document.number.startswith("测试") and "〔2026〕" in document.number
            assert document.issued_on.year == 2026 and f"{document.issued_on.month}月" in text
            assert bytes(document.pdf).startswith(b"%PDF-") and not SCIENTIFIC.search(text)
    assert kinds == set(TITLES)
    supplement = IssuedDocument.objects.get(kind="supplement")
    text = docx_text(Document(io.BytesIO(bytes(supplement.docx))))
    assert "1. 申请书" in text and "2. 营业执照复印件" in text and "补正要求：加盖公章" in text
    assert supplement.number == "测试许补〔2026〕1号" and supplement.issued_on == D(2026, 9, 14)


def test_desk_downloads_issue_once_and_agree(zone, staff, every_notice):
    case = every_notice["granted"]
    client = client_for(staff["clerk"])
    pdf = client.get(f"/desk/window/cases/{case.pk}/notices/grant.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    docx = client.get(f"/desk/window/cases/{case.pk}/notices/grant.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    document = IssuedDocument.objects.get()
    assert pdf.content == bytes(document.pdf) and docx.content == bytes(document.docx)
    assert document.number in docx_text(Document(io.BytesIO(docx.content)))
    assert client.get(f"/desk/window/cases/{case.pk}/notices/grant.pdf").content == pdf.content
    assert client.get(f"/desk/window/cases/{case.pk}/notices/refusal.pdf").status_code == 404
    page = client.get(f"/desk/window/cases/{case.pk}/").content.decode()
    assert f"/desk/window/cases/{case.pk}/notices/grant.pdf" in page and "准予行政许可决定书（PDF）" in page


def test_desk_refuses_others_and_issues_nothing(zone, other_zone, staff, every_notice, users):
    case = every_notice["granted"]
    enterprise = client_for(users["enterprise"])
    assert enterprise.get(f"/desk/window/cases/{case.pk}/notices/grant.pdf").status_code == 403
    assert Client().get(f"/desk/window/cases/{case.pk}/notices/grant.pdf").status_code == 302
    assert IssuedDocument.objects.count() == 0


def test_public_look_up_offers_the_issued_pdfs(zone, staff, every_notice):
    case = every_notice["refused"]
    events = list(case.events.order_by("at", "id"))
    document = notice_issue(actor=staff["clerk"], case=case, events=events, kind="refusal", base_url="http://t/")
    public = Client()
    listing = public.post("/portal/window/lookup/notices/", {"number": case.number, "code": case.query_code})
    html = listing.content.decode()
    assert listing.status_code == 200 and "不予受理决定书" in html and document.number in html and document.code in html
    pdf = public.post(
        "/portal/window/lookup/notices/", {"number": case.number, "code": case.query_code, "kind": "refusal"}
    )
    assert pdf.status_code == 200 and pdf.content == bytes(document.pdf)
    wrong = public.post("/portal/window/lookup/notices/", {"number": case.number, "code": "WRONG", "kind": "refusal"})
    assert wrong.status_code == 404 and "查询码不正确" in wrong.content.decode()
    not_issued = public.post(
        "/portal/window/lookup/notices/", {"number": case.number, "code": case.query_code, "kind": "grant"}
    )
    assert not_issued.status_code == 404
    lookup = public.post("/portal/window/lookup/", {"number": case.number, "code": case.query_code})
    assert "下载本办件文书（PDF）" in lookup.content.decode()
