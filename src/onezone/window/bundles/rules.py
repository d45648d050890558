"""Pure rules of a bundle (一件事): its merged checklist, its state from its sub-cases, its clock's events.

No Django here. The bundle's clock is the window's one clock (``window.clock.case_clock``) run on the
bundle's own dated steps with the terms of joint handling (Art. 26/42: 45 working days, one extension
of 15), so every rule of counting (working days, provisional years) is the same as for a case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from onezone.window.clock import JOINT_LEGAL_DAYS, ClockEvent, ClockTerms, EventKind

# Sub-case states: decided (the member item has its result) and finished (nothing more will happen).
DECIDED_STATES = frozenset({"decided", "delivered", "closed"})
FINISHED_STATES = frozenset({"closed", "refused", "withdrawn", "delivered"})
ENDED_WITHOUT_RESULT = frozenset({"refused", "withdrawn"})

STATE_LABELS = {
    "received": "已收件",
    "supplement_requested": "待补正",
    "supplemented": "已补正",
    "refused": "不予受理",
    "in_progress": "办理中",
    "done": "已办结",
}


@dataclass(frozen=True)
class SubCaseView:
    """What the bundle's rules need of one sub-case."""

    stage: int
    state: str
    granted: bool | None
    decided_on: dt.date | None


def merged_materials(members: Iterable[tuple[str, Sequence[Mapping[str, Any]]]]) -> list[dict[str, Any]]:
    """One line per material name over the member items (``(item code, materials)``): a material several
    items need is collected once; it is required when any item requires it."""
    lines: dict[str, dict[str, Any]] = {}
    for code, materials in members:
        for material in materials:
            name = str(material["name"]).strip()
            line = lines.setdefault(name, {"name": name, "required": False, "items": []})
            line["required"] = line["required"] or bool(material.get("required"))
            if code not in line["items"]:
                line["items"].append(code)
    return list(lines.values())


def missing_required(lines: Sequence[Mapping[str, Any]]) -> list[str]:
    return [line["name"] for line in lines if line.get("required") and not line.get("presented")]


def stage_done(subcases: Iterable[SubCaseView], stage: int) -> bool:
    """Every sub-case of ``stage`` has its decision."""
    of_stage = [s for s in subcases if s.stage == stage]
    return bool(of_stage) and all(s.state in DECIDED_STATES for s in of_stage)


def stage_blocked(subcases: Iterable[SubCaseView], stage: int) -> bool:
    """A sub-case of ``stage`` ended without a grant: the stages after it cannot start."""
    return any(
        s.stage == stage and (s.state in ENDED_WITHOUT_RESULT or (s.state in DECIDED_STATES and s.granted is False))
        for s in subcases
    )


def bundle_state(intake: str, subcases: Sequence[SubCaseView], stages: int, opened: int) -> str:
    """The one state the applicant sees: the window's answer until acceptance, then the sub-cases'."""
    if intake != "accepted":
        return intake
    if stage_blocked(subcases, opened) or (opened >= stages and all(s.state in FINISHED_STATES for s in subcases)):
        return "done"
    return "in_progress"


def bundle_decided_on(subcases: Sequence[SubCaseView], stages: int, opened: int) -> dt.date | None:
    """The day the last member item was decided, once every stage has been decided."""
    if opened < stages or not subcases or not all(s.state in DECIDED_STATES for s in subcases):
        return None
    return max(s.decided_on for s in subcases if s.decided_on is not None)


def bundle_result(subcases: Sequence[SubCaseView], state: str) -> str:
    """The one result: every item granted, or which part was not."""
    if state != "done":
        return ""
    granted = sum(1 for s in subcases if s.state in DECIDED_STATES and s.granted)
    if granted == len(subcases) and granted:
        return f"全部办成（{granted} 个事项均已准予）"
    return f"未全部办成：{granted} 个事项准予，{len(subcases) - granted} 个事项未准予或未办理"


def bundle_clock_terms(committed_limit: int) -> ClockTerms:
    """Joint handling (Art. 26/42): 45 working days, extension 15; the zone's promise when it sets one."""
    return ClockTerms(legal_limit=JOINT_LEGAL_DAYS, committed_limit=committed_limit or JOINT_LEGAL_DAYS, joint=True)


def bundle_clock_events(
    *,
    received_on: dt.date,
    notice_on: dt.date | None,
    notice_materials: Sequence[str],
    supplemented_on: dt.date | None,
    accepted_on: dt.date | None,
    refused_on: dt.date | None,
    extended_on: dt.date | None,
    decided_on: dt.date | None,
) -> list[ClockEvent]:
    """The bundle's dated steps as the clock reads them."""
    events = [ClockEvent(EventKind.RECEIVED, received_on)]
    if notice_on is not None:
        events.append(ClockEvent(EventKind.SUPPLEMENT_REQUESTED, notice_on, {"missing": list(notice_materials)}))
    if supplemented_on is not None:
        events.append(ClockEvent(EventKind.SUPPLEMENTED, supplemented_on))
    if refused_on is not None:
        events.append(ClockEvent(EventKind.REFUSED, refused_on))
        return events
    if accepted_on is not None:
        events.append(ClockEvent(EventKind.ACCEPTED, accepted_on))
    if extended_on is not None:
        events.append(ClockEvent(EventKind.EXTENDED, extended_on))
    if decided_on is not None:
        events.append(ClockEvent(EventKind.DECIDED, decided_on, {"granted": True}))
    return events


def one_by_one_days(stage_days: Mapping[int, Sequence[float]]) -> float:
    """Working days when the items are applied for one by one: each item after the one before, as an
    applicant without a bundle brings each application once the last is decided."""
    return round(sum(sum(days) for days in stage_days.values()), 1)
