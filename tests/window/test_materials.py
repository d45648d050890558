"""A case's material files: attach by upload and from the document-camera folder, caps, types, remove;
who may; the case page's read of them in a fixed number of queries."""

from __future__ import annotations

import hashlib
import os

import pytest
from django.core.files.storage import default_storage
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from onezone.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from onezone.core.models import AuditEvent
from onezone.window import materials, scans, services
from onezone.window.models_materials import CaseFile, FileSource
from tests.window import materials_fixtures as fixtures
from tests.window.materials_fixtures import JPEG_BYTES, lines, pdf_bytes, png_bytes, raw

pytestmark = pytest.mark.django_db

case = fixtures.case
firm = fixtures.firm
media = fixtures.media
parks = fixtures.parks
scan_dir = fixtures.scan_dir


def _attach(case, actor, name="营业执照.pdf", data=None, line=0):
    return materials.case_file_attach(
        actor=actor, case_id=case.pk, material_id=lines(case)[line], upload=raw(name, data or pdf_bytes())
    )


def test_an_upload_is_stored_under_its_hash_with_the_users_name(case, staff, media):
    attached = _attach(case, staff["clerk"], "../营业执照<扫描>.pdf")

    digest = hashlib.sha256(pdf_bytes()).hexdigest()
    assert attached.file.name == f"window/materials/{digest[:2]}/{digest}.pdf"
    assert default_storage.open(attached.file.name).read() == pdf_bytes()
    assert (attached.original_name, attached.sha256, attached.size, attached.kind) == (
        "营业执照_扫描.pdf",
        digest,
        len(pdf_bytes()),
        "pdf",
    )
    assert (attached.material_id, attached.material_name, attached.source) == (
        lines(case)[0],
        "申请书",
        FileSource.UPLOAD,
    )
    event = AuditEvent.objects.get(action="case.file_attach")
    assert event.object_id == str(case.pk) and event.changes["sha256"] == digest
    assert event.changes["material"] == "申请书" and event.changes["source"] == "upload"


def test_the_same_content_twice_is_stored_once(case, staff, media):
    first = _attach(case, staff["clerk"], "一.pdf")
    second = _attach(case, staff["clerk"], "二.pdf", line=1)
    assert first.file.name == second.file.name
    assert [p.name for p in (media / "window/materials").rglob("*") if p.is_file()] == [
        os.path.basename(first.file.name)
    ]
    assert (first.original_name, second.original_name) == ("一.pdf", "二.pdf")


def test_a_program_renamed_pdf_is_refused_and_nothing_is_kept(case, staff, media):
    with pytest.raises(InvalidInput, match="文件类型不符"):
        _attach(case, staff["clerk"], "执照.pdf", b"MZ\x90\x00 this is a program")
    assert not CaseFile.objects.exists()
    assert not (media / "window").exists()
    assert not AuditEvent.objects.filter(action="case.file_attach").exists()


def test_an_oversized_file_is_refused_before_it_is_read(case, staff, media, settings):
    settings.ONEZONE_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(InvalidInput, match="超过"):
        _attach(case, staff["clerk"], "大.pdf", pdf_bytes() + b"0" * 2000)
    assert not CaseFile.objects.exists()


def test_a_line_not_on_the_checklist_is_refused(case, staff, media):
    with pytest.raises(InvalidInput, match="材料清单中没有这一项"):
        materials.case_file_attach(
            actor=staff["clerk"], case_id=case.pk, material_id=999999, upload=raw("a.pdf", pdf_bytes())
        )
    assert not CaseFile.objects.exists()


def test_no_file_is_refused(case, staff):
    with pytest.raises(InvalidInput, match="请选择要上传的文件"):
        materials.case_file_attach(actor=staff["clerk"], case_id=case.pk, material_id=lines(case)[0], upload=None)


def test_caps_per_line_and_per_case(case, staff, media, settings):
    settings.ONEZONE_MATERIAL_FILES_PER_LINE = 2
    settings.ONEZONE_MATERIAL_FILES_PER_CASE = 3
    _attach(case, staff["clerk"], "1.pdf")
    _attach(case, staff["clerk"], "2.png", png_bytes())
    with pytest.raises(InvalidInput, match="每项材料最多挂接 2 个文件"):
        _attach(case, staff["clerk"], "3.jpg", JPEG_BYTES)
    _attach(case, staff["clerk"], "3.jpg", JPEG_BYTES, line=1)
    with pytest.raises(InvalidInput, match="一个办件最多挂接 3 个文件"):
        _attach(case, staff["clerk"], "4.pdf", line=2)
    assert CaseFile.objects.count() == 3


