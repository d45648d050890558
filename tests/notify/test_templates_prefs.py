"""Templates the administrator edits, and each person's choice of channels."""

from __future__ import annotations

import pytest

from onezone.core.errors import InvalidInput, PermissionDenied
from onezone.core.models import AuditEvent
from onezone.notify.models import Channel, Contact, Delivery, Notification, Template
from onezone.notify.services import notify_event, preferences_save, template_reset, template_save
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _tell(zone, people, key="k"):
    return notify_event(
        zone_id=zone.pk,
        event="tests.thing_done",
        recipients=people,
        context={"name": "营业执照", "person": "李"},
        key=key,
    )


def test_the_zones_wording_replaces_the_default_in_that_zone_only(zone, other_zone, users):
    template_save(
        actor=users["admin"],
        zone_id=zone.pk,
        event="tests.thing_done",
        subject="【办结】{{ name }}",
        body="{{ person }}，您的{{ name }}已办结。",
    )
    assert AuditEvent.objects.filter(action="notify.template_save").count() == 1
    clerk = users["clerk"]
    _tell(zone, [clerk])
    n = Notification.objects.get(zone=zone)
    assert (n.subject, n.body) == ("【办结】营业执照", "李，您的营业执照已办结。")
    outsider = make_user("elsewhere", zone=other_zone)
    notify_event(zone_id=other_zone.pk, event="tests.thing_done", recipients=[outsider], context={"name": "X"}, key="o")
    assert Notification.objects.get(zone=other_zone).subject == "事项“X”已办结"
    template_reset(actor=users["admin"], zone_id=zone.pk, event="tests.thing_done")
    assert Template.objects.count() == 0
    _tell(zone, [clerk], key="k2")
    assert Notification.objects.get(zone=zone, key="k2").subject == "事项“营业执照”已办结"


def test_only_an_administrator_edits_templates_and_nothing_changes_otherwise(zone, users):
    with pytest.raises(PermissionDenied):
        template_save(actor=users["clerk"], zone_id=zone.pk, event="tests.thing_done", subject="x", body="y")
    assert Template.objects.count() == 0
    assert AuditEvent.objects.filter(action="notify.template_save").count() == 0


@pytest.mark.parametrize(
    ("subject", "body", "field", "message"),
    [
        ("", "内容", "subject", "请填写标题模板。"),
        ("标", "", "body", "请填写内容模板。"),
        ("标" * 201, "内容", "subject", "标题模板最长 200 个字符，收到 201 个。"),
        ("标", "内" * 2001, "body", "内容模板最长 2000 个字符，收到 2001 个。"),
        ("{% if %}", "内容", "subject", "模板语法错误"),
        ("标", "{{ name|nosuchfilter }}", "body", "模板语法错误"),
    ],
)
def test_template_errors_are_named(zone, users, subject, body, field, message):
    with pytest.raises(InvalidInput) as err:
        template_save(actor=users["admin"], zone_id=zone.pk, event="tests.thing_done", subject=subject, body=body)
    assert err.value.fields[field].startswith(message)
    assert Template.objects.count() == 0


def test_an_unknown_event_has_no_template(zone, users):
    with pytest.raises(InvalidInput, match=r"没有名为“tests\.none”的通知事件"):
        template_save(actor=users["admin"], zone_id=zone.pk, event="tests.none", subject="a", body="b")


def test_a_long_rendering_is_marked_not_silently_cut(zone, users):
    template_save(actor=users["admin"], zone_id=zone.pk, event="tests.thing_done", subject="{{ name }}", body="b")
    notify_event(
        zone_id=zone.pk, event="tests.thing_done", recipients=[users["clerk"]], context={"name": "长" * 300}, key="l"
    )
    subject = Notification.objects.get().subject
    assert len(subject) == 200 and subject.endswith("…")


def test_preferences_choose_the_channels_per_event(zone, users):
    clerk = users["clerk"]
    clerk.email = "clerk@example.cn"
    clerk.save()
    preferences_save(
        actor=clerk,
        zone_id=zone.pk,
        choices={("tests.thing_done", Channel.EMAIL): False, ("tests.thing_done", Channel.SMS): True},
        mobile="13912345678",
    )
    _tell(zone, [clerk])
    assert list(Delivery.objects.values_list("channel", "address")) == [(Channel.SMS, "13912345678")]
    # The inbox keeps it anyway.
    assert Notification.objects.filter(recipient=clerk).count() == 1
    preferences_save(
        actor=clerk,
        zone_id=zone.pk,
        choices={("tests.thing_done", Channel.EMAIL): True, ("tests.thing_done", Channel.SMS): False},
        mobile="",
    )
    _tell(zone, [clerk], key="k2")
    assert list(Delivery.objects.filter(notification__key="k2").values_list("channel", flat=True)) == [Channel.EMAIL]
    assert Contact.objects.get(user=clerk).mobile == ""


def test_preferences_refuse_what_cannot_be_chosen_and_keep_the_old(zone, users):
    clerk = users["clerk"]
    with pytest.raises(InvalidInput, match="站内消息总会保留"):
        preferences_save(actor=clerk, zone_id=zone.pk, choices={("tests.thing_done", Channel.INBOX): False}, mobile="")
    with pytest.raises(InvalidInput, match="手机号码最长 11 位，收到 12 位"):
        preferences_save(actor=clerk, zone_id=zone.pk, choices={}, mobile="139123456789")
    with pytest.raises(InvalidInput, match="没有名为"):
        preferences_save(actor=clerk, zone_id=zone.pk, choices={("tests.none", Channel.EMAIL): False}, mobile="")
    assert Contact.objects.count() == 0
