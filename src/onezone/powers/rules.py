"""Pure rules of the lists: time limits of an item, item checks and the difference of two versions.

No Django here: the functions take plain values (dicts of an item's fields, snapshots) so the
service, the importer and the tests share exactly the same rules.

Comparing a committed limit with the legal one
----------------------------------------------
A committed limit (承诺时限) longer than the legal one (法定时限) is refused. When both are in the
same unit they are compared as numbers. When the units differ, both are compared in working-day
terms: a limit of N calendar days counts as the fewest working days that any span of N calendar
days holds in a plain Monday–Friday week, ``5 × (N // 7) + max(0, N % 7 − 2)``. So a committed
limit passes only when it cannot be longer than the legal one whatever weekday the case starts
on (holidays aside, which shorten both alike).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from onezone.core.licensing import SPECIAL_PROCEDURES

WORKING = "working"
CALENDAR = "calendar"
UNIT_LABELS = {WORKING: "个工作日", CALENDAR: "个自然日"}

# Administrative Licensing Law Art. 42 and Art. 26.
LICENSING_LIMIT = 20
JOINT_LIMIT = 45
LICENSING = "licensing"
INSTANT = "instant"
PROMISED = "promised"


def working_day_equivalent(days: int, unit: str) -> int:
    """The limit in working-day terms (see the module docstring for calendar days)."""
    if unit == CALENDAR:
        weeks, rest = divmod(days, 7)
        return 5 * weeks + max(0, rest - 2)
    return days


def limit_text(days: int, unit: str) -> str:
    """``15个工作日`` / ``30个自然日`` / ``即办``."""
    return f"{days}{UNIT_LABELS.get(unit, '天')}"


def committed_limit_problem(*, legal: int, legal_unit: str, committed: int, committed_unit: str) -> str | None:
    """A Chinese message when the committed limit is longer than the legal one, else None."""
    if committed_unit == legal_unit:
        too_long = committed > legal
    else:
        too_long = working_day_equivalent(committed, committed_unit) > working_day_equivalent(legal, legal_unit)
    if not too_long:
        return None
    return (
        f"承诺时限{limit_text(committed, committed_unit)}超过法定时限{limit_text(legal, legal_unit)}，"
        "请把承诺时限改为不超过法定时限。"
    )


def item_problems(data: Mapping[str, Any]) -> list[str]:
    """Every problem of an item's fields, each a Chinese sentence; empty when the item is sound.

    ``data`` holds the item's plain field values (the names of ``PowerItem``'s fields).
    """
    problems: list[str] = []
    if not str(data.get("name") or "").strip():
        problems.append("事项名称不能为空。")
    if not str(data.get("implementation_code") or "").strip():
        problems.append("实施编码不能为空。")
    legal, committed = data.get("legal_limit"), data.get("committed_limit")
    legal_unit = data.get("legal_limit_unit") or WORKING
    committed_unit = data.get("committed_limit_unit") or WORKING
    for label, value in (("法定时限", legal), ("承诺时限", committed)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{label}应为0或正整数（收到“{value}”）。")
    for label, unit in (("法定时限单位", legal_unit), ("承诺时限单位", committed_unit)):
        if unit not in UNIT_LABELS:
            problems.append(f"{label}应为“工作日”或“自然日”（收到“{unit}”）。")
    if problems:
        return problems
    limit = committed_limit_problem(
        legal=legal, legal_unit=legal_unit, committed=committed, committed_unit=committed_unit
    )
    if limit:
        problems.append(limit)
    handling = data.get("handling_type") or PROMISED
    if handling == INSTANT and committed != 0:
        problems.append(f"即办件的承诺时限应为0（收到{limit_text(committed, committed_unit)}），或改为承诺件。")
    if handling == PROMISED and committed == 0:
        problems.append("承诺件的承诺时限不能为0；当场办结的事项请选择“即办件”。")
    if data.get("category") == LICENSING and legal_unit == WORKING and not str(data.get("legal_limit_note") or ""):
        ceiling = JOINT_LIMIT if data.get("joint_handling") else LICENSING_LIMIT
        if legal > ceiling:
            what = (
                "联合办理（行政许可法第二十六条）" if data.get("joint_handling") else "行政许可（行政许可法第四十二条）"
            )
            problems.append(
                f"{what}的法定时限为{ceiling}个工作日，填写的{legal}个工作日超过该时限；"
                "如其他法律另有规定，请在“法定时限说明”中写明依据。"
            )
    unknown = [p for p in data.get("special_procedures") or [] if p not in SPECIAL_PROCEDURES]
    if unknown:
        problems.append(
            f"特别程序“{'、'.join(map(str, unknown))}”不在行政许可法第四十五条所列范围内"
            f"（{'、'.join(SPECIAL_PROCEDURES.values())}）。"
        )
    if data.get("online_depth") and not data.get("online"):
        problems.append("填写了网上办理深度，但“是否网办”为否，请核对。")
    if data.get("has_fee") is False and data.get("fees"):
        problems.append("“是否收费”为否，但填写了收费项目，请核对。")
    return problems


# --- Versions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ItemChange:
    item_id: int
    code: str
    name: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class VersionDiff:
    added: tuple[ItemChange, ...] = field(default_factory=tuple)
    removed: tuple[ItemChange, ...] = field(default_factory=tuple)
    modified: tuple[ItemChange, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> str:
        """``+12 −3, 5 modified``."""
        return f"+{len(self.added)} −{len(self.removed)}, {len(self.modified)} modified"

    @property
    def summary_zh(self) -> str:
        """``新增12项、取消3项、调整5项``."""
        return f"新增{len(self.added)}项、取消{len(self.removed)}项、调整{len(self.modified)}项"


# Keys of a snapshot that identify it rather than describe the item.
_IGNORED = frozenset({"id", "zone_id", "order", "status_since", "created_at", "updated_at"})


def _as_entry(
    item_id: Any, snap: Mapping[str, Any], changes: Iterable[FieldChange] = (), code_key: str = "implementation_code"
) -> ItemChange:
    return ItemChange(
        item_id=item_id,
        code=str(snap.get(code_key, "")),
        name=str(snap.get("name", "")),
        changes=tuple(changes),
    )


def diff_snapshots(
    before: Mapping[int, Mapping[str, Any]],
    after: Mapping[int, Mapping[str, Any]],
    labels: Mapping[str, str] | None = None,
    *,
    code_key: str = "implementation_code",
) -> VersionDiff:
    """Items added, removed and modified (with their changed fields) from ``before`` to ``after``.

    Both map an item id (or any key that stays the same across versions) to its snapshot; entries
    are ordered and shown by the snapshot's ``code_key``.
    """
    labels = labels or {}

    def code(snap: Mapping[str, Any]) -> str:
        return str(snap.get(code_key, ""))

    def entry(key: Any, snap: Mapping[str, Any], changes: Iterable[FieldChange] = ()) -> ItemChange:
        return _as_entry(key, snap, changes, code_key)

    added = [entry(i, after[i]) for i in sorted(set(after) - set(before), key=lambda i: code(after[i]))]
    removed = [entry(i, before[i]) for i in sorted(set(before) - set(after), key=lambda i: code(before[i]))]
    modified = []
    for item_id in sorted(set(before) & set(after), key=lambda i: code(after[i])):
        old, new = before[item_id], after[item_id]
        changes = [
            FieldChange(field=key, label=labels.get(key, key), old=old.get(key), new=new.get(key))
            for key in sorted(set(old) | set(new))
            if key not in _IGNORED and old.get(key) != new.get(key)
        ]
        if changes:
            modified.append(entry(item_id, new, changes))
    return VersionDiff(added=tuple(added), removed=tuple(removed), modified=tuple(modified))


# Which items are applied for (RULES.md): received at the window and given an application guide.
# 行政处罚, 行政强制, 行政检查 and 行政征收 start on the office's own initiative: listed with their basis,
# never received. 行政奖励, 行政裁决 and 其他行政权力 are listed as applied for: the zone's list holds only those
# started on application (an item started by the office itself belongs to a not-applied category).
NOT_APPLIED_FOR = frozenset({"penalty", "coercion", "inspection", "levy"})
APPLIED_FOR = frozenset({"licensing", "confirmation", "payment", "reward", "adjudication", "other", "public_service"})


def is_applied_for(category: str) -> bool:
    """Whether an item of ``category`` is applied for by a person (received at the window, with a guide)."""
    return category in APPLIED_FOR


def applied_for_problem(category: str, name: str) -> str | None:
    """A Chinese message when an item of ``category`` cannot be received at the window, else None."""
    if is_applied_for(category):
        return None
    return (
        f"“{name}”属于行政机关依职权实施的事项（如行政处罚、行政强制、行政检查、行政征收），"
        "不由申请人申请，不在窗口受理；请在权力清单中查看其依据。"
    )
