"""Work-safety records at a province's size: hazardous installations, hazards in every state with
their steps, special-work filings, and the gates of the parks with their entries and exits.

Sizes follow the enterprises (see :func:`onezone.synth.base.module_sizes`): a chemical park's
enterprise has its units, hazards are found and rectified through the year, special work is filed
daily, and each park's gates read some thousands of passages.
"""

from __future__ import annotations

from onezone.safety import worktime
from onezone.safety.models import Gate, GatePassage, Hazard, HazardEvent, HazardStatus, Installation, SpecialWork
from onezone.synth.base import REFERENCE_DAY, Rows, StepBase, module_sizes, money, split

H = HazardStatus
# The states a hazard passes through, in order, and how many of each the data holds (weights by age).
HAZARD_PATH = (H.REPORTED, H.ASSIGNED, H.RECTIFYING, H.RECTIFIED, H.ACCEPTED)
HAZARD_TITLES = (
    "储罐区可燃气体报警器失效",
    "动火作业未按规定配备监护人",
    "消防通道被占用",
    "安全阀未按期校验",
    "危化品仓库通风设施损坏",
    "员工未佩戴防护用品",
    "应急照明不亮",
    "配电箱未接地",
)
WORK_PLACES = ("一号装置区", "二号罐区", "仓库北侧", "循环水站", "污水处理站", "变配电室")
PLATES = "甘"
CHEMICALS = (("液氨", "1005"), ("甲醇", "1230"), ("液化石油气", "1075"), ("硫酸", "1830"), ("氯气", "1017"))


