"""The sweep's alert rules and messages are Python data; the statement is built from them (no rule or Chinese
text inside the SQL), for either database."""

from __future__ import annotations

import dataclasses

import pytest

from onezone.window import sweep
from onezone.window.sweep import ALERT_RULES, AlertRule, _alerts_sql, _Dialect


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_no_rule_or_message_is_written_into_the_sql(vendor):
    statement = _alerts_sql(_Dialect(vendor))
    for rule in ALERT_RULES:
        assert f"'{rule.kind}'" not in statement.text
        assert rule.kind in statement.params
    assert "办件" not in statement.text and "督办" not in statement.text
    assert "）已超过法定时限 " in statement.params
    assert statement.text.count("%s") == sum(
        3 if vendor == "postgresql" and getattr(p, "name", "") == "heads" else 1 for p in statement.params
    )


def test_a_rule_changed_in_the_data_changes_the_statement():
    louder = tuple(
        dataclasses.replace(rule, message="【紧急】" + rule.message) if rule.kind == "violation" else rule
        for rule in ALERT_RULES
    )
    statement = _alerts_sql(_Dialect("sqlite"), louder)
    assert "【紧急】办件 " in statement.params
    assert "【紧急】办件 " not in _alerts_sql(_Dialect("sqlite")).params


def test_a_rule_on_an_unknown_deadline_is_refused():
    bad = (AlertRule("warning", "created_at", sweep.COMING, sweep.HANDLER, "{number}"),)
    with pytest.raises(ValueError, match="unknown deadline"):
        _alerts_sql(_Dialect("sqlite"), bad)
