"""Reads of bundles (一件事): the desk's lists and bundle case page, the public guide and look-up, and
the efficiency of bundles against the same items applied for one by one."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count
from django.utils import timezone

from onezone.core.calendar import load_calendar
from onezone.core.errors import NotFound
from onezone.core.workdays import working_days_between
from onezone.window.bundles import rules
from onezone.window.bundles.models import Bundle, BundleCase, BundleMember, BundleSubCase
from onezone.window.clock import CaseClock, case_clock
from onezone.window.models import Case, CaseState

STATE_LABELS = dict(CaseState.choices)


def _today() -> dt.date:
    return timezone.localdate()


def bundle_clock(bundle_case: BundleCase, views: list[rules.SubCaseView], today: dt.date | None = None) -> CaseClock:
    """The bundle's own deadlines: the window's clock on the bundle's steps, with joint-handling terms."""
    stages = BundleMember.objects.filter(bundle_id=bundle_case.bundle_id).values("stage").distinct().count()
    decided_on = rules.bundle_decided_on(views, stages, bundle_case.stage)
    events = rules.bundle_clock_events(
        received_on=bundle_case.received_on,
        notice_on=bundle_case.notice_on,
        notice_materials=bundle_case.notice_materials,
        supplemented_on=bundle_case.supplemented_on,
        accepted_on=bundle_case.accepted_on,
        refused_on=bundle_case.refused_on,
        extended_on=bundle_case.extended_on,
        decided_on=decided_on,
    )
    return case_clock(
        events, rules.bundle_clock_terms(bundle_case.bundle.committed_limit), load_calendar(), today=today or _today()
    )


@dataclass(frozen=True)
class SubCaseRow:
    case_id: int
    number: str
    item_name: str
    body_name: str
    stage: int
    state: str
    state_label: str
    granted: bool | None
    decided_on: dt.date | None
    committed_deadline: dt.date | None
    legal_deadline: dt.date | None


@dataclass(frozen=True)
class BundleCaseDetail:
    bundle_case: BundleCase
    bundle: Bundle
    state: str
    state_label: str
    result: str
    subcases: list[SubCaseRow]
    pending_items: list[str]  # member items of stages not started yet
    stages: int
    clock: CaseClock
    notes: list[str]
    can_advance: bool


def _detail(bundle_case: BundleCase) -> BundleCaseDetail:
    links = list(
        BundleSubCase.objects.filter(bundle_case=bundle_case)
        .select_related("case", "member", "case__body")
        .order_by("member__stage", "member__order", "id")
    )
    members = list(BundleMember.objects.filter(bundle_id=bundle_case.bundle_id).select_related("item"))
    stages = max((m.stage for m in members), default=0)
    views = [rules.SubCaseView(lk.member.stage, lk.case.state, lk.case.granted, lk.case.decided_on) for lk in links]
    state = rules.bundle_state(bundle_case.intake, views, stages, bundle_case.stage)
    clock = bundle_clock(bundle_case, views)
    started = {lk.member_id for lk in links}
    rows = [
        SubCaseRow(
            case_id=lk.case.pk,
            number=lk.case.number,
            item_name=lk.case.item_name,
            body_name=lk.case.body.name if lk.case.body else "",
            stage=lk.member.stage,
            state=lk.case.state,
            state_label=STATE_LABELS.get(lk.case.state, lk.case.state),
            granted=lk.case.granted,
            decided_on=lk.case.decided_on,
            committed_deadline=lk.case.committed_deadline,
            legal_deadline=lk.case.legal_deadline,
        )
        for lk in links
    ]
    can_advance = (
        state == "in_progress"
        and bundle_case.stage < stages
        and rules.stage_done(views, bundle_case.stage)
        and not rules.stage_blocked(views, bundle_case.stage)
    )
    return BundleCaseDetail(
        bundle_case=bundle_case,
        bundle=bundle_case.bundle,
        state=state,
        state_label=rules.STATE_LABELS[state],
        result=rules.bundle_result(views, state),
        subcases=rows,
        pending_items=[f"第{m.stage}阶段：{m.item.name}" for m in members if m.pk not in started],
        stages=stages,
        clock=clock,
        # The bundle ends with its members' decisions; delivery is each case's own (Art. 44).
        notes=[n for n in clock.notes if "第44条" not in n],
        can_advance=can_advance,
    )


def bundle_case_detail(*, zone_id: int, bundle_case_id: int) -> BundleCaseDetail:
    bundle_case = BundleCase.objects.select_related("bundle").filter(pk=bundle_case_id, zone_id=zone_id).first()
    if bundle_case is None:
        raise NotFound("一件事办件不存在。")
    return _detail(bundle_case)


def bundles_of(*, zone_id: int, published_only: bool = False) -> list[Bundle]:
    qs = Bundle.objects.filter(zone_id=zone_id).annotate(item_count=Count("members"))
    if published_only:
        qs = qs.filter(is_published=True)
    return list(qs.order_by("order", "code"))


def bundle_cases_of(*, zone_id: int, limit: int = 50) -> list[BundleCase]:
    return list(
        BundleCase.objects.filter(zone_id=zone_id).select_related("bundle").order_by("-received_on", "-id")[:limit]
    )


@dataclass(frozen=True)
class BundleGuide:
    bundle: Bundle
    items: list[Any]  # ItemTerms of the members, with their stage
    stages: dict[int, list[Any]]
    materials: list[dict[str, Any]]
    item_materials: int  # materials asked when the items are applied for one by one
    item_visits: int
    legal_limit: int
    committed_limit: int


