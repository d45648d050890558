"""The schema stays shardable by zone: onezone.E101 (unique rules without zone_id) and onezone.W102 (rows of a
foreign key between zone tables that point into another zone)."""

from __future__ import annotations

from django.apps import apps
from django.core.checks import run_checks

from onezone.core import checks
from onezone.org.models import Body, Post


def test_the_schema_has_no_unique_rule_without_zone_and_every_exception_is_real():
    assert checks.zone_unique_findings() == []
    rules = {
        f"{model._meta.label}.{name}": fields
        for model in checks.zone_tables()
        for name, fields in checks._unique_sets(model)
    }
    for key, reason in checks.ZONE_UNIQUE_EXCEPTIONS.items():
        assert key in rules, f"{key} is no longer a unique rule: remove its exception"
        assert "zone" not in rules[key]
        assert len(reason) > 40


def test_a_unique_rule_without_zone_is_reported(monkeypatch):
    monkeypatch.delitem(checks.ZONE_UNIQUE_EXCEPTIONS, "core.Job.key")
    errors = [e for e in run_checks(tags=["onezone"]) if e.id == "onezone.E101"]
    assert [e.msg for e in errors] == [
        "开发区数据表 core.Job.key 的唯一约束（key）不含 zone_id，按开发区分片后无法保证。"
    ]


def test_a_unique_rule_led_by_a_zone_parent_or_holding_zone_is_zone_local():
    post_rules = dict(checks._unique_sets(Post))
    assert post_rules["org_post_title_unique"] == ["body", "title"]  # led by the body, a zone table
    assert checks.zone_unique_findings([Post]) == []
    assert Post in checks.zone_tables()
    assert apps.get_model("zones", "Zone") not in checks.zone_tables()


def test_rows_pointing_into_another_zone_are_reported_with_database_checks(zone, other_zone):
    mine = Body.objects.create(zone=zone, name="经济发展局", kind=Body.Kind.DEPARTMENT)
    theirs = Body.objects.create(zone=other_zone, name="他区招商局", kind=Body.Kind.DEPARTMENT)
    Post.objects.create(zone=zone, body=mine, title="科员")

    def e102():
        return [e.msg for e in run_checks(tags=["onezone"], databases=["default"]) if e.id == "onezone.W102"]

    assert e102() == []
    Post.objects.create(zone=zone, body=theirs, title="越区岗位")  # only a broken service could do this
    assert e102() == ["org.Post.body 有 1 行指向其他开发区的记录，按开发区分片后无法保存。"]
    # Without --database the data are not read.
    assert not [e for e in run_checks(tags=["onezone"]) if e.id == "onezone.W102"]


def test_a_zone_less_table_pointing_at_zone_rows_needs_its_reason(monkeypatch):
    assert not [e for e in run_checks(tags=["onezone"]) if e.id == "onezone.E103"]
    monkeypatch.delitem(checks.ZONE_LESS_REFERENCES, "powers.ListVersionItem.item")
    errors = [e.msg for e in run_checks(tags=["onezone"]) if e.id == "onezone.E103"]
    assert errors == ["数据表 powers.ListVersionItem 没有 zone_id，却以 item 指向开发区数据表 powers.PowerItem。"]
