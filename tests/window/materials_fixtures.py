"""Fixtures of the materials tests: a media directory, a scan folder, an enterprise with its portal user
and a contact, a received case of that enterprise; files made small and real."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onezone.core.roles import Role
from onezone.window import services
from tests.conftest import PASSWORD, make_user
from tests.core.test_uploads import JPEG_BYTES, docx_bytes, pdf_bytes, png_bytes
from tests.enterprises import conftest as enterprises_conftest
from tests.window.conftest import ENTERPRISE

parks = enterprises_conftest.parks
USCC = ENTERPRISE.uscc

__all__ = ["JPEG_BYTES", "docx_bytes", "parks", "pdf_bytes", "png_bytes"]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def raw(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def scan_dir(settings, tmp_path) -> Path:
    settings.ONEZONE_SCAN_DIR = tmp_path / "scans"
    return settings.ONEZONE_SCAN_DIR


@pytest.fixture
def firm(zone, users, parks):
    """The applicant enterprise (ENTERPRISE's credit code), its main contact, its portal user."""
    from onezone.enterprises.services import contact_add, enterprise_register, member_link

    enterprise = enterprise_register(
        actor=users["admin"],
        zone_id=zone.pk,
        uscc=USCC,
        name=ENTERPRISE.name,
        industry_code="C3211",
        park=parks["hexipu"],
        legal_representative="王建国",
    )
    contact_add(actor=users["admin"], enterprise=enterprise, name="刘芳", mobile="13909351234", is_primary=True)
    member_link(actor=users["admin"], user=users["enterprise"], enterprise=enterprise)
    return enterprise


@pytest.fixture
def other_firm(zone, users, parks):
    """Another enterprise of the zone with its own portal user."""
    from onezone.enterprises.services import enterprise_register, member_link
    from tests.enterprises.conftest import uscc

    enterprise = enterprise_register(
        actor=users["admin"],
        zone_id=zone.pk,
        uscc=uscc(77),
        name="永昌另一化工有限公司",
        industry_code="C2614",
        park=parks["hexipu"],
    )
    user = make_user("u-other-enterprise", zone=zone, role=Role.ENTERPRISE)
    member_link(actor=users["admin"], user=user, enterprise=enterprise)
    return enterprise, user


@pytest.fixture
def case(zone, items, staff, firm, media):
    """A case of the enterprise for the promised item, received with its first material presented."""
    material_ids = list(items["promised"].materials.order_by("order").values_list("pk", flat=True))
    return services.case_receive(
        actor=staff["clerk"],
        zone_id=zone.pk,
        item_id=items["promised"].pk,
        applicant=ENTERPRISE,
        presented=material_ids[:1],
    )


def lines(case) -> list[int]:
    return [int(m["material_id"]) for m in case.materials]
