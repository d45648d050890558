"""Browser tests drive Debian's Chromium through Playwright.

Without a browser they skip on a developer's machine and fail in CI (CI=true), so a missing
browser can never pass unnoticed.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def _chromium() -> str | None:
    explicit = os.environ.get("ONEZONE_CHROMIUM")
    if explicit:
        return explicit
    for path in CHROMIUM_CANDIDATES:
        if shutil.which(path):
            return path
    return None


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if executable is None:
        message = "没有找到 Chromium：请安装 Debian 的 chromium 包（apt-get install -y chromium）。"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls are safe.
    # The switch is taken back afterwards so no later test (or subprocess) inherits it.
    had_switch = "DJANGO_ALLOW_ASYNC_UNSAFE" in os.environ
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()
    if not had_switch:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def appoint_to_service_centre(zone, user, title: str = "第二审查员") -> None:
    """Seat ``user`` at the zone's service centre, whose cases they then review (authority by body)."""
    import datetime as dt

    from onezone.org.models import Appointment, Body, Person, Post

    centre = Body.objects.filter(zone=zone, kind=Body.Kind.SERVICE_CENTRE).order_by("pk").first()
    post = Post.objects.create(zone=zone, body=centre, title=title)
    person = Person.objects.create(zone=zone, name=user.username, user=user)
    Appointment.objects.create(zone=zone, person=person, post=post, start=dt.date(2020, 1, 1))