@pytest.mark.parametrize("role", ["reviewer", "leader", "dept_head", "agent", "enterprise", "province_supervisor"])
def test_only_clerks_attach(case, users, media, role):
    with pytest.raises(PermissionDenied, match="挂接办件材料"):
        _attach(case, users[role])
    assert not CaseFile.objects.exists()
    assert not (media / "window").exists()


def test_an_admin_of_another_zone_cannot_attach(case, other_zone, media):
    from onezone.core.roles import Role
    from tests.conftest import make_user

    outsider = make_user("outsider", zone=other_zone, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        _attach(case, outsider)
    assert not CaseFile.objects.exists()


def test_a_closed_case_takes_no_files(case, staff, media):
    services.case_withdraw(actor=staff["clerk"], case_id=case.pk, reason="申请人书面撤回")
    with pytest.raises(Conflict, match="已撤回，材料已归档"):
        _attach(case, staff["clerk"])
    assert not CaseFile.objects.exists()


def test_remove_keeps_the_record_and_needs_a_reason(case, staff, media):
    attached = _attach(case, staff["clerk"])
    with pytest.raises(InvalidInput, match="请填写移除原因"):
        materials.case_file_remove(actor=staff["clerk"], case_file_id=attached.pk, reason=" ")
    with pytest.raises(InvalidInput, match="最多 200 个字，收到 201 个"):
        materials.case_file_remove(actor=staff["clerk"], case_file_id=attached.pk, reason="错" * 201)
    with pytest.raises(PermissionDenied):
        materials.case_file_remove(actor=staff["reviewer"], case_file_id=attached.pk, reason="挂错")
    attached.refresh_from_db()
    assert attached.removed_at is None

    materials.case_file_remove(actor=staff["clerk"], case_file_id=attached.pk, reason="挂错材料项")

    attached.refresh_from_db()
    assert attached.removed_by == staff["clerk"] and attached.removed_reason == "挂错材料项"
    assert default_storage.exists(attached.file.name)
    assert AuditEvent.objects.filter(action="case.file_remove").count() == 1
    with pytest.raises(Conflict, match="已于"):
        materials.case_file_remove(actor=staff["clerk"], case_file_id=attached.pk, reason="再次")
    with pytest.raises(NotFound):
        materials.case_file_remove(actor=staff["clerk"], case_file_id=attached.pk + 100, reason="x")


def test_the_case_page_read_is_one_query_whatever_the_files(case, staff, media, django_assert_num_queries, zone):
    for index in range(3):
        _attach(case, staff["clerk"], f"{index}.pdf", pdf_bytes() + bytes([index]), line=index % 2)
    materials.case_file_remove(
        actor=staff["clerk"], case_file_id=CaseFile.objects.order_by("id").last().pk, reason="扫描不清晰"
    )
    with django_assert_num_queries(1):
        shown = materials.case_material_lines(zone_id=zone.pk, case=case)
        names = [
            (line.name, [f.original_name for f in line.files], [f.uploaded_by.username for f in line.files])
            for line in shown
        ]
    assert names == [
        ("申请书", ["0.pdf"], ["u-clerk"]),
        ("营业执照复印件", ["1.pdf"], ["u-clerk"]),
        ("授权委托书", [], []),
    ]
    assert [line.presented for line in shown] == [True, False, False]


# --- the document camera's folder ---------------------------------------------------------------------------


def _folder(scan_dir, user):
    folder = scan_dir / user.username
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_listing_shows_plain_new_files_newest_first(staff, scan_dir, settings):
    folder = _folder(scan_dir, staff["clerk"])
    for index, name in enumerate(["a.pdf", "b.jpg", ".hidden.pdf", "c.pdf.part", "d.png"]):
        (folder / name).write_bytes(b"x" * (index + 1))
        os.utime(folder / name, (1_700_000_000 + index, 1_700_000_000 + index))
    (folder / "sub").mkdir()
    (folder / "link.pdf").symlink_to(folder / "a.pdf")

    listing = scans.scan_listing(staff["clerk"])

    assert listing.configured and listing.folder == str(folder)
    assert [(e.name, e.size) for e in listing.entries] == [("d.png", 5), ("b.jpg", 2), ("a.pdf", 1)]
    assert not listing.more

    settings.ONEZONE_SCAN_SHOW_MAX = 2
    assert [e.name for e in scans.scan_listing(staff["clerk"]).entries] == ["d.png", "b.jpg"]
    assert scans.scan_listing(staff["clerk"]).more
    settings.ONEZONE_SCAN_LIST_MAX = 1  # only so many entries are looked at
    assert len(scans.scan_listing(staff["clerk"]).entries) <= 1 and scans.scan_listing(staff["clerk"]).more


def test_no_scan_folder_configured(staff, settings):
    settings.ONEZONE_SCAN_DIR = None
    assert scans.scan_listing(staff["clerk"]).configured is False
    with pytest.raises(NotFound, match="未配置高拍仪上传文件夹"):
        scans.scan_read(staff["clerk"], "a.pdf")


def test_attaching_a_scan_moves_it_into_storage(case, staff, scan_dir, media, django_capture_on_commit_callbacks):
    folder = _folder(scan_dir, staff["clerk"])
    (folder / "扫描_0001.jpg").write_bytes(JPEG_BYTES)

    with django_capture_on_commit_callbacks(execute=True):
        attached = materials.case_file_attach_scan(
            actor=staff["clerk"], case_id=case.pk, material_id=lines(case)[1], name="扫描_0001.jpg"
        )

    assert attached.source == FileSource.SCAN and attached.original_name == "扫描_0001.jpg"
    assert default_storage.open(attached.file.name).read() == JPEG_BYTES
    assert not (folder / "扫描_0001.jpg").exists()
    assert scans.scan_listing(staff["clerk"]).entries == []


def test_a_refused_scan_stays_in_the_folder(case, staff, scan_dir, media, django_capture_on_commit_callbacks):
    folder = _folder(scan_dir, staff["clerk"])
    (folder / "notes.pdf").write_bytes(b"<html>not a pdf</html>")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput):
        materials.case_file_attach_scan(
            actor=staff["clerk"], case_id=case.pk, material_id=lines(case)[0], name="notes.pdf"
        )
    assert (folder / "notes.pdf").exists()
    assert not CaseFile.objects.exists()