class SafetySteps(StepBase):
    def safety(self) -> Rows:
        rng, w, wt = self.rng, self.writer, self.wt
        sizes = module_sizes(self.sizes)
        t_inst = w.table(
            Installation,
            (
                "id",
                "zone_id",
                "enterprise_id",
                "name",
                "kind",
                "people_exposed",
                "s_value",
                "r_value",
                "major",
                "level",
            ),
        )
        t_hazard = w.table(
            Hazard,
            (
                "id",
                "zone_id",
                "number",
                "enterprise_id",
                "installation_id",
                "title",
                "description",
                "level",
                "source",
                "status",
                "body_id",
                "found_on",
                "deadline",
                "rectified_on",
                "accepted_on",
                "rectification",
                "reported_by_id",
            ),
        )
        t_event = w.table(
            HazardEvent,
            ("id", "zone_id", "hazard_id", "at", "on", "actor_id", "actor_name", "from_status", "to_status", "note"),
        )
        t_work = w.table(
            SpecialWork,
            (
                "id",
                "zone_id",
                "number",
                "enterprise_id",
                "kind",
                "level",
                "managed_level",
                "permit_number",
                "place",
                "content",
                "starts_at",
                "ends_at",
                "guardians",
                "approver",
                "status",
                "filed_by_id",
                "closed_note",
            ),
        )
        t_gate = w.table(Gate, ("id", "zone_id", "park_id", "code", "name", "kind"))
        t_pass = w.table(
            GatePassage,
            (
                "id",
                "zone_id",
                "gate_id",
                "direction",
                "at",
                "plate",
                "person",
                "driver",
                "chemical",
                "un_number",
                "quantity_t",
                "imported_by_id",
            ),
        )
        inst_id, hazard_id, event_id = self.ids(Installation), self.ids(Hazard), self.ids(HazardEvent)
        work_id, gate_id, pass_id = self.ids(SpecialWork), self.ids(Gate), self.ids(GatePassage)
        yield []
        weights = self.weights
        lo, hi = self.year_range(REFERENCE_DAY.year - 1)[0], self.i_ref
        kinds = list(worktime.KIND_LABELS)
        for zone, n_inst, n_hazard, n_work, n_pass in zip(
            self.zones,
            split(sizes["installations"], weights),
            split(sizes["hazards"], weights),
            split(sizes["special_works"], weights),
            split(sizes["gate_passages"], weights),
            strict=True,
        ):
            if zone.enterprises[0] == zone.enterprises[1]:
                continue
            first, stop = zone.enterprises
            insts, hazards, events, works, gates, passages = [], [], [], [], [], []
            zone_insts: list[tuple[int, int]] = []
            for n in range(n_inst):
                ent = rng.randrange(first, stop)
                major = rng.random() < 0.3
                insts.append(
                    (
                        inst_id,
                        zone.id,
                        ent,
                        f"{rng.choice(WORK_PLACES)}{n + 1}号单元",
                        rng.choice(("unit", "storage")),
                        rng.randint(0, 400),
                        money(rng.uniform(0.2, 80)),
                        money(rng.uniform(1, 120)),
                        int(major),
                        rng.randint(1, 4) if major else None,
                    )
                )
                zone_insts.append((inst_id, ent))
                inst_id += 1
            safety_body, clerk = zone.bodies["enforcement"], zone.users["clerk1"]
            clerk_name = zone.user_names[clerk]
            for n in range(n_hazard):
                found = rng.randint(lo, hi)
                age = self.i_ref - found
                stage = 4 if age > 60 and rng.random() < 0.92 else rng.randrange(5)
                inst, ent = (
                    rng.choice(zone_insts) if zone_insts and rng.random() < 0.5 else (None, rng.randrange(first, stop))
                )
                major = rng.random() < 0.04
                deadline = min(found + rng.randint(5, 30 if not major else 60), len(wt.days) - 1)
                rectified = min(found + rng.randint(2, 40), self.i_ref) if stage >= 3 else None
                accepted = min(rectified + rng.randint(0, 5), self.i_ref) if stage == 4 else None
                days = wt.days
                hazards.append(
                    (
                        hazard_id,
                        zone.id,
                        f"YH{wt.year(days[found])}{n + 1:06d}",
                        ent,
                        inst,
                        rng.choice(HAZARD_TITLES),
                        "现场检查发现，需限期整改。（合成数据）",
                        "major" if major else "general",
                        rng.choice(("enterprise", "inspection", "park")),
                        str(HAZARD_PATH[stage]),
                        safety_body,
                        wt.text(days[found]),
                        wt.text(days[deadline]),
                        wt.text(days[rectified]) if rectified else None,
                        wt.text(days[accepted]) if accepted else None,
                        "已按要求完成整改。" if rectified else "",
                        clerk,
                    )
                )
                step_days = [found, found, min(found + 1, self.i_ref), rectified or found, accepted or found]
                previous = ""
                for k in range(stage + 1):
                    day = days[step_days[k]]
                    moment = w.stamp_ordinal(day, 9 * 60 + 10 * k)
                    events.append(
                        (
                            event_id,
                            zone.id,
                            hazard_id,
                            moment,
                            wt.text(day),
                            clerk,
                            clerk_name,
                            previous,
                            str(HAZARD_PATH[k]),
                            "",
                        )
                    )
                    previous = str(HAZARD_PATH[k])
                    event_id += 1
                hazard_id += 1
            for n in range(n_work):
                start = rng.randint(lo, hi)
                kind = rng.choice(kinds)
                level = rng.choice(worktime.HOT_LEVELS) if kind == worktime.HOT else ""
                hour = rng.randint(8, 15)
                status = "filed" if self.i_ref - start < 2 else rng.choice(("closed",) * 19 + ("cancelled",))
                day = wt.days[start]
                works.append(
                    (
                        work_id,
                        zone.id,
                        f"TS{wt.year(day)}{n + 1:06d}",
                        rng.randrange(first, stop),
                        kind,
                        level,
                        level,
                        f"ZYP-{work_id}",
                        rng.choice(WORK_PLACES),
                        f"{worktime.KIND_LABELS[kind]}（合成数据）",
                        w.stamp_ordinal(day, hour * 60),
                        w.stamp_ordinal(day, (hour + rng.randint(1, 6)) * 60),
                        self.person_name(),
                        self.person_name(),
                        status,
                        zone.users["agent"],
                        "作业完成，现场已清理。"
                        if status == "closed"
                        else ("作业取消。" if status == "cancelled" else ""),
                    )
                )
                work_id += 1
            zone_gates = []
            for park, _theme in zone.parks:
                for g, kind in enumerate(("hazmat", "ordinary")):
                    gates.append((gate_id, zone.id, park, f"KK{park}-{g + 1}", f"{g + 1}号卡口", kind))
                    zone_gates.append((gate_id, kind))
                    gate_id += 1
            for _ in range(n_pass):
                gate, kind = rng.choice(zone_gates)
                day = wt.days[rng.randint(self.i_ref - 90, self.i_ref)]
                minute = rng.randrange(24 * 60)
                plate = f"{PLATES}{'ABCDEFGHJ'[pass_id // 100_000 % 9]}{pass_id % 100_000:05d}"  # distinct plates
                chemical, un = rng.choice(CHEMICALS) if kind == "hazmat" else ("", "")
                passages.append(
                    (
                        pass_id,
                        zone.id,
                        gate,
                        rng.choice(("in", "out")),
                        w.stamp_ordinal(day, minute),
                        plate,
                        "",
                        self.person_name(),
                        chemical,
                        un,
                        money(rng.uniform(5, 30)) if un else None,
                        zone.users["clerk2"],
                    )
                )
                pass_id += 1
            yield [
                (t_inst, insts),
                (t_hazard, hazards),
                (t_event, events),
                (t_work, works),
                (t_gate, gates),
                (t_pass, passages),
            ]
