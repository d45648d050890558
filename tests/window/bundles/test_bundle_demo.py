import pytest
from django.utils import timezone

from onezone.demo.loader import load_demo
from onezone.window import services as window
from onezone.window.bundles import selectors as sel
from onezone.window.bundles import services
from onezone.window.bundles.models import Bundle, BundleCase

pytestmark = pytest.mark.django_db


def test_demo_bundles_are_run_through_the_services(calendar_seeded, monkeypatch):
    monkeypatch.setattr(window, "_today", timezone.localdate)
    monkeypatch.setattr(services, "_today", timezone.localdate)
    monkeypatch.setattr(sel, "_today", timezone.localdate)
    ctx = load_demo(only=["s10_foundation", "s20_powers", "s57_bundles"])
    assert sorted(Bundle.objects.values_list("name", flat=True)) == ["企业开办一件事", "项目开工一件事"]
    states = sorted(
        sel.bundle_case_detail(zone_id=ctx.zone.pk, bundle_case_id=pk).state
        for pk in BundleCase.objects.values_list("pk", flat=True)
    )
    assert states == ["done", "done", "done", "in_progress", "received", "supplement_requested"]
    rows = {
        r.bundle.code: r
        for r in sel.bundle_efficiency(
            zone_id=ctx.zone.pk,
            start=ctx.zone.established,
            end=max(BundleCase.objects.values_list("received_on", flat=True)),
        )
    }
    assert rows["qiye-kaiban"].done == 2 and rows["xiangmu-kaigong"].done == 1
    assert rows["xiangmu-kaigong"].bundle_visits == 2
    assert rows["xiangmu-kaigong"].one_by_one_visits == sum(
        m.item.visits for m in Bundle.objects.get(code="xiangmu-kaigong").members.all()
    )