def bundle_guide(*, zone_id: int, bundle_id: int, on: dt.date | None = None) -> BundleGuide:
    """The public guide of a bundle: its items by stage (from the list in force), the merged materials."""
    from onezone.powers.selectors import item_terms_in_force

    bundle = Bundle.objects.filter(pk=bundle_id, zone_id=zone_id, is_published=True).first()
    if bundle is None:
        raise NotFound("没有找到该一件事。")
    on = on or _today()
    stages: dict[int, list[Any]] = defaultdict(list)
    items = []
    for member in BundleMember.objects.filter(bundle=bundle).order_by("stage", "order", "id"):
        terms = item_terms_in_force(zone_id=zone_id, item_id=member.item_id, on=on)
        stages[member.stage].append(terms)
        items.append(terms)
    materials = rules.merged_materials(
        (t.code, [{"name": m.name, "required": m.required} for m in t.materials]) for t in items
    )
    terms_ = rules.bundle_clock_terms(bundle.committed_limit)
    return BundleGuide(
        bundle=bundle,
        items=items,
        stages=dict(stages),
        materials=materials,
        item_materials=sum(len(t.materials) for t in items),
        item_visits=sum(t.visits for t in items),
        legal_limit=terms_.legal_days,
        committed_limit=terms_.committed_limit,
    )


@dataclass(frozen=True)
class PublicBundleStatus:
    number: str
    query_code: str
    bundle_name: str
    state: str
    state_label: str
    result: str
    received_on: dt.date
    accepted_on: dt.date | None
    committed_deadline: dt.date | None
    legal_deadline: dt.date | None
    provisional: bool
    items: list[tuple[str, str]]  # (item, state) — nothing personal
    can_rate: bool
    rated: bool


def public_bundle_status(*, number: str, query_code: str) -> PublicBundleStatus:
    """One number, one status, one result for the applicant; the items' progress without personal data."""
    bundle_case = (
        BundleCase.objects.select_related("bundle")
        .filter(number=number.strip().upper(), query_code=query_code.strip().upper())
        .first()
    )
    if bundle_case is None:
        raise NotFound("一件事编号或查询码不正确，请核对受理通知书上的编号和查询码。")
    d = _detail(bundle_case)
    rated = bundle_case.rating_level is not None
    return PublicBundleStatus(
        number=bundle_case.number,
        query_code=bundle_case.query_code,
        bundle_name=d.bundle.name,
        state=d.state,
        state_label=d.state_label,
        result=d.result,
        received_on=bundle_case.received_on,
        accepted_on=d.clock.accepted_on,
        committed_deadline=d.clock.committed_deadline,
        legal_deadline=d.clock.legal_deadline,
        provisional=d.clock.provisional,
        items=[(r.item_name, r.state_label) for r in d.subcases]
        + [(p, "待上一阶段办结后启动") for p in d.pending_items],
        can_rate=d.state in ("done", "refused") and not rated,
        rated=rated,
    )


@dataclass(frozen=True)
class BundleEfficiencyRow:
    bundle: Bundle
    cases: int
    done: int
    bundle_days: float | None  # mean working days from acceptance to the last decision
    bundle_visits: int
    one_by_one_days: float | None  # the same items applied for one by one (their own cases' mean days)
    one_by_one_visits: int
    bundle_materials: int
    one_by_one_materials: int
    missing_records: list[str]  # items with no case of their own: their committed limit stands in

    @property
    def days_saved(self) -> float | None:
        if self.bundle_days is None or self.one_by_one_days is None:
            return None
        return round(self.one_by_one_days - self.bundle_days, 1)


def bundle_efficiency(*, zone_id: int, start: dt.date, end: dt.date) -> list[BundleEfficiencyRow]:
    """Each bundle against its items applied for one by one, computed from the records of the period:
    the bundle's days are its cases' (acceptance to the last decision); one by one, each item takes the
    mean days of its cases outside any bundle, one after another; visits are the list's."""
    calendar = load_calendar()
    rows = []
    bundles = bundles_of(zone_id=zone_id)
    members = defaultdict(list)
    for member in BundleMember.objects.filter(bundle__zone_id=zone_id).select_related("item"):
        members[member.bundle_id].append(member)
    item_ids = {m.item_id for ms in members.values() for m in ms}
    own_days = dict(
        Case.objects.filter(
            zone_id=zone_id,
            item_id__in=item_ids,
            bundle_link__isnull=True,
            accepted_on__range=(start, end),
            working_days_used__isnull=False,
        )
        .values("item_id")
        .annotate(mean=Avg("working_days_used"))
        .values_list("item_id", "mean")
    )
    for bundle in bundles:
        ms = members[bundle.pk]
        cases = list(BundleCase.objects.filter(bundle=bundle, received_on__range=(start, end)).select_related("bundle"))
        durations = []
        for bundle_case in cases:
            d = _detail(bundle_case)
            if d.clock.decided_on is not None and d.clock.accepted_on is not None:
                durations.append(working_days_between(calendar, d.clock.accepted_on, d.clock.decided_on))
        stage_days: dict[int, list[float]] = defaultdict(list)
        missing = []
        for m in ms:
            mean = own_days.get(m.item_id)
            if mean is None:
                missing.append(m.item.name)
                mean = m.item.committed_limit
            stage_days[m.stage].append(float(mean))
        names = {mat for m in ms for mat in m.item.materials.values_list("name", flat=True)}
        rows.append(
            BundleEfficiencyRow(
                bundle=bundle,
                cases=len(cases),
                done=len(durations),
                bundle_days=round(sum(durations) / len(durations), 1) if durations else None,
                bundle_visits=bundle.visits,
                one_by_one_days=rules.one_by_one_days(stage_days) if ms else None,
                one_by_one_visits=sum(m.item.visits for m in ms),
                bundle_materials=len(names),
                one_by_one_materials=sum(m.item.materials.count() for m in ms),
                missing_records=missing,
            )
        )
    return rows
