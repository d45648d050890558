"""The materials pages: the case page's files, attach and remove; the download of a material as each role
(inline preview headers, the name the user gave, audited); the portal's pre-review pages; the desk's
pre-review pages; the applicant look-up."""

from __future__ import annotations

import pytest
from django.test import Client

from onezone.core.files import AUDIT_ACTION
from onezone.core.models import AuditEvent
from onezone.core.roles import Role
from onezone.window import materials, prereview
from onezone.window.models_materials import CaseFile, PreReview, PreReviewFile, PreReviewStatus
from tests.conftest import make_user
from tests.window import materials_fixtures as fixtures
from tests.window.materials_fixtures import JPEG_BYTES, body, lines, login, pdf_bytes, png_bytes, raw, upload

pytestmark = pytest.mark.django_db

case = fixtures.case
firm = fixtures.firm
media = fixtures.media
other_firm = fixtures.other_firm
parks = fixtures.parks
scan_dir = fixtures.scan_dir

READERS = {"admin", "clerk", "reviewer", "dept_head", "leader", "agent", "province_supervisor"}


def _case_url(case) -> str:
    return f"/desk/window/cases/{case.pk}/"


def _attached(case, clerk, name="营业执照.pdf", data=None, line=0):
    return materials.case_file_attach(
        actor=clerk, case_id=case.pk, material_id=lines(case)[line], upload=raw(name, data or pdf_bytes())
    )


# --- the case page ------------------------------------------------------------------------------------------


def test_the_case_page_shows_lines_files_and_the_scan_folder(case, staff, scan_dir, media):
    folder = scan_dir / "u-clerk"
    folder.mkdir(parents=True)
    (folder / "扫描_0002.jpg").write_bytes(JPEG_BYTES)
    attached = _attached(case, staff["clerk"], "申请书.png", png_bytes())

    page = login(staff["clerk"]).get(_case_url(case)).content.decode()

    assert 'id="material-lines"' in page
    assert f'href="/files/window/casefile/{attached.pk}/file/">申请书.png</a>' in page
    assert f'data-src="/files/window/casefile/{attached.pk}/file/?inline=1" data-picture="1"' in page
    assert "扫描_0002.jpg" in page and str(folder) in page
    assert page.count('name="material_id"') == 2 * 3  # an upload and a scan form on each of the three lines


def test_a_reviewer_sees_the_files_but_no_forms(case, staff, media):
    _attached(case, staff["clerk"])
    page = login(staff["reviewer"]).get(_case_url(case)).content.decode()
    assert "营业执照.pdf" in page and "预览" in page
    assert "window-case-file-attach" not in page and 'name="material_id"' not in page


def test_upload_through_the_page(case, staff, media):
    client = login(staff["clerk"])
    response = client.post(
        f"{_case_url(case)}materials/attach/",
        {"material_id": lines(case)[1], "file": upload("营业执照复印件.pdf", pdf_bytes())},
    )
    assert response.status_code == 302 and response["Location"] == f"{_case_url(case)}#materials"
    attached = CaseFile.objects.get()
    assert (attached.material_name, attached.original_name) == ("营业执照复印件", "营业执照复印件.pdf")
    page = client.get(_case_url(case)).content.decode()
    assert "已将“营业执照复印件.pdf”挂接到“营业执照复印件”。" in page


def test_a_refused_upload_says_why_on_the_page(case, staff, media):
    client = login(staff["clerk"])
    client.post(
        f"{_case_url(case)}materials/attach/", {"material_id": lines(case)[0], "file": upload("a.pdf", b"GIF89a...")}
    )
    page = client.get(_case_url(case)).content.decode()
    assert "上传的文件类型不符" in page
    assert not CaseFile.objects.exists()


