"""Stored files are served only through the download view, to the readers each file field declares."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import checks
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from onezone.core import files
from onezone.core.models import AuditEvent
from onezone.core.roles import Role
from tests.conftest import PASSWORD, make_user
from tests.core.test_uploads import docx_bytes, pdf_bytes
from tests.investment import conftest as investment
from tests.powers import conftest as powers

parks = investment.parks
bodies, add_item = powers.bodies, powers.add_item

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def downloads() -> int:
    return AuditEvent.objects.filter(action=files.AUDIT_ACTION).count()


# --- Records with files, made through the pages and services that make them -------------------------------


@pytest.fixture
def material(zone, users, add_item, media):
    from onezone.core.services import record_save
    from onezone.powers.models import ItemMaterial

    item = add_item("Y001", materials=[])
    return record_save(
        actor=users["admin"],
        obj=ItemMaterial(
            zone=zone,
            item=item,
            name="申请书",
            blank_form=ContentFile(pdf_bytes(), name="申请表.pdf"),
            sample=ContentFile(docx_bytes(), name="样表.docx"),
        ),
        roles=[Role.ADMIN],
    )


@pytest.fixture
def actual(zone, users, media):
    from onezone.assessment.models import Actual
    from onezone.assessment.services import target_set

    target = target_set(
        actor=users["leader"],
        zone_id=zone.pk,
        year=2026,
        indicator_key="energy_per_value_added",
        value="0.5",
        weight="20",
    )
    upload = SimpleUploadedFile("统计局证明.pdf", pdf_bytes())
    login(users["leader"]).post(
        reverse("assessment:actual-enter", args=[target.pk]), {"value": "0.45", "evidence": upload}, follow=True
    )
    return Actual.objects.get()


@pytest.fixture
def funds_entry(zone, parks, users, media):
    from onezone.investment.models import FundsEntry

    project = investment.signed_project(zone, parks, users["investment_officer"])
    login(users["investment_officer"]).post(
        reverse("investment-project-action", args=[project.pk, "funds"]),
        {
            "amount": "2500000",
            "received_on": "2024-02-01",
            "source": "domestic",
            "evidence_file": SimpleUploadedFile("到账凭证.pdf", pdf_bytes()),
        },
        follow=True,
    )
    return FundsEntry.objects.get()


# --- Public files ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_blank_form_downloads_anonymously_with_safe_headers(material):
    url = material.blank_form.url
    assert url == f"/files/powers/itemmaterial/{material.pk}/blank_form/"
    before = downloads()

    response = Client().get(url)

    assert response.status_code == 200
    assert body(response) == pdf_bytes()
    assert response["Content-Type"] == PDF_TYPE
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert downloads() == before  # public documents are not audited


@pytest.mark.django_db
def test_a_sample_gets_the_content_type_read_from_its_parts(material):
    response = Client().get(material.sample.url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    with material.sample.open("rb") as stored:
        assert body(response) == stored.read()
    assert "filename*=UTF-8''%E6%A0%B7%E8%A1%A8.docx" in response["Content-Disposition"]


@pytest.mark.django_db
def test_the_public_guide_links_to_the_download_view(zone, users, material):
    from onezone.powers.services import list_publish

    list_publish(actor=users["leader"], zone_id=zone.pk, title="一", document="", effective_on=dt.date(2024, 1, 1))
    guide = Client().get(f"/portal/powers/items/{material.item_id}/").content.decode()
    assert f'<a href="/files/powers/itemmaterial/{material.pk}/blank_form/">空白表格</a>' in guide
    assert f'<a href="/files/powers/itemmaterial/{material.pk}/sample/">示例样表</a>' in guide
    assert "/media/" not in guide


# --- Protected files -------------------------------------------------------------------------------------------

EVIDENCE_READERS = {"admin", "leader", "dept_head", "province_supervisor"}
FUNDS_READERS = {"admin", "leader", "dept_head", "investment_officer", "province_supervisor"}
MATERIAL_READERS = {"admin", "clerk", "reviewer", "dept_head", "leader", "agent", "province_supervisor"}


def _check_protected(record, field: str, readers: set[str], users, other_zone, expected_name: str) -> None:
    url = getattr(record, field).url
    assert url.startswith("/files/") and "/media/" not in url
    before = downloads()

    for role, user in users.items():
        response = login(user).get(url)
        if role in readers:
            assert response.status_code == 200, role
            assert body(response) == pdf_bytes()
            assert response["Content-Type"] == PDF_TYPE
            assert response["Content-Disposition"].endswith(expected_name)
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Cache-Control"] == "private, no-store"
        else:
            assert response.status_code == 403, role
            text = response.content.decode()
            assert f"您无权下载该{record._meta.get_field(field).verbose_name}" in text
            assert "%PDF" not in text

    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/?next=")

    outsider = make_user("outsider", zone=other_zone, role=Role.ADMIN)
    refused = login(outsider).get(url)
    assert refused.status_code == 403 and b"%PDF" not in refused.content

    events = AuditEvent.objects.filter(action=files.AUDIT_ACTION).order_by("id")[before:]
    assert sorted(e.actor_name for e in events) == sorted(f"u-{role}" for role in readers)
    assert {(e.object_type, e.object_id, e.zone_id) for e in events} == {
        (record._meta.label_lower, str(record.pk), record.zone_id)
    }
    assert {e.changes["field"] for e in events} == {field}
    assert {e.changes["file"] for e in events} == {getattr(record, field).name}


@pytest.mark.django_db
def test_assessment_evidence_only_for_the_zones_assessment_roles(actual, users, other_zone):
    _check_protected(
        actual, "evidence", EVIDENCE_READERS, users, other_zone, "%E7%BB%9F%E8%AE%A1%E5%B1%80%E8%AF%81%E6%98%8E.pdf"
    )


@pytest.mark.django_db
def test_funds_evidence_only_for_investment_and_leadership_roles(funds_entry, users, other_zone):
    _check_protected(
        funds_entry, "evidence_file", FUNDS_READERS, users, other_zone, "%E5%88%B0%E8%B4%A6%E5%87%AD%E8%AF%81.pdf"
    )


@pytest.mark.django_db
def test_the_project_page_links_funds_evidence_for_its_readers_only(funds_entry, users):
    url = reverse("investment-project", args=[funds_entry.project_id])
    link = f'href="/files/investment/fundsentry/{funds_entry.pk}/evidence_file/"'
    page = login(users["investment_officer"]).get(url).content.decode()
    assert link in page and "/media/" not in page
    page = login(users["clerk"]).get(url).content.decode()
    assert "（附凭证文件）" in page and link not in page and "/media/" not in page


@pytest.mark.django_db
def test_the_admin_shows_evidence_through_the_download_view(actual, users):
    page = login(users["admin"]).get(f"/admin/assessment/actual/{actual.pk}/change/").content.decode()
    assert f"/files/assessment/actual/{actual.pk}/evidence/" in page
    assert "/media/" not in page


@pytest.mark.django_db
def test_the_admin_file_widgets_link_to_the_download_view(material, root):
    page = login(root).get(f"/admin/powers/poweritem/{material.item_id}/change/").content.decode()
    assert f"/files/powers/itemmaterial/{material.pk}/blank_form/" in page
    assert f"/files/powers/itemmaterial/{material.pk}/sample/" in page
    assert "/media/" not in page


# --- Nothing else is served -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_media_is_never_served_directly(settings, actual, material):
    settings.DEBUG = True  # not even in development
    for name in (actual.evidence.name, material.blank_form.name):
        assert (Path(settings.MEDIA_ROOT) / name).is_file()
        assert Client().get(f"/media/{name}").status_code == 404


@pytest.mark.django_db
def test_a_file_gone_from_storage_is_a_404_with_a_chinese_message(actual, users, media):
    (media / actual.evidence.name).unlink()
    before = downloads()
    response = login(users["leader"]).get(actual.evidence.url)
    assert response.status_code == 404
    assert "佐证材料的文件已不在存储中，请联系系统管理员从备份中恢复。" in response.content.decode()
    assert downloads() == before


@pytest.mark.django_db
def test_missing_records_fields_and_files_are_404(material, users):
    from onezone.powers.models import ItemMaterial

    material.sample = ""
    material.save(update_fields=["sample"])
    client = login(users["leader"])
    cases = {
        f"/files/powers/itemmaterial/{material.pk}/sample/": "该记录尚未上传示例样表。",
        f"/files/powers/itemmaterial/{material.pk + 100}/blank_form/": "没有找到该空白表格：所属记录不存在或已被删除。",
        f"/files/powers/itemmaterial/{material.pk}/name/": "没有找到该文件：链接地址有误。",
        "/files/core/auditevent/1/changes/": "没有找到该文件：链接地址有误。",
    }
    for url, message in cases.items():
        response = client.get(url)
        assert response.status_code == 404, url
        assert message in response.content.decode(), url
    assert ItemMaterial.objects.get().sample.name == ""


@pytest.mark.django_db
def test_the_download_view_only_answers_reads(material):
    assert Client().post(material.blank_form.url).status_code == 405
    assert Client().head(material.blank_form.url).status_code == 200


@pytest.mark.django_db
def test_a_missing_protected_record_sends_anonymous_visitors_to_log_in(db):
    response = Client().get("/files/assessment/actual/999/evidence/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- The registry ----------------------------------------------------------------------------------------------


def test_every_file_field_declares_who_may_download_it():
    assert [m for m in checks.run_checks() if m.id == "onezone.E101"] == []
    declared = {(p.model._meta.label, p.field, p.public, p.readers) for p in files.registered_policies()}
    assert declared == {
        ("powers.ItemMaterial", "blank_form", True, frozenset()),
        ("powers.ItemMaterial", "sample", True, frozenset()),
        ("assessment.Actual", "evidence", False, frozenset(EVIDENCE_READERS)),
        ("investment.FundsEntry", "evidence_file", False, frozenset(FUNDS_READERS)),
        ("window.CaseFile", "file", False, frozenset(MATERIAL_READERS)),
        ("window.PreReviewFile", "file", False, frozenset(MATERIAL_READERS)),
        # A job's upload and result: the starter reads them through the job's page; the zone's admin here.
        ("core.Job", "input_file", False, frozenset({Role.ADMIN})),
        ("core.Job", "result_file", False, frozenset({Role.ADMIN})),
    }


def test_an_unregistered_file_field_fails_the_system_check(monkeypatch):
    monkeypatch.delitem(files._policies, ("assessment", "actual", "evidence"))
    errors = [m for m in files.check_file_policies(None) if m.id == "onezone.E101"]
    assert [e.msg for e in errors] == ["assessment.Actual.evidence has no download policy."]


def test_a_policy_is_public_or_names_its_readers():
    from onezone.assessment.models import Actual

    with pytest.raises(ValueError, match="either public=True or the reader roles"):
        files.register_file(Actual, "evidence")
    with pytest.raises(ValueError, match="either public=True or the reader roles"):
        files.register_file(Actual, "evidence", public=True, readers=[Role.ADMIN])
    with pytest.raises(ValueError, match="is not a file field"):
        files.register_file(Actual, "note", readers=[Role.ADMIN])


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("form.pdf", 'attachment; filename="form.pdf"'),
        ("申请表.pdf", "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf"),
        (
            "2024年 报表 v2.xlsx",
            "attachment; filename=\"2024 v2.xlsx\"; filename*=UTF-8''2024%E5%B9%B4%20%E6%8A%A5%E8%A1%A8%20v2.xlsx",
        ),
        ("readme", 'attachment; filename="readme"'),
    ],
)
def test_content_disposition_gives_an_ascii_fallback_and_the_utf8_name(name, header):
    assert files.content_disposition(name) == header
