"""A clawed-back award records the amount to recover and each sum that comes back (service and page)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from onezone.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from onezone.core.middleware import SESSION_ZONE_KEY
from onezone.core.models import AuditEvent
from onezone.investment import services
from onezone.investment.clawback import award_recovered, award_recovery_record
from onezone.investment.models import AwardRecovery
from tests.investment.test_services import _completed, claim

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def paid(zone, parks, officer, users, policy):
    award = claim(_completed(zone, parks, officer), officer, policy)
    award = services.award_approve(actor=users["leader"], award=award, on=D(2025, 6, 10))
    return services.award_pay(actor=users["leader"], award=award, payment_reference="财付2025-08", on=D(2025, 7, 1))


def test_the_amount_to_recover_is_the_award_unless_less_is_set(paid, users):
    leader = users["leader"]
    with pytest.raises(InvalidInput, match=re.escape("应追回金额应大于0且不超过已兑付的奖励金额190,000.00元")):
        services.award_claw_back(actor=leader, award=paid, reason="迁出", amount=Decimal("190000.01"))
    assert type(paid).objects.get(pk=paid.pk).status == "paid"
    award = services.award_claw_back(
        actor=leader, award=paid, reason="投产后一年内迁出", amount=Decimal("95000.00"), on=D(2026, 1, 5)
    )
    assert (award.status, award.clawback_amount, award.clawed_back_on) == (
        "clawed_back",
        Decimal("95000.00"),
        D(2026, 1, 5),
    )
    event = AuditEvent.objects.get(action="investment.award.claw_back", object_id=str(award.pk))
    assert event.changes["clawback_amount"] == "95000.00"


def test_recoveries_add_up_to_no_more_than_the_amount_to_recover(paid, users):
    leader = users["leader"]
    with pytest.raises(TransitionNotAllowed, match="追回后才能登记追回款"):
        award_recovery_record(actor=leader, award=paid, received_on=D(2026, 1, 6), amount="1000", reference="缴1")
    award = services.award_claw_back(actor=leader, award=paid, reason="迁出", on=D(2026, 1, 5))
    assert award.clawback_amount == Decimal("190000.00")
    award_recovery_record(actor=leader, award=award, received_on=D(2026, 2, 1), amount="150,000", reference="缴1")
    with pytest.raises(InvalidInput, match=re.escape("尚待追回40,000.00元，本次登记的40,000.01元超过了待追回金额")):
        award_recovery_record(actor=leader, award=award, received_on=D(2026, 2, 2), amount="40000.01", reference="缴2")
    with pytest.raises(InvalidInput, match="到账日期应在追回日期2026-01-05至今天之间"):
        award_recovery_record(actor=leader, award=award, received_on=D(2026, 1, 4), amount="1", reference="缴2")
    with pytest.raises(InvalidInput, match="请填写缴款凭证编号"):
        award_recovery_record(actor=leader, award=award, received_on=D(2026, 2, 2), amount="1", reference=" ")
    with pytest.raises(PermissionDenied):
        award_recovery_record(actor=users["clerk"], award=award, received_on=D(2026, 2, 2), amount="1", reference="缴2")
    award_recovery_record(actor=leader, award=award, received_on=D(2026, 2, 2), amount="40000", reference="缴2")
    assert award_recovered(award) == Decimal("190000.00")
    assert AwardRecovery.objects.filter(award=award).count() == 2
    assert AuditEvent.objects.filter(action="investment.award.recovery", object_id=str(award.pk)).count() == 2


def test_the_awards_page_claws_back_and_records_what_came_back(zone, paid, users):
    client = Client()
    client.force_login(users["leader"])  # the zone's leader decides awards
    session = client.session
    session[SESSION_ZONE_KEY] = zone.pk
    session.save()
    base = f"/desk/investment/awards/{paid.pk}"
    client.post(f"{base}/claw_back/", {"reason": "迁出", "amount": "100000"})
    page = client.get("/desk/investment/awards/").content.decode()
    assert "应追回 10.00万元，已追回 0.00元" in page
    response = client.post(
        f"{base}/recover/", {"received_on": "2099-01-01", "amount": "1", "reference": "缴1"}, follow=True
    )
    assert "到账日期应在追回日期" in response.content.decode()
    today = timezone.localdate().isoformat()
    client.post(f"{base}/recover/", {"received_on": today, "amount": "30000", "reference": "缴1"})
    assert award_recovered(paid) == Decimal("30000.00")
    page = client.get("/desk/investment/awards/").content.decode()
    assert "应追回 10.00万元，已追回 3.00万元" in page and "登记追回款" in page
