"""Issuing documents: once per record and kind, numbered, coded, hashed, signed with the zone's key;
the public verification page and its upload check."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onezone.core.documents import selectors
from onezone.core.documents.gongwen import Gongwen, Paragraph
from onezone.core.documents.models import IssuedDocument
from onezone.core.documents.services import CODE_ALPHABET, document_issue
from onezone.core.errors import InvalidInput, PermissionDenied
from onezone.core.models import AuditEvent
from onezone.core.roles import Role

pytestmark = pytest.mark.django_db
ROLES = {Role.CLERK}
DAY = dt.date(2026, 12, 8)


def build(number, verification):
    return Gongwen(
        title="受理通知书",
        issuer_mark="测试工业园区政务服务中心",
        number=number,
        addressee="李四",
        blocks=[Paragraph("本机关决定予以受理。")],
        signature="测试工业园区政务服务中心",
        date=DAY,
        sealed=True,
        verification=verification,
    )


def issue(users, zone, source_id=1, kind="acceptance", series="测试许受", day=DAY, actor=None):
    return document_issue(
        actor=actor or users["clerk"],
        zone=zone,
        roles=ROLES,
        source="test.record",
        source_id=source_id,
        kind=kind,
        series=series,
        issued_on=day,
        base_url="http://testserver/",
        build=build,
    )


def test_issue_numbers_codes_hashes_and_audits(users, zone):
    first = issue(users, zone)
    assert first.number == "测试许受〔2026〕1号" and first.serial == 1 and first.year == 2026
    symbol = f"[{CODE_ALPHABET}]"
    assert re.fullmatch(f"({symbol}{{4}}-){{3}}{symbol}{{4}}", first.code)
    assert first.pdf_sha256 == hashlib.sha256(bytes(first.pdf)).hexdigest()
    assert bytes(first.docx)[:2] == b"PK" and bytes(first.pdf).startswith(b"%PDF-")
    assert first.issuer == "测试工业园区政务服务中心" and first.issued_by == users["clerk"] and first.signed_by == ""
    event = AuditEvent.objects.get(action="document.issue")
    assert event.changes["number"] == first.number and event.changes["sha256"] == first.pdf_sha256
    # Once per record and kind: the same files again, no new number.
    again = issue(users, zone)
    assert again.pk == first.pk and bytes(again.pdf) == bytes(first.pdf)
    assert IssuedDocument.objects.count() == 1 and AuditEvent.objects.filter(action="document.issue").count() == 1
    # The serial counts per series and year.
    assert issue(users, zone, source_id=2).number == "测试许受〔2026〕2号"
    assert issue(users, zone, source_id=3, kind="refusal", series="测试许不受").number == "测试许不受〔2026〕1号"
    assert issue(users, zone, source_id=4, day=dt.date(2027, 1, 4)).number == "测试许受〔2027〕1号"


def test_issue_refuses_who_may_not_and_leaves_nothing(users, zone, other_zone):
    with pytest.raises(PermissionDenied):
        issue(users, zone, actor=users["enterprise"])
    with pytest.raises(PermissionDenied):
        issue(users, other_zone)  # the clerk holds no role there
    assert IssuedDocument.objects.count() == 0 and not AuditEvent.objects.filter(action="document.issue").exists()


def test_issue_checks_lengths(users, zone):
    with pytest.raises(InvalidInput) as exc:
        issue(users, zone, series="测" * 21)
    assert exc.value.message == "发文字号代字最多 20 个字，现为 21 个字，请缩短。"
    assert IssuedDocument.objects.count() == 0


def test_codes_normalise():
    assert selectors.normalise_code(" k7qm 2xpa-9wtr-hd3f ") == "K7QM-2XPA-9WTR-HD3F"
    assert selectors.normalise_code("K7QM2XPA9WTRHD3F") == "K7QM-2XPA-9WTR-HD3F"
    assert selectors.normalise_code("K7QM-2XPA-9WTR-HD3") is None  # too short
    assert selectors.normalise_code("O7QM-2XPA-9WTR-HD3F") is None  # O is not in the alphabet
    assert selectors.normalise_code("x" * 5000) is None


def test_public_reads_pin_their_queries(users, zone, django_assert_num_queries):
    document = issue(users, zone)
    with django_assert_num_queries(1):
        found = selectors.document_public(document.code.lower())
    assert found.number == document.number and found.zone_name == zone.name
    with django_assert_num_queries(0):
        assert selectors.document_public("not a code") is None
    with django_assert_num_queries(1):
        links = selectors.documents_of(zone_id=zone.pk, source="test.record", source_id=1)
    assert list(links) == ["acceptance"] and links["acceptance"].code == document.code


# --- signing -------------------------------------------------------------------------------------------------


def _self_signed_p12(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试工业园区管理委员会")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, True, False, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "zone.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"zone", key, cert, None, serialization.BestAvailableEncryption(b"secret-passphrase")
        )
    )
    return path, cert


def test_signed_with_the_zones_key_and_valid_offline(users, zone, settings, tmp_path):
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    path, cert = _self_signed_p12(tmp_path)
    settings.ONEZONE_SIGNING_KEYS = {zone.code: {"p12": str(path), "passphrase": "secret-passphrase"}}
    document = issue(users, zone)
    assert document.signed_by == "Common Name: 测试工业园区管理委员会"
    assert document.pdf_sha256 == hashlib.sha256(bytes(document.pdf)).hexdigest()  # the hash of the signed file
    reader = PdfFileReader(io.BytesIO(bytes(document.pdf)))
    (signature,) = reader.embedded_signatures
    root = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root], allow_fetching=False))
    assert status.intact and status.valid and status.trusted and status.bottom_line
    # A changed byte breaks it.
    tampered = bytearray(document.pdf)
    at = bytes(tampered).index(b"/Title")
    tampered[at + 1] = ord("X")
    broken = PdfFileReader(io.BytesIO(bytes(tampered))).embedded_signatures[0]
    assert not validate_pdf_signature(broken, ValidationContext(trust_roots=[root], allow_fetching=False)).intact


def test_a_wrong_passphrase_is_said_in_chinese(users, zone, settings, tmp_path):
    path, _ = _self_signed_p12(tmp_path)
    settings.ONEZONE_SIGNING_P12 = str(path)
    settings.ONEZONE_SIGNING_PASSPHRASE = "wrong"
    with pytest.raises(InvalidInput) as exc:
        issue(users, zone)
    assert exc.value.message == "签章证书文件或其口令不正确，无法签署文书，请系统管理员检查签章设置。"
    assert IssuedDocument.objects.count() == 0


# --- the public page ------------------------------------------------------------------------------------------


def test_verification_page(users, zone):
    document = issue(users, zone)
    client = Client()
    page = client.get(f"/portal/verify/{document.code}/")
    html = page.content.decode()
    assert page.status_code == 200 and "经核验，这是测试工业园区政务服务中心出具的真实文书" in html
    assert document.number in html and "2026年12月8日" in html and document.pdf_sha256 in html
    assert "李四" not in html  # nothing personal
    assert client.get("/portal/verify/", {"code": document.code.replace("-", " ").lower()}).url == (
        f"/portal/verify/{document.code}/"
    )
    unknown = client.get("/portal/verify/2222-2222-2222-2222/")
    assert unknown.status_code == 404 and "未找到与之对应的文书" in unknown.content.decode()
    assert client.get("/portal/verify/").status_code == 200


def test_upload_is_compared_with_the_issued_pdf(users, zone):
    document = issue(users, zone)
    client = Client()
    same = client.post(
        "/portal/verify/", {"code": document.code, "file": SimpleUploadedFile("a.pdf", bytes(document.pdf))}
    )
    assert same.status_code == 200 and "逐字节一致" in same.content.decode()
    by_content = client.post("/portal/verify/", {"file": SimpleUploadedFile("a.pdf", bytes(document.pdf))})
    assert document.number in by_content.content.decode() and "逐字节一致" in by_content.content.decode()
    changed = bytes(document.pdf).replace(b"/Title", b"/Titla", 1)
    differs = client.post("/portal/verify/", {"code": document.code, "file": SimpleUploadedFile("a.pdf", changed)})
    assert "不一致" in differs.content.decode() and document.number in differs.content.decode()
    not_pdf = client.post("/portal/verify/", {"code": document.code, "file": SimpleUploadedFile("a.txt", b"hello")})
    assert not_pdf.status_code == 400 and "不是 PDF" in not_pdf.content.decode()


def test_verification_is_rate_limited(users, zone, settings):
    settings.ONEZONE_WINDOW_LOOKUPS_PER_MINUTE = 2
    document = issue(users, zone)
    client = Client()
    assert [client.get(f"/portal/verify/{document.code}/").status_code for _ in range(3)] == [200, 200, 429]
