"""A bundle of the window fixture's items: two in parallel (stage 1), the joint one after them (stage 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from onezone.window import services as window
from onezone.window.bundles import services as svc
from onezone.window.models import Case
from tests.window.conftest import ENTERPRISE

D = dt.date
ALL = ["申请书", "营业执照复印件", "授权委托书"]
RECEIVED_ON = D(2026, 9, 1)


@pytest.fixture(autouse=True)
def bundle_today(monkeypatch, fixed_today):
    from onezone.window.bundles import selectors

    monkeypatch.setattr(svc, "_today", lambda: fixed_today)
    monkeypatch.setattr(selectors, "_today", lambda: fixed_today)


@pytest.fixture
def bundle(zone, staff, items):
    return svc.bundle_define(
        actor=staff["admin"],
        zone_id=zone.pk,
        code="project-start",
        name="项目开工一件事",
        members=[(items["promised"].pk, 1), (items["instant"].pk, 1), (items["joint"].pk, 2)],
        committed_limit=30,
        visits=1,
    )


def receive(staff, zone, bundle, *, presented=ALL, on=RECEIVED_ON):
    return svc.bundle_receive(
        actor=staff["clerk"], zone_id=zone.pk, bundle_id=bundle.pk, applicant=ENTERPRISE, presented=presented, on=on
    )


def decide(staff, case: Case, on: dt.date, *, granted: bool = True) -> Case:
    """Decide a sub-case as its body would: the instant one at the window, the others after review."""
    if case.terms.get("is_instant"):
        return window.case_decide(actor=staff["clerk"], case_id=case.pk, granted=granted, text="准予。", on=on)
    window.case_review_start(actor=staff["reviewer"], case_id=case.pk, on=on)
    window.case_review_confirm(actor=staff["reviewer2"], case_id=case.pk, opinion="同意。", on=on)
    return window.case_decide(
        actor=staff["reviewer"], case_id=case.pk, granted=granted, text="准予。" if granted else "不予许可。", on=on
    )


def finish(staff, case: Case, on: dt.date) -> Case:
    window.case_deliver(actor=staff["clerk"], case_id=case.pk, on=on)
    return window.case_close(actor=staff["clerk"], case_id=case.pk, on=on)
