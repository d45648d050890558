"""Investment projects with their stage changes and funds entries."""

from __future__ import annotations

import datetime as dt

from onezone.investment import rules as stages
from onezone.investment.models import FundsEntry, FundsSource, Project, ProjectStageChange
from onezone.synth import names
from onezone.synth.base import FIRST_YEAR, Rows, StepBase, _iso, money, split
from onezone.synth.writer import BATCH


class InvestmentSteps(StepBase):
    def projects(self) -> Rows:
        rng, w, wt = self.rng, self.writer, self.wt
        t_project = w.table(
            Project,
            (
                "id",
                "zone_id",
                "name",
                "investor_name",
                "enterprise_id",
                "industry_code",
                "park_id",
                "planned_investment",
                "is_key",
                "planned_start_year",
                "officer_id",
                "agent_id",
                "referrer",
                "stage",
                "stage_since",
                "signed_on",
                "started_on",
                "completed_on",
                "dropped_reason",
                "version",
                "created_at",
                "updated_at",
            ),
        )
        t_change = w.table(
            ProjectStageChange, ("id", "zone_id", "project_id", "from_stage", "to_stage", "on", "actor_id", "reason")
        )
        t_funds = w.table(
            FundsEntry,
            (
                "id",
                "zone_id",
                "project_id",
                "amount",
                "received_on",
                "source",
                "evidence_reference",
                "note",
                "recorded_by_id",
            ),
        )
        project_id, change_id, funds_id = self.ids(Project), self.ids(ProjectStageChange), self.ids(FundsEntry)
        yield []  # set-up done: the rows below may come from another process
        counts = split(self.sizes.projects, self.weights)
        projects, changes, funds = [], [], []
        pipeline = stages.PIPELINE
        reach = (15, 15, 15, 10, 15, 10, 20)  # how many stop at each pipeline stage, per hundred
        sources = [str(s) for s in FundsSource.values]
        first = dt.date(FIRST_YEAR, 1, 1).toordinal()
        span = self.today - first
        for zone, count in zip(self.zones, counts, strict=True):
            officer, agent = zone.users["investment"], zone.users["agent"]
            for _ in range(count):
                last_stage = rng.choices(range(len(pipeline)), reach)[0]
                dropped = last_stage < len(pipeline) - 1 and rng.random() < 0.1
                day = first + rng.randrange(span)
                entered: list[tuple[str, int]] = [(pipeline[0], day)]
                for stage in pipeline[1 : last_stage + 1]:
                    day = min(day + rng.randint(15, 240), self.today)
                    entered.append((stage, day))
                if dropped:
                    day = min(day + rng.randint(15, 240), self.today)
                    entered.append((stages.DROPPED, day))
                park, theme = rng.choice(zone.parks)
                planned = rng.choice((5, 10, 20, 50, 100, 300, 1000, 5000)) * 1e6
                dates = dict(entered)
                rank = stages.stage_rank(pipeline[last_stage])
                ent = self.enterprise(zone)
                enterprise = ent[0] if ent and rank >= stages.stage_rank(stages.REGISTERED) else None
                firm = f"{rng.choice(names.FIRM_WORDS)}{rng.choice(names.FIRM_WORDS)}集团{names.SYNTH_MARK}"
                label = names.PARK_THEMES[theme][0]
                projects.append(
                    (
                        project_id,
                        zone.id,
                        f"年产{rng.choice((1, 2, 5, 10, 20, 30))}万吨{label}项目{names.SYNTH_MARK}",
                        firm,
                        enterprise,
                        rng.choice(names.INDUSTRIES[theme]),
                        park,
                        money(planned),
                        int(planned >= 5e8),
                        wt.year(dates[pipeline[0]]) + 1,
                        officer,
                        agent if rng.random() < 0.5 else None,
                        self.person_name() if rng.random() < 0.3 else "",
                        entered[-1][0],
                        dt.date.fromordinal(entered[-1][1]).isoformat(),
                        _iso(dates.get(stages.SIGNED)),
                        _iso(dates.get(stages.CONSTRUCTION_STARTED)),
                        _iso(dates.get(stages.COMPLETED)),
                        "投资方调整投资计划" if dropped else "",
                        len(entered),
                        w.stamp_ordinal(entered[0][1], 10 * 60),
                        w.stamp_ordinal(entered[-1][1], 11 * 60),
                    )
                )
                previous = ""
                for stage, on in entered:
                    changes.append((change_id, zone.id, project_id, previous, stage, _iso(on), officer, ""))
                    previous = stage
                    change_id += 1
                signed = dates.get(stages.SIGNED)
                if signed is not None:
                    remaining = planned * rng.uniform(0.1, 0.9)
                    for n in range(rng.randint(1, 6)):
                        amount = remaining * rng.uniform(0.2, 0.6)
                        remaining -= amount
                        on = signed + rng.randrange(max(1, self.today - signed + 1))
                        funds.append(
                            (
                                funds_id,
                                zone.id,
                                project_id,
                                money(amount),
                                _iso(on),
                                rng.choice(sources),
                                f"PZ{project_id}-{n + 1}",
                                rng.choice(names.FUNDS_NOTES),
                                officer,
                            )
                        )
                        funds_id += 1
                project_id += 1
                if len(projects) >= BATCH // 4:
                    yield [(t_project, projects), (t_change, changes), (t_funds, funds)]
                    projects, changes, funds = [], [], []
        yield [(t_project, projects), (t_change, changes), (t_funds, funds)]
