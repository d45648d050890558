import pytest
from django.utils import timezone

from onezone.demo.loader import load_demo
from onezone.window import selectors, services
from onezone.window.models import Case, CaseState, Complaint, Rating, Rectification

pytestmark = pytest.mark.django_db


def test_window_demo_loads_cases_in_many_states(calendar_seeded, monkeypatch):
    monkeypatch.setattr(services, "_today", timezone.localdate)
    monkeypatch.setattr(selectors, "_today", timezone.localdate)
    ctx = load_demo(only=["s10_foundation", "s20_powers", "s50_window"])
    assert Case.objects.count() >= 100
    states = set(Case.objects.values_list("state", flat=True))
    assert {CaseState.CLOSED, CaseState.UNDER_REVIEW, CaseState.WITHDRAWN, CaseState.REFUSED} <= states
    assert Rating.objects.filter(level__lte=2).exists()
    assert Rectification.objects.filter(status="done").exists()
    assert Complaint.objects.filter(status="answered").count() == 2
    assert "政务服务：办件" in ctx.log[-1]
