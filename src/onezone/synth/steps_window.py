"""Window cases with their events and notices, and enterprise requests."""

from __future__ import annotations

import datetime as dt

from onezone.core.workdays import add_working_days
from onezone.enterprises.models import EnterpriseRequest, RequestStatus
from onezone.synth import names
from onezone.synth.base import CASE_FLUSH, FIRST_YEAR, QUERY_ALPHABET, REFERENCE_DAY, Rows, StepBase, split
from onezone.synth.cases import EVENT_STATE, OPEN, PathPool
from onezone.synth.writer import BATCH, dumps
from onezone.window.models import Case, CaseCounter, CaseEvent, SupplementNotice
from onezone.window.services import FAR_DAY


class WindowSteps(StepBase):
    def cases(self) -> Rows:
        rng, w, wt = self.rng, self.writer, self.wt
        t_case = w.table(
            Case,
            (
                "id",
                "zone_id",
                "number",
                "year",
                "query_code",
                "item_id",
                "item_code",
                "item_name",
                "terms",
                "body_id",
                "park_id",
                "channel",
                "applicant_kind",
                "applicant_name",
                "applicant_uscc",
                "applicant_id_number",
                "contact_name",
                "contact_mobile",
                "enterprise_id",
                "state",
                "is_open",
                "version",
                "materials",
                "clerk_id",
                "reviewer_id",
                "second_reviewer_id",
                "received_on",
                "supplement_deadline",
                "accepted_on",
                "deemed_accepted",
                "legal_deadline",
                "committed_deadline",
                "delivery_deadline",
                "due_on",
                "queue_on",
                "legal_due_on",
                "deadlines_provisional",
                "extended",
                "suspended_days",
                "decided_on",
                "granted",
                "delivered_on",
                "closed_on",
                "on_time",
                "within_legal",
                "working_days_used",
                "refusal_reason",
                "decision_text",
                "licence_number",
                "created_at",
                "updated_at",
            ),
        )
        t_event = w.table(
            CaseEvent,
            (
                "id",
                "zone_id",
                "case_id",
                "kind",
                "on",
                "at",
                "actor_id",
                "actor_name",
                "state_from",
                "state_to",
                "reason",
                "data",
                "created_at",
                "updated_at",
            ),
        )
        t_notice = w.table(SupplementNotice, ("id", "zone_id", "case_id", "issued_on", "materials", "note"))
        t_counter = w.table(CaseCounter, ("id", "zone_id", "series", "year", "last"))
        case_id, event_id, notice_id = self.ids(Case), self.ids(CaseEvent), self.ids(SupplementNotice)
        counter_id = self.ids(CaseCounter)
        distinct = len({item["limits"] for zone in self.zones for item in zone.items})
        days = self.i_ref - self.year_range(FIRST_YEAR)[0] + 1
        variants = PathPool.variants_for(self.sizes.cases, days, distinct)
        paths = PathPool(wt, self.today, self.i_ref, variants)
        yield []  # set-up done: the rows below may come from another process
        years = list(range(FIRST_YEAR, REFERENCE_DAY.year + 1))
        year_weights = [0.6 + 0.2 * n for n in range(len(years))]
        year_weights[-1] *= (REFERENCE_DAY.timetuple().tm_yday) / 365
        counts = split(self.sizes.cases, self.weights)
        case_rows: list[tuple] = []
        event_rows: list[tuple] = []
        notice_rows: list[tuple] = []
        counters = []
        far = FAR_DAY.isoformat()
        text = wt.text
        channels = ("window",) * 5 + ("online",) * 4 + ("agent",)
        for zone, zone_count in zip(self.zones, counts, strict=True):
            clerks = zone.users_with("clerk")
            reviewers = zone.users_with("reviewer")
            head = zone.users["head"]
            leader = zone.users["leader"]
            people = [(self.person_name(), self.resident_id(zone.area), self.mobile()) for _ in range(200)]
            parks = [p for p, _t in zone.parks]
            for year, count in zip(years, split(zone_count, year_weights), strict=True):
                if not count:
                    continue
                lo, hi = self.year_range(year)
                starts = sorted(rng.randint(lo, hi) for _ in range(count))
                for seq, i0 in enumerate(starts, start=1):
                    item = rng.choice(zone.items)
                    limits = item["limits"]
                    path, clock = paths.draw(rng, limits, i0)
                    events = path.events
                    state = path.state
                    clerk = rng.choice(clerks)
                    reviewer = second = None
                    kinds = [e[0] for e in events]
                    if "review_started" in kinds:
                        reviewer = rng.choice(reviewers)
                        if "decided" in kinds:
                            second = reviewers[0] if reviewer != reviewers[0] else reviewers[-1]
                    elif "decided" in kinds:
                        reviewer = clerk  # an instant item is decided at the window
                    supplement = "supplement_requested" in kinds
                    if rng.random() < 0.7 and zone.enterprises[0] != zone.enterprises[1]:
                        ent, applicant, uscc = self.enterprise(zone)
                        kind, id_number = "enterprise", ""
                        contact, mobile = self.person_name(), self.mobile()
                    else:
                        ent, uscc, kind = None, "", "person"
                        applicant, id_number, mobile = rng.choice(people)
                        contact = applicant
                    decided = next((e for e in events if e[0] == "decided"), None)
                    granted = None if decided is None else int(decided[2]["granted"])
                    day_of = {e[0]: e[1] for e in events}
                    received = events[0][1]
                    last = events[-1][1]
                    case_rows.append(
                        (
                            case_id,
                            zone.id,
                            f"{zone.prefix}-{year}-{seq:06d}",
                            year,
                            "".join(rng.choices(QUERY_ALPHABET, k=8)),
                            item["id"],
                            item["code"],
                            item["name"],
                            item["terms"],
                            item["body"],
                            rng.choice(parks) if rng.random() < 0.8 else None,
                            rng.choice(channels),
                            kind,
                            applicant,
                            uscc,
                            id_number,
                            contact,
                            mobile,
                            ent,
                            state,
                            int(state in OPEN),
                            len(events) - 1,
                            item["materials_missing"] if supplement else item["materials"],
                            clerk,
                            reviewer,
                            second,
                            text(received),
                            text(clock.supplement_deadline),
                            text(clock.accepted_on),
                            int(clock.deemed),
                            text(clock.legal),
                            text(clock.committed),
                            text(clock.delivery),
                            text(clock.due),
                            far if clock.due is None else text(clock.due),
                            text(clock.legal_due),
                            int(clock.provisional),
                            int(clock.extended),
                            clock.suspended_days,
                            text(day_of.get("decided")),
                            granted,
                            text(day_of.get("delivered")),
                            text(day_of.get("closed")),
                            None if clock.on_time is None else int(clock.on_time),
                            None if clock.within_legal is None else int(clock.within_legal),
                            clock.working_days_used,
                            "补正后申请材料仍不齐全，不符合法定形式。" if "refused" in kinds else "",
                            ""
                            if granted is None
                            else ("准予行政许可。" if granted else "不符合法定条件，不予行政许可。"),
                            f"{zone.prefix}XK{year}{seq:06d}" if granted else "",
                            w.stamp_ordinal(received, 9 * 60),
                            w.stamp_ordinal(last, 9 * 60 + 5 * len(events)),
                        )
                    )
                    state_from = ""
                    for k, (event_kind, day, data) in enumerate(events):
                        if event_kind in ("review_started", "suspended", "resumed", "decided") and reviewer:
                            actor = reviewer
                        elif event_kind == "extended":
                            actor = leader if limits.terms.joint else head
                        else:
                            actor = clerk
                        if event_kind == "received":
                            payload = item["presented_missing"] if supplement else item["presented"]
                        elif event_kind == "supplement_requested":
                            payload = dumps({"missing": item["missing"]})
                        elif event_kind == "decided":
                            payload = dumps({"granted": data["granted"], "second_reviewer": second})
                        elif data:
                            payload = dumps(data)
                        else:
                            payload = "{}"
                        state_to = EVENT_STATE[event_kind] or state_from
                        moment = w.stamp_ordinal(day, 9 * 60 + 5 * (k + 1))
                        event_rows.append(
                            (
                                event_id,
                                zone.id,
                                case_id,
                                event_kind,
                                text(day),
                                moment,
                                actor,
                                zone.user_names[actor],
                                state_from,
                                str(state_to),
                                "经批准延长审查期限。" if event_kind == "extended" else "",
                                payload,
                                moment,
                                moment,
                            )
                        )
                        state_from = str(state_to)
                        event_id += 1
                    if supplement:
                        notice_day = day_of["supplement_requested"]
                        notice_rows.append(
                            (
                                notice_id,
                                zone.id,
                                case_id,
                                text(notice_day),
                                dumps(item["missing_names"]),
                                "请一次性补齐上述材料。",
                            )
                        )
                        notice_id += 1
                    case_id += 1
                    if len(case_rows) >= CASE_FLUSH:
                        yield [(t_case, case_rows), (t_event, event_rows), (t_notice, notice_rows)]
                        case_rows, event_rows, notice_rows = [], [], []
                counters.append((counter_id, zone.id, "case", year, count))
                counter_id += 1
        yield [(t_case, case_rows), (t_event, event_rows), (t_notice, notice_rows), (t_counter, counters)]

    # --- enterprise requests -----------------------------------------------------------------------

    def requests(self) -> Rows:
        rng, w, wt = self.rng, self.writer, self.wt
        t_req = w.table(
            EnterpriseRequest,
            (
                "id",
                "zone_id",
                "number",
                "enterprise_id",
                "title",
                "description",
                "category_id",
                "category_confirmed",
                "domain",
                "handling_body_id",
                "status",
                "submitted_on",
                "ack_due",
                "respond_due",
                "resolve_due",
                "deadlines_provisional",
                "acknowledged_at",
                "responded_at",
                "response",
                "resolved_at",
                "resolution",
                "confirmed_at",
                "satisfaction",
                "closed_at",
                "created_at",
                "updated_at",
            ),
        )
        req_id = self.ids(EnterpriseRequest)
        yield []  # set-up done: the rows below may come from another process
        counts = split(self.sizes.requests, self.weights)
        years = list(range(FIRST_YEAR, REFERENCE_DAY.year + 1))
        year_weights = [0.5 + 0.25 * n for n in range(len(years))]
        year_weights[-1] *= (REFERENCE_DAY.timetuple().tm_yday) / 365
        rows: list[tuple] = []
        order = (RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED, RequestStatus.RESPONDED, RequestStatus.RESOLVED)
        stamp = w.stamp_ordinal
        for zone, zone_count in zip(self.zones, counts, strict=True):
            if zone.enterprises[0] == zone.enterprises[1]:
                continue
            bodies = (zone.bodies["economy"], zone.bodies["investment"], zone.bodies["service"])
            for year, count in zip(years, split(zone_count, year_weights), strict=True):
                lo, hi = self.year_range(year)
                for seq, index in enumerate(sorted(rng.randint(lo, hi) for _ in range(count)), start=1):
                    submitted = wt.days[index]
                    cat, ack, respond, resolve = rng.choice(zone.categories)
                    ent = self.enterprise(zone)[0]
                    age = self.i_ref - index
                    if age > 30:
                        status = rng.choices(
                            (RequestStatus.CLOSED, RequestStatus.RESOLVED, RequestStatus.RESPONDED), (90, 6, 4)
                        )[0]
                    else:
                        status = rng.choice((*order, RequestStatus.CLOSED))
                    dues = [
                        add_working_days(wt.calendar, dt.date.fromordinal(submitted), d)
                        for d in (ack, respond, resolve)
                    ]
                    ack_due, respond_due, resolve_due = (d.date.toordinal() for d in dues)
                    rank = 4 if status == RequestStatus.CLOSED else order.index(status)
                    # acknowledged, responded, resolved, confirmed, closed: as far as the status has come
                    moments: list[int | None] = [None] * 5
                    day = index
                    for n in range((0, 1, 2, 3, 5)[rank]):
                        limit = (ack, respond, resolve, resolve + 2, resolve + 2)[n]
                        day = min(max(day, index + rng.randint(0, limit + 1)), self.i_ref)
                        moments[n] = wt.days[day]
                    title = rng.choice(names.REQUEST_TITLES)
                    provisional = any(d.provisional for d in dues)
                    rows.append(
                        (
                            req_id,
                            zone.id,
                            f"SQ{year}{seq:06d}",
                            ent,
                            title,
                            f"{title}，请园区协调解决。（合成数据）",
                            cat,
                            int(rank >= 1),
                            "economic",
                            rng.choice(bodies),
                            str(status),
                            wt.text(submitted),
                            wt.text(ack_due),
                            wt.text(respond_due),
                            wt.text(resolve_due),
                            int(provisional),
                            None if moments[0] is None else stamp(moments[0], 10 * 60),
                            None if moments[1] is None else stamp(moments[1], 15 * 60),
                            "已研究并答复企业。" if moments[1] else "",
                            None if moments[2] is None else stamp(moments[2], 16 * 60),
                            "已协调解决。" if moments[2] else "",
                            None if moments[3] is None else stamp(moments[3], 17 * 60),
                            rng.choice(("满意", "非常满意", "基本满意")) if moments[3] else "",
                            None if moments[4] is None else stamp(moments[4], 17 * 60 + 30),
                            stamp(submitted, 9 * 60),
                            stamp(next(m for m in (*reversed(moments), submitted) if m is not None), 18 * 60),
                        )
                    )
                    req_id += 1
                    if len(rows) >= BATCH:
                        yield [(t_req, rows)]
                        rows = []
        yield [(t_req, rows)]

    # --- investment projects --------------------------------------------------------------------------
