"""What every step of the synthetic province shares: the fixed day, the zones' data, the helpers.

The steps live in modules of their own (``steps_org``, ``steps_window``, ``steps_investment``, …),
each a mixin of :class:`StepBase`; :mod:`onezone.synth.generator` puts them together and runs them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Model

from onezone.core.codes import USCC_ALPHABET, resident_id_check_char, uscc_check_char
from onezone.synth import names
from onezone.synth.calendar import WorkTable
from onezone.synth.writer import Table, Writer

REFERENCE_DAY = dt.date(2026, 6, 30)  # "today" for the generated data; never the clock
FIRST_YEAR = 2021  # cases and requests start here
CHINA = ZoneInfo("Asia/Shanghai")
MOMENT = dt.datetime(2026, 6, 30, 18, 0, tzinfo=CHINA)  # created_at/updated_at where no date applies
ZONE_CODE_PREFIX = "synth-"
DEFERRED_TABLE = "synth_deferred_index"  # index definitions while a load has them dropped
USER_PREFIX = "synth-"
UNUSABLE_PASSWORD = "!synthetic"  # noqa: S105  # nosec B105  # Django's unusable-password form: nobody can log in with it
QUERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CASE_FLUSH = 10_000


def split(total: int, weights: list[float]) -> list[int]:
    """``total`` shared out in proportion to ``weights`` (largest remainders), summing exactly."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def money(value: float) -> str:
    return str(Decimal(int(value * 100)) / 100)


@dataclass
class ZoneData:
    """What later tables need to know about one generated zone."""

    id: int
    index: int
    code: str
    name: str
    area: str
    prefix: str
    parks: list[tuple[int, int]] = field(default_factory=list)  # (park id, theme index)
    bodies: dict[str, int] = field(default_factory=dict)
    posts: list[tuple[int, str]] = field(default_factory=list)  # (post id, body key)
    users: dict[str, int] = field(default_factory=dict)
    user_names: dict[int, str] = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)
    enterprises: tuple[int, int] = (0, 0)  # id range [start, stop)
    categories: list[tuple[int, int, int, int]] = field(default_factory=list)  # (id, ack, respond, resolve)

    def users_with(self, prefix: str) -> list[int]:
        return [uid for key, uid in self.users.items() if key.startswith(prefix)]


def module_sizes(sizes: Any) -> dict[str, int]:
    """The newer modules' record counts, from the province's enterprises and zones.

    At the default scale (200,000 enterprises, 100 zones, 1,000 users): 20,000 hazardous
    installations, 100,000 hazards, 200,000 special-work filings, 1,000,000 gate passages, 50,000
    supply and demand listings, 40,000 jobs, 10,000 financing needs, 40,000 enterprises filing 18
    months of statistics (720,000 reports) and 200,000 notifications.
    """
    e = sizes.enterprises
    return {
        "installations": e // 10,
        "hazards": e // 2,
        "special_works": e,
        "gate_passages": e * 5,
        "listings": e // 4,
        "jobs": e // 5,
        "financing_needs": e // 20,
        "reporting_enterprises": e // 5,
        "notifications": e,
    }


Rows = Iterator[list[tuple[Table, list[tuple]]]]


def _iso(ordinal: int | None) -> str | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal).isoformat()


class StepBase:
    """The state the steps share (set by the generator) and the helpers they draw values with."""

    sizes: Any
    seed: int
    rng: random.Random
    weights: list[float]
    writer: Writer
    zones: list[ZoneData]
    enterprise_names: list[str]
    enterprise_usccs: list[str]
    wt: WorkTable
    today: int
    i_ref: int

    # --- helpers ------------------------------------------------------------------------------

    def ids(self, model: type[Model]) -> int:
        return self.writer.next_id(model)

    def person_name(self) -> str:
        return self.rng.choice(names.SURNAMES) + self.rng.choice(names.GIVEN)

    def mobile(self) -> str:
        return f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"

    def resident_id(self, area: str) -> str:
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=self.rng.randrange(35 * 365))
        first17 = f"{area}{birth:%Y%m%d}{self.rng.randrange(1000):03d}"
        return first17 + resident_id_check_char(first17)

    def uscc(self, area: str, taken: set[str]) -> str:
        while True:
            first17 = "91" + area + "".join(self.rng.choices(USCC_ALPHABET, k=9))
            code = first17 + uscc_check_char(first17)
            if code not in taken:
                taken.add(code)
                return code

    def day_text(self, ordinal: int | None) -> str | None:
        return self.wt.text(ordinal)

    def year_range(self, year: int) -> tuple[int, int]:
        """Indexes of the first and last working day of ``year`` up to the reference day."""
        lo = self.wt.index(dt.date(year - 1, 12, 31).toordinal()) + 1
        hi = min(self.wt.index(dt.date(year, 12, 31).toordinal()), self.i_ref)
        return lo, hi