@pytest.mark.parametrize("name", ["../other/a.pdf", "..", "a/b.pdf", "..\\a.pdf", ".hidden", ""])
def test_a_name_outside_the_folder_is_refused(case, staff, scan_dir, media, name):
    other = scan_dir / "u-clerk2"
    other.mkdir(parents=True)
    (other / "a.pdf").write_bytes(pdf_bytes())
    with pytest.raises(InvalidInput, match="文件名不正确"):
        materials.case_file_attach_scan(actor=staff["clerk"], case_id=case.pk, material_id=lines(case)[0], name=name)
    assert (other / "a.pdf").exists() and not CaseFile.objects.exists()


def test_a_link_in_the_folder_is_not_followed(case, staff, scan_dir, media, tmp_path):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(pdf_bytes())
    folder = _folder(scan_dir, staff["clerk"])
    (folder / "link.pdf").symlink_to(secret)
    with pytest.raises(InvalidInput, match="不是普通文件"):
        materials.case_file_attach_scan(
            actor=staff["clerk"], case_id=case.pk, material_id=lines(case)[0], name="link.pdf"
        )
    assert not CaseFile.objects.exists() and secret.exists()


def test_a_scan_gone_from_the_folder_says_so(case, staff, scan_dir, media):
    _folder(scan_dir, staff["clerk"])
    with pytest.raises(NotFound, match="上传文件夹中已没有"):
        materials.case_file_attach_scan(actor=staff["clerk"], case_id=case.pk, material_id=lines(case)[0], name="x.pdf")


def test_an_oversized_scan_is_refused(case, staff, scan_dir, media, settings):
    settings.ONEZONE_UPLOAD_MAX_BYTES = 100
    folder = _folder(scan_dir, staff["clerk"])
    (folder / "big.pdf").write_bytes(pdf_bytes() + b"0" * 200)
    with pytest.raises(InvalidInput, match="超过"):
        materials.case_file_attach_scan(
            actor=staff["clerk"], case_id=case.pk, material_id=lines(case)[0], name="big.pdf"
        )
    assert (folder / "big.pdf").exists()


@given(name=st.text(max_size=60))
@examples(max_examples=200, deadline=None)
def test_a_name_the_folder_accepts_is_always_a_child_of_the_clerks_folder(name):
    from types import SimpleNamespace

    from django.test import override_settings

    with override_settings(ONEZONE_SCAN_DIR="/srv/scans"):
        user = SimpleNamespace(username="u-clerk")
        try:
            path = scans._path(user, name)
        except InvalidInput:
            return
        assert path.parent == scans.scan_folder(user) and path.name == name
