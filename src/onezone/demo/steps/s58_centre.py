"""Demo step: the departments stationed at the Yongchang service centre (部门进驻, 演示数据).

A comprehensive window, the county departments' windows (自然资源, 住建, 市场监管, 发改 through the
committee's economic bureau) with the items each takes, and the project-agency window (招商引资项目服务
代办窗口). The demo clerk sits at the comprehensive window on Monday, Wednesday and Friday and at the
market-regulation window on Tuesday and Thursday; the demo agent at the agency window every working day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from onezone.core.roles import Role
from onezone.window.centre import services
from onezone.window.centre.models import ServiceWindow

K = ServiceWindow.Kind
# number, name, kind, body key, item codes
WINDOWS = [
    ("1", "综合受理窗口", K.COMPREHENSIVE, "service", []),
    ("2", "发展改革窗口", K.DEPARTMENT, "economy", ["YC-QT-001", "YC-QT-002"]),
    ("3", "自然资源窗口", K.DEPARTMENT, "resources", ["YC-XK-001", "YC-XK-006"]),
    ("4", "住房城乡建设窗口", K.DEPARTMENT, "housing", ["YC-XK-002", "YC-XK-007", "YC-XK-008", "YC-XK-009"]),
    ("5", "市场监管窗口", K.DEPARTMENT, "market", ["YC-KB-001", "YC-XK-010", "YC-XK-011"]),
    ("6", "招商引资项目服务代办窗口", K.AGENCY, "investment", ["YC-GF-001", "YC-GF-002"]),
]


def load(ctx: Any) -> None:
    powers = ctx.extra.get("powers") or {}
    admin = ctx.users.get(Role.ADMIN.value)
    if not powers or admin is None:
        ctx.say("部门进驻：缺少事项清单，未生成")
        return
    windows = {}
    for order, (number, name, kind, body_key, codes) in enumerate(WINDOWS):
        windows[number] = services.window_station(
            actor=admin,
            zone_id=ctx.zone.pk,
            body_id=ctx.bodies[body_key].pk,
            number=number,
            name=name,
            kind=kind,
            item_ids=[powers[c].pk for c in codes if c in powers],
            order=order,
        )
    start = dt.date(2025, 1, 1)
    clerk, agent = ctx.users[Role.CLERK.value], ctx.users[Role.AGENT.value]
    services.window_seat(actor=admin, window_id=windows["1"].pk, user=clerk, weekdays=[1, 3, 5], start=start)
    services.window_seat(actor=admin, window_id=windows["5"].pk, user=clerk, weekdays=[2, 4], start=start)
    services.window_seat(actor=admin, window_id=windows["6"].pk, user=agent, weekdays=[1, 2, 3, 4, 5], start=start)
    ctx.extra["service_windows"] = windows
    ctx.say(f"部门进驻：{len(windows)} 个窗口（含招商引资项目服务代办窗口）")
