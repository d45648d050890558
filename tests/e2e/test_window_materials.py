"""Materials through the browser: the enterprise uploads its materials for pre-review in the portal; the
clerk previews them, registers the case with the applicant filled in from the enterprise register, takes
the files into the case and attaches one more from the case page."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from onezone.demo.loader import DEMO_PASSWORD, load_demo
from onezone.window.models import Case
from onezone.window.models_materials import CaseFile, PreReview, PreReviewStatus
from tests.core.test_uploads import pdf_bytes
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots of each step, to look at: set ONEZONE_SCREENSHOTS to a folder.
SHOTS = os.environ.get("ONEZONE_SCREENSHOTS", "")


def _png() -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (320, 200), (250, 250, 245))
    ImageDraw.Draw(picture).rectangle((10, 10, 310, 190), outline=(200, 30, 30), width=6)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    from onezone.core.calendar import calendar_seed
    from onezone.powers.selectors import items_in_force

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ONEZONE_SCAN_DIR = tmp_path / "scans"
    calendar_seed()
    ctx = load_demo(only=["s10_foundation", "s20_powers", "s30_enterprises"])
    from django.utils import timezone

    item = next(
        t
        for t in items_in_force(zone_id=ctx.zone.pk, on=timezone.localdate())
        if len(t.materials) >= 2 and any(m.required for m in t.materials) and not t.is_instant
    )
    return ctx, item


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _file(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_prereview_to_case_with_preview_and_lookup(page, live_server, demo, tmp_path):
    ctx, item = demo
    enterprise = ctx.extra["enterprise"]

    # The enterprise, in its portal.
    page.goto(f"{live_server.url}/portal/enterprise/login/")
    page.fill("input[name=username]", "demo-enterprise")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#enterprise-login button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/enterprise/")
    page.goto(f"{live_server.url}/portal/window/prereview/?q={item.code}")
    with page.expect_navigation():
        page.locator("#item-results").get_by_role("button", name="开始预审").first.click()
    required = [m for m in item.materials if m.required]
    for index, material in enumerate(required):
        row = page.locator(f"#prereview-lines tr[data-material='{material.material_id}']")
        data, name = (_png(), f"照片{index}.png") if index == 0 else (pdf_bytes() + bytes([index]), f"扫描{index}.pdf")
        row.locator("input[type=file]").set_input_files(_file(tmp_path, name, data))
        with page.expect_navigation():
            row.get_by_role("button", name="上传", exact=True).click()
        expect(page.locator(f"#prereview-lines tr[data-material='{material.material_id}']")).to_contain_text(name)
    _shot(page, "portal_prereview_filled")
    with page.expect_navigation():
        page.locator("#prereview-submit").click()
    expect(page.locator("#prereview-status")).to_have_text("已提交预审")
    prereview = PreReview.objects.get()
    assert prereview.status == PreReviewStatus.SUBMITTED

    # The clerk, at the desk.
    page.context.clear_cookies()
    login(page, live_server, "demo-clerk", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/window/prereviews/")
    page.get_by_role("link", name=prereview.number).click()
    page.locator(".wm-preview[data-picture='1']").first.click()
    picture = page.locator("#material-preview-img")
    expect(picture).to_be_visible()
    page.wait_for_function("document.getElementById('material-preview-img').naturalWidth === 320")
    _shot(page, "desk_prereview_preview")

    page.get_by_role("link", name="受理登记").click()
    expect(page.locator("#applicant_name")).to_have_value(enterprise.name)
    expect(page.locator("#applicant_uscc")).to_have_value(enterprise.uscc)
    expect(page.locator("#applicant-lookup-status")).to_contain_text("已填入")
    for material in required:
        page.locator(f"#m-{material.material_id}").check()
    _shot(page, "desk_intake_filled")
    with page.expect_navigation():
        page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator("#case-state")).to_have_text("已受理")
    case = Case.objects.get()

    page.goto(f"{live_server.url}/desk/window/prereviews/{prereview.pk}/")
    with page.expect_navigation():
        page.locator("#prereview-take").get_by_role("button", name="转入办件").click()
    expect(page.locator("#material-lines")).to_contain_text("照片0.png")
    assert CaseFile.objects.filter(case=case, source="prereview").count() == len(required)

    optional = next((m for m in item.materials if not m.required), item.materials[-1])
    row = page.locator(f"#material-lines tr[data-material='{optional.material_id}']")
    row.locator("input[type=file]").set_input_files(_file(tmp_path, "补充材料.pdf", pdf_bytes() + b"extra"))
    with page.expect_navigation():
        row.get_by_role("button", name="上传", exact=True).click()
    expect(page.locator(f"#material-lines tr[data-material='{optional.material_id}']")).to_contain_text("补充材料.pdf")
    _shot(page, "case_materials")
    assert CaseFile.objects.filter(case=case).count() == len(required) + 1
