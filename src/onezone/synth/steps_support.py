"""Enterprise services at a province's size: supply and demand, jobs, financing needs, monthly
statistics, and the notifications the officials' inboxes hold.

Sizes follow the enterprises and users (see :func:`onezone.synth.base.module_sizes`).
"""

from __future__ import annotations

import datetime as dt

from onezone.notify.models import Notification
from onezone.support.models import FinancingNeed, JobPosting, Listing, MonthlyReport
from onezone.synth.base import REFERENCE_DAY, Rows, StepBase, module_sizes, money, split

LISTING_TITLES = ("工业硅", "多晶硅片", "电解铝锭", "硫酸", "镍钴中间品", "物流运输服务", "设备维修服务", "包装材料")
JOB_TITLES = ("化工操作工", "电工", "设备维修工", "质检员", "安全员", "叉车司机", "仓库管理员", "销售代表")
PURPOSES = ("购买原材料", "技术改造", "扩大产能", "补充流动资金", "新建生产线")
COLLATERALS = ("none", "property", "equipment", "receivables", "ip", "guarantee")
REPORT_MONTHS = 18  # the months up to the reference day the reporting enterprises have filed
EVENTS = (
    ("window.case_due_soon", "办件即将到期", "/desk/window/queue/"),
    ("enterprises.request_assigned", "新的企业诉求已交办", "/desk/enterprises/requests/"),
    ("safety.hazard_due", "隐患整改即将到期", "/desk/safety/hazards/"),
)