def test_a_reviewer_posting_an_upload_changes_nothing(case, staff, media):
    response = login(staff["reviewer"]).post(
        f"{_case_url(case)}materials/attach/", {"material_id": lines(case)[0], "file": upload("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 302
    assert not CaseFile.objects.exists() and not (media / "window").exists()


def test_attach_a_scan_and_remove_a_file_through_the_page(
    case, staff, scan_dir, media, django_capture_on_commit_callbacks
):
    folder = scan_dir / "u-clerk"
    folder.mkdir(parents=True)
    (folder / "scan.pdf").write_bytes(pdf_bytes())
    client = login(staff["clerk"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{_case_url(case)}materials/attach/", {"material_id": lines(case)[0], "scan": "scan.pdf"})

    attached = CaseFile.objects.get()
    assert attached.source == "scan" and not (folder / "scan.pdf").exists()
    client.post(f"{_case_url(case)}materials/{attached.pk}/remove/", {"reason": "挂错材料项"})
    attached.refresh_from_db()
    assert attached.removed_reason == "挂错材料项"
    assert f"/files/window/casefile/{attached.pk}/" not in client.get(_case_url(case)).content.decode()


def test_remove_through_another_cases_address_is_not_found(case, staff, media, zone, items):
    from tests.window.conftest import PERSON

    attached = _attached(case, staff["clerk"])
    other = materials.Case.objects.exclude(pk=case.pk).first() or fixtures.services.case_receive(
        actor=staff["clerk"], zone_id=zone.pk, item_id=items["promised"].pk, applicant=PERSON, presented=[]
    )
    response = login(staff["clerk"]).post(f"{_case_url(other)}materials/{attached.pk}/remove/", {"reason": "x"})
    assert response.status_code == 404
    attached.refresh_from_db()
    assert attached.removed_at is None


# --- downloads ----------------------------------------------------------------------------------------------


def test_a_case_file_downloads_to_the_zones_window_staff_only(case, staff, users, other_zone, media):
    attached = _attached(case, staff["clerk"], "营业执照.pdf")
    url = attached.file.url
    before = AuditEvent.objects.filter(action=AUDIT_ACTION).count()
    for role, user in users.items():
        response = login(user).get(url)
        if role in READERS:
            assert response.status_code == 200, role
            assert body(response) == pdf_bytes()
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["Content-Disposition"].endswith("%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf")
            assert response["Cache-Control"] == "private, no-store"
        else:
            assert response.status_code == 403, role
            assert b"%PDF" not in response.content
    outsider = make_user("outsider", zone=other_zone, role=Role.ADMIN)
    assert login(outsider).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    events = AuditEvent.objects.filter(action=AUDIT_ACTION).order_by("id")[before:]
    assert sorted(e.actor_name for e in events) == sorted(f"u-{role}" for role in READERS)


def test_a_picture_previews_inline_framed_by_the_site_only(case, staff, media):
    attached = _attached(case, staff["clerk"], "照片.jpg", JPEG_BYTES)
    response = login(staff["reviewer"]).get(attached.file.url + "?inline=1")
    assert response.status_code == 200 and body(response) == JPEG_BYTES
    assert response["Content-Type"] == "image/jpeg"
    assert (
        response["Content-Disposition"] == "inline; filename=\"download.jpg\"; filename*=UTF-8''%E7%85%A7%E7%89%87.jpg"
    )
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.filter(action=AUDIT_ACTION).latest("id")
    assert event.changes == {"field": "file", "file": attached.file.name, "inline": True}


def test_a_document_is_never_shown_inline(case, staff, media):
    from tests.core.test_uploads import docx_bytes

    attached = _attached(case, staff["clerk"], "说明.docx", docx_bytes())
    response = login(staff["clerk"]).get(attached.file.url + "?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.fixture
def sent(zone, users, items, firm, media):
    started = prereview.prereview_start(actor=users["enterprise"], zone_id=zone.pk, item_id=items["promised"].pk)
    ids = [int(m["material_id"]) for m in started.materials]
    for index, material_id in enumerate(ids[:2]):
        prereview.prereview_file_add(
            actor=users["enterprise"],
            prereview_id=started.pk,
            material_id=material_id,
            upload=raw(f"材料{index}.pdf", pdf_bytes() + bytes([index])),
        )
    return prereview.prereview_submit(actor=users["enterprise"], prereview_id=started.pk)


def test_a_prereview_file_goes_to_its_enterprise_and_the_window_only(sent, users, other_firm):
    _, stranger = other_firm
    url = PreReviewFile.objects.order_by("id").first().file.url
    assert login(users["enterprise"]).get(url).status_code == 200
    assert login(users["clerk"]).get(url).status_code == 200
    refused = login(stranger).get(url)
    assert refused.status_code == 403 and b"%PDF" not in refused.content
    assert login(users["company_staff"]).get(url).status_code == 403


# --- the portal ---------------------------------------------------------------------------------------------


def test_the_portal_finds_an_item_and_starts_a_prereview(zone, users, items, firm, media):
    client = login(users["enterprise"])
    page = client.get("/portal/window/prereview/?q=环境影响").content.decode()
    assert "建设项目环境影响评价审批" in page and "开始预审" in page

    response = client.post("/portal/window/prereview/", {"item_id": items["promised"].pk})

    started = PreReview.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/window/prereview/{started.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert detail.count('type="file"') == 3 and "签字盖章" in detail


def test_the_portal_uploads_deletes_and_submits(zone, users, items, firm, media):
    client = login(users["enterprise"])
    client.post("/portal/window/prereview/", {"item_id": items["promised"].pk})
    started = PreReview.objects.get()
    url = f"/portal/window/prereview/{started.pk}/"
    ids = [int(m["material_id"]) for m in started.materials]

    refused = client.post(url, {"action": "submit"})
    assert refused.status_code == 400 and "必要材料尚未上传：申请书、营业执照复印件" in refused.content.decode()
    for material_id in ids[:2]:
        client.post(url, {"action": "upload", "material_id": material_id, "file": upload("件.pdf", pdf_bytes())})
    client.post(url, {"action": "upload", "material_id": ids[2], "file": upload("多余.png", png_bytes())})
    extra = PreReviewFile.objects.get(material_id=ids[2])
    client.post(url, {"action": "delete", "file_id": extra.pk})
    assert client.post(url, {"action": "submit"}).status_code == 302

    started.refresh_from_db()
    assert started.status == PreReviewStatus.SUBMITTED
    assert sorted(PreReviewFile.objects.values_list("material_id", flat=True)) == sorted(ids[:2])
    page = client.get(url).content.decode()
    assert "已提交预审" in page and 'type="file"' not in page


def test_another_enterprises_prereview_is_not_found(sent, other_firm):
    _, stranger = other_firm
    client = login(stranger)
    assert client.get(f"/portal/window/prereview/{sent.pk}/").status_code == 404
    assert client.post(f"/portal/window/prereview/{sent.pk}/", {"action": "withdraw"}).status_code == 404
    sent.refresh_from_db()
    assert sent.status == PreReviewStatus.SUBMITTED
    assert sent.number not in client.get("/portal/window/prereview/").content.decode()


def test_staff_have_no_portal_prereview(users):
    assert login(users["clerk"]).get("/portal/window/prereview/").status_code == 403
    assert Client().get("/portal/window/prereview/").status_code == 302


# --- the desk -----------------------------------------------------------------------------------------------


def test_the_desk_lists_and_returns_with_notes(sent, users):
    client = login(users["clerk"])
    listing = client.get("/desk/window/prereviews/").content.decode()
    assert sent.number in listing and "金昌示范新材料有限公司" in listing
    first = int(sent.materials[0]["material_id"])
    page = client.get(f"/desk/window/prereviews/{sent.pk}/").content.decode()
    assert page.count("?inline=1") == 2 and "受理登记" in page

    too_long = client.post(f"/desk/window/prereviews/{sent.pk}/", {"action": "return", f"note-{first}": "长" * 201})
    assert too_long.status_code == 400 and "最多 200 个字，收到 201 个" in too_long.content.decode()
    assert "长" * 201 in too_long.content.decode()  # what was written stays in the form
    client.post(f"/desk/window/prereviews/{sent.pk}/", {"action": "return", f"note-{first}": "公章不清晰"})

    sent.refresh_from_db()
    assert sent.status == PreReviewStatus.RETURNED and sent.line_notes == {str(first): "公章不清晰"}
    portal = login(users["enterprise"]).get(f"/portal/window/prereview/{sent.pk}/").content.decode()
    assert "窗口意见：公章不清晰" in portal and 'type="file"' in portal


def test_the_desk_takes_a_prereview_into_the_case(sent, users, case):
    client = login(users["clerk"])
    page = client.get(f"/desk/window/prereviews/{sent.pk}/").content.decode()
    assert case.number in page
    response = client.post(f"/desk/window/prereviews/{sent.pk}/", {"action": "take", "case_id": case.pk})
    assert response.status_code == 302 and response["Location"] == f"/desk/window/cases/{case.pk}/#materials"
    assert CaseFile.objects.filter(case=case, source="prereview").count() == 2


def test_the_desk_pages_are_for_clerks(sent, users, other_zone):
    for role in ("reviewer", "leader", "enterprise"):
        assert login(users[role]).get("/desk/window/prereviews/").status_code == 403, role
        assert login(users[role]).post(f"/desk/window/prereviews/{sent.pk}/", {"action": "return"}).status_code in (
            403,
            302,
        )
    outsider = make_user("outsider", zone=other_zone, role=Role.CLERK)
    assert login(outsider).get(f"/desk/window/prereviews/{sent.pk}/").status_code in (403, 404)
    sent.refresh_from_db()
    assert sent.status == PreReviewStatus.SUBMITTED


# --- the applicant look-up ----------------------------------------------------------------------------------


def test_the_lookup_finds_by_name_or_code_with_the_mobile_masked(users, firm):
    client = login(users["clerk"])
    for query in ("示范新材", firm.uscc[:8].lower()):
        items = client.get("/desk/window/applicants/", {"q": query}).json()["items"]
        assert items == [
            {
                "id": firm.pk,
                "name": "金昌示范新材料有限公司",
                "uscc": firm.uscc,
                "legal_representative": "王建国",
                "park_id": firm.park_id,
                "park_name": "河西堡工业园",
                "contact_name": "刘芳",
                "contact_mobile_masked": "139****1234",
            }
        ]
    assert client.get("/desk/window/applicants/", {"q": "没有这家"}).json() == {"items": []}
    assert not AuditEvent.objects.filter(action="enterprises.contact.view_personal_data").exists()


def test_picking_one_fills_the_full_mobile_and_is_audited(users, firm):
    answer = login(users["clerk"]).get("/desk/window/applicants/", {"id": firm.pk}).json()["enterprise"]
    assert (answer["name"], answer["uscc"], answer["contact_name"], answer["contact_mobile"]) == (
        "金昌示范新材料有限公司",
        firm.uscc,
        "刘芳",
        "13909351234",
    )
    assert AuditEvent.objects.filter(action="enterprises.contact.view_personal_data", actor=users["clerk"]).count() == 1


def test_the_lookup_is_for_clerks_of_the_zone(users, firm, other_zone):
    refused = login(users["reviewer"]).get("/desk/window/applicants/", {"id": firm.pk})
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    outsider = make_user("outsider", zone=other_zone, role=Role.CLERK)
    client = login(outsider)
    assert client.get("/desk/window/applicants/", {"q": "示范"}).json() == {"items": []}
    assert client.get("/desk/window/applicants/", {"id": firm.pk}).status_code == 404
    assert not AuditEvent.objects.filter(action="enterprises.contact.view_personal_data").exists()


def test_the_lookup_reads_in_two_queries(users, firm, zone, django_assert_num_queries):
    from onezone.enterprises.selectors import enterprise_lookup

    with django_assert_num_queries(2):
        assert [row["name"] for row in enterprise_lookup(zone_id=zone.pk, query="金昌")] == ["金昌示范新材料有限公司"]
