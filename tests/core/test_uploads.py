"""The upload guard: safe names, types read from content, zip bombs and broken workbooks refused,
and every upload path of the site refusing a bad file with its Chinese message, storing nothing."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from onezone.core import uploads
from onezone.core.errors import InvalidInput
from onezone.core.uploads import DOCUMENTS, SPREADSHEETS, check_content, checked_upload, detect, safe_filename
from tests.conftest import PASSWORD
from tests.investment import conftest as investment

# --- Files made here, small and real -------------------------------------------------------------------


def pdf_bytes() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 4\n0000000000 65535 f \n")
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def xlsx_bytes(rows=(("开发区代码", "产值"), ("testzone", 1))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("佐证材料")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], *, level: int = 9) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def ofd_bytes() -> bytes:
    return zip_bytes(
        {"OFD.xml": b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>', "Doc_0/Document.xml": b"<d/>"}
    )


def with_member(workbook: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO(workbook)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(name, data)
    return out.getvalue()


def xlsx_bomb() -> bytes:
    """A real workbook carrying 20 MB of zeros that pack into about 20 KB."""
    return with_member(xlsx_bytes(), "xl/media/image1.bin", bytes(20 * 1024 * 1024))


EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64) + b"This program cannot be run in DOS mode."
)
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


# --- Names ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("营业执照（副本）.pdf", ".pdf", "营业执照（副本）.pdf"),
        ("../../etc/passwd", ".pdf", "passwd.pdf"),
        ("C:\\Users\\张三\\桌面\\扫描件.JPG", ".jpg", "扫描件.jpg"),
        ("invoice.exe", ".pdf", "invoice.pdf"),
        ("shell.php.pdf", ".pdf", "shell_php.pdf"),
        ("合同\u202egpj.exe", ".pdf", "合同gpj.pdf"),
        ("a\x00b\nc.png", ".png", "abc.png"),
        ("CON.docx", ".docx", "_CON.docx"),
        ("...", ".pdf", "file.pdf"),
        ("", ".xlsx", "file.xlsx"),
        ("报告:最终?版*.xlsx", ".xlsx", "报告_最终_版.xlsx"),
        ("长" * 100 + ".pdf", ".pdf", "长" * uploads.NAME_MAX_CHARS + ".pdf"),
    ],
)
def test_safe_filename_examples(name, extension, expected):
    assert safe_filename(name, extension) == expected


extensions = st.sampled_from([kind.extension for kind in DOCUMENTS])


@given(name=st.text(max_size=300), extension=extensions)
def test_safe_filename_properties(name, extension):
    safe = safe_filename(name, extension)
    stem = safe.removesuffix(extension)
    assert safe.endswith(extension)
    assert stem and not stem.startswith((".", " ")) and not stem.endswith(" ")
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert "." not in stem
    assert all(ch.isprintable() for ch in safe)
    assert len(stem) <= uploads.NAME_MAX_CHARS + 1
    assert stem.upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
    assert safe_filename(safe, extension) == safe


@given(
    stem=st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=40),
    extension=extensions,
)
def test_safe_filename_keeps_chinese_words(stem, extension):
    assert safe_filename(f"{stem}.bin", extension) == f"{stem}{extension}"


# --- Types by content -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (pdf_bytes(), uploads.PDF),
        (png_bytes(), uploads.PNG),
        (JPEG_BYTES, uploads.JPEG),
        (xlsx_bytes(), uploads.XLSX),
        (docx_bytes(), uploads.DOCX),
        (ofd_bytes(), uploads.OFD),
        (zip_bytes({"readme.txt": b"hello"}), uploads.ZIP),
        (EXE_BYTES, None),
        (HTML_BYTES, None),
        (b"", None),
    ],
)
def test_detect_reads_the_content(data, kind):
    assert detect(data) == kind


def test_every_allowed_document_passes():
    for data, kind in [(pdf_bytes(), uploads.PDF), (docx_bytes(), uploads.DOCX), (ofd_bytes(), uploads.OFD)]:
        assert check_content(data, allowed=DOCUMENTS) == kind


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (EXE_BYTES, "上传的文件类型不符（无法识别文件内容；按文件内容判断，与文件名无关）。可接受："),
        (HTML_BYTES, "上传的文件类型不符（无法识别文件内容"),
        (zip_bytes({"a.txt": b"x"}), "实际内容为普通压缩包"),
        (b"", "上传的文件是空的"),
    ],
)
def test_a_renamed_file_is_refused_whatever_its_name(data, message):
    upload = SimpleUploadedFile("营业执照.pdf", data, content_type="application/pdf")
    with pytest.raises(InvalidInput, match=message):
        checked_upload(upload, allowed=DOCUMENTS)


def test_a_picture_is_not_a_spreadsheet():
    with pytest.raises(InvalidInput, match=r"不是 Excel 工作簿（\.xlsx）（实际内容为PNG 图片"):
        uploads.check_xlsx(png_bytes())


def test_checked_upload_renames_by_the_detected_type():
    stored = checked_upload(SimpleUploadedFile("../凭证.exe", pdf_bytes()), allowed=DOCUMENTS)
    assert stored.name == "凭证.pdf"
    assert stored.read() == pdf_bytes()
    assert checked_upload(None, allowed=DOCUMENTS) is None


def test_oversize_is_refused_before_reading(settings):
    settings.ONEZONE_UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("大文件.pdf", pdf_bytes() + b"%" * 2000)
    with pytest.raises(InvalidInput, match=r"文件超过 0\.000953674MB 的上限"):
        checked_upload(upload, allowed=DOCUMENTS)
    with pytest.raises(InvalidInput, match="文件超过 50MB 的上限"):
        uploads.read_upload(io.BytesIO(bytes(50 * 1024 * 1024 + 1)))


def test_upload_limit_default_is_twenty_megabytes():
    data = b"%PDF-" + bytes(20 * 1024 * 1024)
    with pytest.raises(InvalidInput, match="文件超过 20MB 的上限"):
        check_content(data, allowed=DOCUMENTS)
    assert check_content(data[: 20 * 1024 * 1024], allowed=DOCUMENTS) == uploads.PDF


# --- Zip bombs and broken workbooks ---------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    from onezone.powers.importers import read_workbook

    bomb = xlsx_bomb()
    assert len(bomb) < 100_000
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(InvalidInput, match="压缩比异常（疑似“压缩炸弹”）"):
        read_workbook(bomb, zone_id=0)
    assert opened == []
    monkeypatch.undo()
    with pytest.raises(InvalidInput, match="压缩比异常"):
        uploads.check_xlsx(bomb)


def test_a_member_lying_about_its_size_unpacks_no_more_than_it_declares():
    """Why checking declared sizes is enough: zipfile stops at the declared size and the checksum fails."""
    data = bytearray(zip_bytes({"xl/media/a.bin": bytes(10 * 1024 * 1024)}))
    struct.pack_into("<I", data, 22, 1000)  # the local header's uncompressed size
    struct.pack_into("<I", data, data.index(b"PK\x01\x02") + 24, 1000)  # the central directory's
    unpacked = []
    with (
        uploads.check_zip(bytes(data)) as archive,
        archive.open("xl/media/a.bin") as member,
        pytest.raises(zipfile.BadZipFile, match="Bad CRC-32"),
    ):
        while chunk := member.read(100):
            unpacked.append(len(chunk))
    assert sum(unpacked) <= 1000


def test_the_unpacked_total_is_limited(settings):
    settings.ONEZONE_ZIP_MAX_UNPACKED_BYTES = 100_000
    workbook = with_member(xlsx_bytes(), "xl/media/noise.bin", bytes(range(256)) * 800)
    with pytest.raises(InvalidInput, match=r"解压后约 .*MB，超过 0\.0953674MB 的上限"):
        uploads.check_xlsx(workbook)


def test_too_many_members_are_refused(settings):
    settings.ONEZONE_ZIP_MAX_MEMBERS = 20
    archive = zip_bytes({f"part{n}.xml": b"<x/>" for n in range(21)})
    with pytest.raises(InvalidInput, match="包含 21 个部件，超过 20 个的上限"):
        detect(archive)


def test_a_nested_archive_is_refused():
    workbook = with_member(xlsx_bytes(), "xl/media/inner.zip", zip_bytes({"a.txt": b"a"}))
    with pytest.raises(InvalidInput, match=r"内嵌有压缩包（xl/media/inner\.zip）"):
        uploads.check_xlsx(workbook)


def test_an_encrypted_member_is_refused():
    plain = zip_bytes({"[Content_Types].xml": b"secret"})
    at = plain.index(b"PK\x01\x02") + 8  # the central directory's general purpose flags
    encrypted = plain[:at] + bytes([plain[at] | 0x1]) + plain[at + 1 :]
    with pytest.raises(InvalidInput, match="文件已加密"):
        uploads.check_xlsx(encrypted)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (xlsx_bytes()[:1500], r"文件已损坏（压缩结构不完整）"),
        (b"PK\x03\x04" + bytes(200), r"文件已损坏（压缩结构不完整）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), r"旧版 Office 文件（\.xls、\.doc）或设有密码的文件"),
        (docx_bytes(), r"不是 Excel 工作簿（\.xlsx）（实际内容为Word 文档"),
        (
            zip_bytes({"[Content_Types].xml": uploads._XLSX_MAIN, "xl/worksheets/sheet1.xml": b"<x/>"}),
            r"缺少工作簿主体（xl/workbook\.xml）",
        ),
        (zip_bytes({"[Content_Types].xml": uploads._XLSM_MAIN, "xl/workbook.xml": b"<x/>"}), r"不接受含宏的 Excel"),
    ],
)
def test_a_malformed_workbook_is_refused_with_what_to_do(data, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        uploads.check_xlsx(data)
    assert "请" in refused.value.message


def test_a_damaged_member_is_refused():
    good = xlsx_bytes()
    at = good.index(b"[Content_Types].xml") + len(b"[Content_Types].xml") + 5
    damaged = good[:at] + bytes([good[at] ^ 0xFF]) + good[at + 1 :]
    with pytest.raises(InvalidInput, match="已损坏"):
        uploads.check_xlsx(damaged)


def test_a_sound_workbook_passes():
    uploads.check_xlsx(xlsx_bytes())
    assert check_content(xlsx_bytes(), allowed=SPREADSHEETS) == uploads.XLSX


# --- Every upload path refuses and stores nothing -------------------------------------------------------


GUARDED_FILE_FIELDS = {
    ("assessment.Actual", "evidence"),  # assessment.views.actual_enter
    ("core.Job", "input_file"),  # the imports' start functions check the workbook first (check_xlsx)
    ("core.Job", "result_file"),  # written by the tasks themselves, never uploaded
    ("investment.FundsEntry", "evidence_file"),  # investment.views.project_action
    ("powers.ItemMaterial", "blank_form"),  # powers.admin.MaterialForm
    ("powers.ItemMaterial", "sample"),  # powers.admin.MaterialForm
    ("window.CaseFile", "file"),  # window.materials (store_by_hash); tests/window/test_materials.py
    ("window.PreReviewFile", "file"),  # window.prereview (store_by_hash); tests/window/test_materials_prereview.py
}


def test_every_file_field_is_one_the_guard_covers():
    """A new file field must get its upload path guarded (and a test below) before it joins this list."""
    from django.apps import apps
    from django.db import models

    found = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert found == GUARDED_FILE_FIELDS


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def page_text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_list_import_page_refuses_a_zip_bomb(zone, users):
    from onezone.powers.models import PowerItem

    upload = SimpleUploadedFile("清单.xlsx", xlsx_bomb())
    response = login(users["admin"]).post("/admin/powers/poweritem/import/", {"file": upload, "reason": "导入"})
    assert "压缩比异常（疑似“压缩炸弹”），已拒收" in page_text(response)
    assert PowerItem.objects.count() == 0


@pytest.mark.django_db
def test_list_import_command_refuses_a_renamed_file(zone, users, tmp_path):
    from onezone.powers.models import PowerItem

    path = tmp_path / "清单.xlsx"
    path.write_bytes(HTML_BYTES)
    with pytest.raises(CommandError, match=r"不是 Excel 工作簿（\.xlsx）（无法识别文件内容"):
        call_command("import", "powers", str(path), "--zone", zone.code, "--user", users["admin"].username)
    assert PowerItem.objects.count() == 0


@pytest.mark.django_db
def test_list_material_form_refuses_a_program_and_renames_a_document(zone, users, media):
    from onezone.org.models import Body
    from onezone.powers.admin import MaterialInline
    from onezone.powers.models import ItemMaterial, PowerItem
    from onezone.powers.services import item_create
    from tests.powers.conftest import item_data

    body = Body.objects.create(zone=zone, name="政务服务中心", kind=Body.Kind.SERVICE_CENTRE)
    item = item_create(
        actor=users["admin"],
        zone_id=zone.pk,
        data=item_data("Y001", implementing_body_id=body.pk),
        reason="清单编制",
        document="永工管发〔2024〕1号",
        effective_on=dt.date(2024, 1, 1),
        materials=[],
    )
    request = RequestFactory().get("/")
    request.user = users["admin"]
    form_class = MaterialInline(PowerItem, admin.site).get_formset(request, item).form
    fields = {"order": 1, "name": "申请书", "necessity": "required", "form": "paper", "copies": 1}

    refused = form_class(data=fields, files={"blank_form": SimpleUploadedFile("申请表.pdf", EXE_BYTES)})
    assert not refused.is_valid()
    assert "上传的文件类型不符（无法识别文件内容" in refused.errors["blank_form"][0]

    accepted = form_class(
        data=fields,
        files={"sample": SimpleUploadedFile("../样表\u202e.pdf.exe", docx_bytes())},
        instance=ItemMaterial(item=item),
    )
    assert accepted.is_valid(), accepted.errors
    assert accepted.cleaned_data["sample"].name == "样表_pdf.docx"
    assert ItemMaterial.objects.count() == 0 and stored_files(media) == []


@pytest.mark.django_db
def test_enterprise_import_page_refuses_a_malformed_workbook(zone, users):
    from onezone.enterprises.models import Enterprise

    upload = SimpleUploadedFile("企业名录.xlsx", xlsx_bytes()[:2000])
    response = login(users["admin"]).post("/desk/enterprises/import/", {"file": upload})
    assert "文件已损坏（压缩结构不完整），无法打开。请用原软件重新保存或导出后再上传。" in page_text(response)
    assert Enterprise.objects.count() == 0


@pytest.mark.django_db
def test_enterprise_import_command_refuses_a_zip_bomb(zone, users, tmp_path):
    from onezone.enterprises.models import Enterprise

    path = tmp_path / "企业名录.xlsx"
    path.write_bytes(xlsx_bomb())
    with pytest.raises(CommandError, match="疑似“压缩炸弹”"):
        call_command("import_enterprises", str(path), "--zone", zone.code, "--user", users["admin"].username)
    assert Enterprise.objects.count() == 0


@pytest.mark.django_db
def test_assessment_value_import_refuses_an_old_excel_file(zone, root):
    from onezone.assessment.models import Scheme, SchemeNode, ZoneValue

    scheme = Scheme.objects.create(name="测试评价体系", province_code="620000", missing_rule="zero")
    root_node = SchemeNode.objects.create(scheme=scheme, key="root", name="综合", weight=Decimal(100), order=0)
    SchemeNode.objects.create(scheme=scheme, parent=root_node, key="a1", name="产值", weight=Decimal(100), order=1)
    upload = SimpleUploadedFile("指标值.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    response = login(root).post(
        f"/admin/assessment/scheme/{scheme.pk}/tools/", {"action": "import", "year": 2025, "file": upload}, follow=True
    )
    assert "上传的是旧版 Office 文件（.xls、.doc）或设有密码的文件" in page_text(response)
    assert ZoneValue.objects.count() == 0


@pytest.mark.django_db
def test_assessment_evidence_refuses_a_web_page_named_pdf(zone, users, media):
    from onezone.assessment.models import Actual
    from onezone.assessment.services import target_set

    target = target_set(
        actor=users["leader"], zone_id=zone.pk, year=2026, indicator_key="funds_in_place", value="300", weight="20"
    )
    upload = SimpleUploadedFile("佐证.pdf", HTML_BYTES, content_type="application/pdf")
    response = login(users["leader"]).post(
        reverse("assessment:actual-enter", args=[target.pk]), {"value": "150", "evidence": upload}, follow=True
    )
    assert "上传的文件类型不符（无法识别文件内容；按文件内容判断，与文件名无关）" in page_text(response)
    assert Actual.objects.count() == 0 and stored_files(media) == []


parks = investment.parks


@pytest.fixture
def project(zone, parks, users):
    return investment.signed_project(zone, parks, users["investment_officer"])


def post_funds(client, project, upload):
    return client.post(
        reverse("investment-project-action", args=[project.pk, "funds"]),
        {"amount": "2500000", "received_on": "2024-02-01", "source": "domestic", "evidence_file": upload},
        follow=True,
    )


@pytest.mark.django_db
def test_funds_evidence_refuses_a_program_and_stores_nothing(project, users, media):
    from onezone.investment.models import FundsEntry

    upload = SimpleUploadedFile("到账凭证.pdf", EXE_BYTES, content_type="application/pdf")
    response = post_funds(login(users["investment_officer"]), project, upload)
    assert "上传的文件类型不符（无法识别文件内容" in page_text(response)
    assert FundsEntry.objects.count() == 0 and stored_files(media) == []


@pytest.mark.django_db
def test_funds_evidence_is_stored_under_a_safe_name(project, users, media):
    from onezone.investment.models import FundsEntry

    upload = SimpleUploadedFile("..\\..\\到账\u202e凭证.exe", pdf_bytes())
    post_funds(login(users["investment_officer"]), project, upload)
    entry = FundsEntry.objects.get()
    assert entry.evidence_file.name.endswith("/到账凭证.pdf")
    assert [path.name for path in stored_files(media)] == ["到账凭证.pdf"]
    assert entry.evidence_file.read() == pdf_bytes()