class SupportSteps(StepBase):
    def support(self) -> Rows:
        rng, w, wt = self.rng, self.writer, self.wt
        sizes = module_sizes(self.sizes)
        t_listing = w.table(
            Listing,
            (
                "id",
                "zone_id",
                "enterprise_id",
                "kind",
                "subject",
                "title",
                "description",
                "industry_code",
                "contact_name",
                "contact_mobile",
                "status",
                "created_at",
            ),
        )
        t_job = w.table(
            JobPosting,
            (
                "id",
                "zone_id",
                "enterprise_id",
                "title",
                "places",
                "pay_min",
                "pay_max",
                "requirements",
                "place",
                "valid_until",
                "status",
                "posted_by_id",
                "published_on",
            ),
        )
        t_need = w.table(
            FinancingNeed,
            (
                "id",
                "zone_id",
                "enterprise_id",
                "amount",
                "term_months",
                "purpose",
                "collateral",
                "status",
                "created_at",
            ),
        )
        t_report = w.table(
            MonthlyReport,
            (
                "id",
                "zone_id",
                "enterprise_id",
                "year",
                "month",
                "output_value",
                "revenue",
                "tax",
                "employees",
                "energy_tce",
                "status",
                "source",
                "reported_at",
                "reported_by_id",
                "confirmed_at",
            ),
        )
        t_note = w.table(
            Notification,
            ("id", "zone_id", "event", "key", "recipient_id", "subject", "body", "link", "read_at", "created_at"),
        )
        listing_id, job_id, need_id = self.ids(Listing), self.ids(JobPosting), self.ids(FinancingNeed)
        report_id, note_id = self.ids(MonthlyReport), self.ids(Notification)
        yield []
        lo, hi = self.year_range(REFERENCE_DAY.year - 1)[0], self.i_ref
        months = []
        year, month = REFERENCE_DAY.year, REFERENCE_DAY.month
        for _ in range(REPORT_MONTHS):
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
            months.append((year, month))
        months.reverse()
        weights = self.weights
        for zone, n_list, n_job, n_need, n_reporting in zip(
            self.zones,
            split(sizes["listings"], weights),
            split(sizes["jobs"], weights),
            split(sizes["financing_needs"], weights),
            split(sizes["reporting_enterprises"], weights),
            strict=True,
        ):
            first, stop = zone.enterprises
            if first == stop:
                continue
            listings, jobs, needs, reports, notes = [], [], [], [], []
            agent = zone.users["agent"]
            for _ in range(n_list):
                day = wt.days[rng.randint(lo, hi)]
                listings.append(
                    (
                        listing_id,
                        zone.id,
                        rng.randrange(first, stop),
                        rng.choice(("need", "offer")),
                        rng.choice(("product", "service")),
                        rng.choice(LISTING_TITLES),
                        "长期稳定供应。（合成数据）",
                        rng.choice(("2614", "3011", "3216", "5430")),
                        self.person_name(),
                        self.mobile(),
                        "open" if rng.random() < 0.7 else "closed",
                        w.stamp_ordinal(day, 10 * 60),
                    )
                )
                listing_id += 1
            for _ in range(n_job):
                index = rng.randint(lo, hi)
                pay = rng.randrange(3000, 9000, 500)
                until = min(index + rng.randint(20, 120), len(wt.days) - 1)
                jobs.append(
                    (
                        job_id,
                        zone.id,
                        rng.randrange(first, stop),
                        rng.choice(JOB_TITLES),
                        rng.randint(1, 20),
                        money(pay),
                        money(pay + rng.randrange(1000, 4000, 500)),
                        "身体健康，持证上岗优先。（合成数据）",
                        zone.name[:6],
                        wt.text(wt.days[until]),
                        "published" if until >= self.i_ref else "closed",
                        agent,
                        wt.text(wt.days[index]),
                    )
                )
                job_id += 1
            for _ in range(n_need):
                day = wt.days[rng.randint(lo, hi)]
                needs.append(
                    (
                        need_id,
                        zone.id,
                        rng.randrange(first, stop),
                        money(rng.randrange(50, 5000) * 10_000),
                        rng.choice((6, 12, 24, 36)),
                        rng.choice(PURPOSES),
                        rng.choice(COLLATERALS),
                        rng.choice(("open", "open", "funded", "closed")),
                        w.stamp_ordinal(day, 11 * 60),
                    )
                )
                need_id += 1
            reporting = rng.sample(range(first, stop), min(n_reporting, stop - first))
            for ent in reporting:
                base = rng.uniform(2e6, 2e8)
                staff = rng.randint(20, 800)
                for k, (year, month) in enumerate(months):
                    filed = dt_ordinal(year, month % 12 + 1, 8) if month < 12 else dt_ordinal(year + 1, 1, 8)
                    pending = k == len(months) - 1 and rng.random() < 0.1
                    value = base * rng.uniform(0.8, 1.2)
                    reports.append(
                        (
                            report_id,
                            zone.id,
                            ent,
                            year,
                            month,
                            money(value),
                            money(value * 0.95),
                            money(value * 0.04),
                            staff,
                            money(value / 2e5),
                            "pending" if pending else "confirmed",
                            "portal",
                            w.stamp_ordinal(filed, 10 * 60),
                            agent,
                            None if pending else w.stamp_ordinal(filed, 16 * 60),
                        )
                    )
                    report_id += 1
                if len(reports) >= 20_000:
                    yield [(t_report, reports)]
                    reports = []
            recipients = list(zone.users.values())
            per_user = sizes["notifications"] // max(1, len(self.zones) * len(recipients))
            for user in recipients:
                for n in range(per_user):
                    event, subject, link = EVENTS[n % len(EVENTS)]
                    day = wt.days[self.i_ref - n // 4]
                    moment = w.stamp_ordinal(day, 8 * 60 + n % 4)
                    notes.append(
                        (
                            note_id,
                            zone.id,
                            event,
                            f"synth-{note_id}",
                            user,
                            subject,
                            f"{subject}，请及时处理。（合成数据）",
                            link,
                            moment if n >= 20 else None,
                            moment,
                        )
                    )
                    note_id += 1
            yield [(t_listing, listings), (t_job, jobs), (t_need, needs), (t_report, reports), (t_note, notes)]


def dt_ordinal(year: int, month: int, day: int) -> int:
    return dt.date(year, month, day).toordinal()
