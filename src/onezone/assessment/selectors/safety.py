"""The dashboard's safety panel: the chemical park's figures a committee head reads, from the safety app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from onezone.safety.models import HazardLevel
from onezone.safety.selectors.base import safety_figures
from onezone.safety.selectors.figures import ParkRiskLevel, leadership_figures

INSTALLATION_LEVELS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


@dataclass(frozen=True)
class SafetyItem:
    key: str
    label: str
    value: int
    unit: str
    link: str
    detail: str = ""  # the breakdown (by level), or what the value is counted against
    alert: bool = False  # a figure that asks for action when it is not zero


@dataclass(frozen=True)
class SafetyPanel:
    as_of: dt.date
    items: list[SafetyItem]
    risk_levels: list[ParkRiskLevel]
    risk_link: str

    def value(self, key: str) -> int:
        return next(item.value for item in self.items if item.key == key)


def safety_panel(zone_id: int, today: dt.date) -> SafetyPanel:
    """Major hazard installations by level, open hazards by level, overdue and 挂牌督办 hazards, special work
    today and this month, licences expiring, the year's drills done against planned, each park's risk level."""
    base = safety_figures(zone_id=zone_id, today=today)
    ops = leadership_figures(zone_id=zone_id, today=today)
    installations, hazards = reverse("safety-installations"), reverse("safety-hazards")
    work, desk, emergency = reverse("safety-work-list"), reverse("safety-desk"), reverse("safety-emergency")
    items = [
        SafetyItem(
            "major_installations",
            "重大危险源",
            base.major_total,
            "处",
            installations,
            "，".join(f"{label} {base.major_installations[level]}" for level, label in INSTALLATION_LEVELS.items()),
        ),
        SafetyItem(
            "open_hazards",
            "未销号隐患",
            base.open_total,
            "项",
            hazards,
            "，".join(f"{HazardLevel(level).label} {n}" for level, n in base.open_hazards.items()),
        ),
        SafetyItem("overdue_hazards", "超期未整改隐患", base.overdue, "项", hazards, alert=True),
        SafetyItem("supervised_hazards", "挂牌督办重大隐患", base.supervised, "项", hazards, alert=True),
        SafetyItem("work_today", "今日特殊作业", ops.work_today, "项", work, f"其中特级动火 {ops.special_hot_today}"),
        SafetyItem("work_month", "本月特殊作业报备", ops.work_month, "项", work),
        SafetyItem("checks_overdue", "包保责任人检查超期", base.checks_overdue, "人", installations, alert=True),
        SafetyItem("licences_expiring", "即将到期或已过期证照", base.licences_expiring, "张", desk, alert=True),
        SafetyItem(
            "drills",
            "本年应急演练",
            ops.drills_done,
            "次",
            emergency,
            f"预案要求本年演练 {ops.drills_planned} 次",
            alert=ops.drills_done < ops.drills_planned,
        ),
    ]
    return SafetyPanel(as_of=today, items=items, risk_levels=ops.risk_levels, risk_link=reverse("safety-risk"))
