"""The province's frame: zones, parks, bodies, posts, users, the implementation list, enterprises
and staff.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured

from onezone.core.models import RoleGrant
from onezone.enterprises.models import Enterprise, RequestCategory
from onezone.org.models import Appointment, Body, Person, Post
from onezone.personnel.models import EmploymentContract
from onezone.powers.models import ItemMaterial, PowerItem
from onezone.powers.selectors import SEARCH_LIMIT, items_in_force
from onezone.synth import names
from onezone.synth.base import (
    REFERENCE_DAY,
    UNUSABLE_PASSWORD,
    USER_PREFIX,
    ZONE_CODE_PREFIX,
    Rows,
    StepBase,
    ZoneData,
    money,
    split,
)
from onezone.synth.cases import ItemLimits
from onezone.synth.writer import BATCH, dumps
from onezone.window.clock import ClockTerms
from onezone.window.services import terms_snapshot, zone_prefix
from onezone.zones.models import Park, Zone


class OrgSteps(StepBase):
    # --- zones, parks, bodies, users ------------------------------------------------------------

    def foundation(self) -> Rows:
        rng, w = self.rng, self.writer
        t_user = w.table(User, ("id", "username", "password", "first_name", "last_name", "is_staff", "date_joined"))
        t_zone = w.table(
            Zone,
            (
                "id",
                "name",
                "code",
                "level",
                "area_code",
                "province_code",
                "approved_area_km2",
                "planned_area_km2",
                "established",
                "reform_date",
                "is_demo",
            ),
        )
        t_grant = w.table(RoleGrant, ("id", "user_id", "zone_id", "role"))
        t_park = w.table(
            Park,
            (
                "id",
                "zone_id",
                "name",
                "code",
                "positioning",
                "industry_labels",
                "planned_area_km2",
                "built_area_km2",
                "address",
            ),
        )
        t_body = w.table(
            Body,
            ("id", "zone_id", "name", "short_name", "kind", "parent_id", "functions", "headcount_quota", "order"),
        )
        t_post = w.table(Post, ("id", "zone_id", "body_id", "title", "category", "grade", "is_head", "headcount"))
        zone_id, user_id, grant_id = self.ids(Zone), self.ids(User), self.ids(RoleGrant)
        park_id, body_id, post_id = self.ids(Park), self.ids(Body), self.ids(Post)
        parks_per_zone = [1 + n for n in split(self.sizes.parks - self.sizes.zones, self.weights)]
        zones, users, grants, parks, bodies, posts = [], [], [], [], [], []
        used_names: set[str] = set()
        joined = w.stamp(dt.date(2021, 1, 4))
        for index in range(self.sizes.zones):
            area, county = names.COUNTIES[index % len(names.COUNTIES)]
            kind, level = names.ZONE_KINDS[(index // len(names.COUNTIES)) % len(names.ZONE_KINDS)]
            base = f"{county}{kind}"
            if base in used_names:
                base = f"{county}{kind}{index // (len(names.COUNTIES) * len(names.ZONE_KINDS)) + 1}区"
            used_names.add(base)
            code = f"{ZONE_CODE_PREFIX}{index + 1:03d}"
            zone = ZoneData(
                id=zone_id, index=index, code=code, name=base + names.SYNTH_MARK, area=area, prefix=zone_prefix(code)
            )
            zone_id += 1
            approved = rng.uniform(5, 60)
            established = dt.date(rng.randint(1992, 2012), rng.randint(1, 12), rng.randint(1, 28))
            zones.append(
                (
                    zone.id,
                    zone.name,
                    code,
                    level,
                    area,
                    names.PROVINCE_CODE,
                    money(approved),
                    money(approved * rng.uniform(1.2, 3)),
                    established.isoformat(),
                    "2021-03-01",
                    1,
                )
            )
            themes = rng.sample(range(len(names.PARK_THEMES)), k=min(len(names.PARK_THEMES), parks_per_zone[index]))
            for n in range(parks_per_zone[index]):
                theme = themes[n % len(themes)]
                label, positioning = names.PARK_THEMES[theme]
                suffix = "" if n < len(themes) else str(n // len(themes) + 1)
                planned = rng.uniform(2, 30)
                parks.append(
                    (
                        park_id,
                        zone.id,
                        f"{county}{label}产业园{suffix}",
                        f"p{n + 1:02d}",
                        positioning,
                        label,
                        money(planned),
                        money(planned * rng.uniform(0.2, 0.9)),
                        f"甘肃省{county}{label}产业园",
                    )
                )
                zone.parks.append((park_id, theme))
                park_id += 1
            for key, body_name, short, body_kind, parent, headcount in names.BODIES:
                zone.bodies[key] = body_id
                bodies.append(
                    (
                        body_id,
                        zone.id,
                        f"{base}{body_name}",
                        short,
                        body_kind,
                        zone.bodies.get(parent) if parent else None,
                        "",
                        headcount,
                        len(zone.bodies),
                    )
                )
                body_id += 1
            for key, title, category, grade, head in names.POSTS:
                posts.append((post_id, zone.id, zone.bodies[key], title, category, grade, int(head), 1))
                zone.posts.append((post_id, key))
                post_id += 1
            for key, role in names.USERS:
                surname, given = rng.choice(names.SURNAMES), rng.choice(names.GIVEN)
                username = f"{USER_PREFIX}{index + 1:03d}-{key}"
                users.append((user_id, username, UNUSABLE_PASSWORD, given, surname, 1, joined))
                grants.append((grant_id, user_id, zone.id, role))
                zone.users[key] = user_id
                zone.user_names[user_id] = surname + given
                user_id += 1
                grant_id += 1
            self.zones.append(zone)
        yield [(t_user, users), (t_zone, zones), (t_grant, grants), (t_park, parks), (t_body, bodies)]
        yield [(t_post, posts)]

    # --- the implementation list ------------------------------------------------------------------

    def powers(self) -> Rows:
        w = self.writer
        t_item = w.table(
            PowerItem,
            (
                "id",
                "zone_id",
                "name",
                "basic_code",
                "implementation_code",
                "category",
                "legal_basis",
                "implementing_body_id",
                "legal_limit",
                "legal_limit_unit",
                "committed_limit",
                "committed_limit_unit",
                "handling_type",
                "joint_handling",
                "special_procedures",
                "service_objects",
                "online",
                "online_depth",
                "place",
                "hours",
                "order",
            ),
        )
        t_material = w.table(ItemMaterial, ("id", "zone_id", "item_id", "name", "necessity", "order"))
        if len(names.ITEMS) > SEARCH_LIMIT:  # items_in_force below must return them all
            raise ImproperlyConfigured("合成事项数超过窗口事项检索上限。")
        item_id, material_id = self.ids(PowerItem), self.ids(ItemMaterial)
        items, materials = [], []
        for zone in self.zones:
            for order, (name, body, legal, unit, committed, instant, joint, special, docs) in enumerate(names.ITEMS):
                online = self.rng.random() < 0.6
                items.append(
                    (
                        item_id,
                        zone.id,
                        name,
                        f"XK{order + 1:04d}",
                        f"{zone.area}-{zone.index + 1:04d}-XK-{order + 1:03d}",
                        "licensing",
                        "《中华人民共和国行政许可法》及相关法律法规（合成数据）",
                        zone.bodies[body],
                        legal,
                        unit,
                        committed,
                        "working" if instant else unit,
                        "instant" if instant else "promised",
                        int(joint),
                        dumps(list(special)),
                        "企业法人、个体工商户",
                        int(online),
                        "full" if online else "",
                        f"{zone.name}政务服务中心",
                        "工作日 9:00–12:00，14:30–18:00",
                        order + 1,
                    )
                )
                for position, doc in enumerate(docs):
                    necessity = "required" if position == 0 else "conditional"
                    materials.append((material_id, zone.id, item_id, doc, necessity, position + 1))
                    material_id += 1
                item_id += 1
        yield [(t_item, items), (t_material, materials)]
        # The terms snapshot a case stores, from the project's own selector.
        for zone in self.zones:
            for terms in items_in_force(zone_id=zone.id, on=REFERENCE_DAY):
                snapshot = terms_snapshot(terms)
                mats = [(m["material_id"], m["name"], m["required"]) for m in snapshot["materials"]]
                all_presented = [{"material_id": i, "name": n, "required": r, "presented": True} for i, n, r in mats]
                missing = [{**m, "presented": m["presented"] and not m["required"]} for m in all_presented]
                zone.items.append(
                    {
                        "id": terms.item_id,
                        "code": terms.code,
                        "name": terms.name,
                        "body": terms.implementing_body_id,
                        "terms": dumps(snapshot),
                        "limits": ItemLimits(ClockTerms.from_snapshot(snapshot), tuple(terms.special_procedures)),
                        "materials": dumps(all_presented),
                        "materials_missing": dumps(missing),
                        "presented": dumps({"presented": [i for i, _n, _r in mats]}),
                        "presented_missing": dumps({"presented": [i for i, _n, r in mats if not r]}),
                        "missing": [i for i, _n, r in mats if r],
                        "missing_names": [n for _i, n, r in mats if r],
                    }
                )

    # --- enterprises ----------------------------------------------------------------------------

    def enterprises(self) -> Rows:
        rng, w = self.rng, self.writer
        t_ent = w.table(
            Enterprise,
            (
                "id",
                "zone_id",
                "uscc",
                "name",
                "legal_representative",
                "registered_capital",
                "industry_code",
                "park_id",
                "address",
                "size",
                "status",
                "established",
                "risk_level",
            ),
        )
        t_cat = w.table(
            RequestCategory,
            ("id", "zone_id", "code", "name", "routing_category", "ack_days", "respond_days", "resolve_days", "order"),
        )
        ent_id, cat_id = self.ids(Enterprise), self.ids(RequestCategory)
        self.enterprise_base = ent_id
        counts = split(self.sizes.enterprises, self.weights)
        rows: list[tuple] = []
        categories = []
        taken: set[str] = set()
        first_day = dt.date(1995, 1, 1).toordinal()
        span = REFERENCE_DAY.toordinal() - first_day
        sizes = ("above",) + ("below",) * 4
        statuses = ("operating",) * 16 + ("building", "building", "suspended", "closed")
        risks = ("low", "low", "medium", "medium", "medium", "high")
        for zone, count in zip(self.zones, counts, strict=True):
            start = ent_id
            for _ in range(count):
                park, theme = rng.choice(zone.parks)
                name = (
                    f"{rng.choice(names.FIRM_WORDS)}{rng.choice(names.FIRM_WORDS)}"
                    f"{rng.choice(names.FIRM_TRADES)}{rng.choice(names.FIRM_FORMS)}{names.SYNTH_MARK}"
                )
                uscc = self.uscc(zone.area, taken)
                self.enterprise_names.append(name)
                self.enterprise_usccs.append(uscc)
                rows.append(
                    (
                        ent_id,
                        zone.id,
                        uscc,
                        name,
                        self.person_name(),
                        money(rng.choice((1, 3, 5, 10, 50, 100, 500, 1000, 5000)) * 1e6 / 10),
                        rng.choice(names.INDUSTRIES[theme]),
                        park,
                        f"甘肃省{zone.name}{rng.randint(1, 300)}号",
                        rng.choice(sizes),
                        rng.choice(statuses),
                        dt.date.fromordinal(first_day + rng.randrange(span)).isoformat(),
                        rng.choice(risks),
                    )
                )
                ent_id += 1
                if len(rows) >= BATCH:
                    yield [(t_ent, rows)]
                    rows = []
            zone.enterprises = (start, ent_id)
            for order, (code, cname, routing, ack, respond, resolve) in enumerate(names.REQUEST_CATEGORIES):
                categories.append((cat_id, zone.id, code, cname, routing, ack, respond, resolve, order + 1))
                zone.categories.append((cat_id, ack, respond, resolve))
                cat_id += 1
        yield [(t_ent, rows), (t_cat, categories)]

    def enterprise(self, zone: ZoneData) -> tuple[int, str, str] | None:
        start, stop = zone.enterprises
        if start == stop:
            return None
        ent = self.rng.randrange(start, stop)
        index = ent - self.enterprise_base
        return ent, self.enterprise_names[index], self.enterprise_usccs[index]

    # --- staff ----------------------------------------------------------------------------------

    def staff(self) -> Rows:
        rng, w = self.rng, self.writer
        t_person = w.table(Person, ("id", "zone_id", "name", "id_number", "mobile", "user_id"))
        t_appt = w.table(Appointment, ("id", "zone_id", "person_id", "post_id", "start", "document"))
        t_contract = w.table(
            EmploymentContract,
            (
                "id",
                "zone_id",
                "number",
                "person_id",
                "post_id",
                "term_type",
                "start",
                "end",
                "probation_months",
                "status",
            ),
        )
        person_id, appt_id, contract_id = self.ids(Person), self.ids(Appointment), self.ids(EmploymentContract)
        counts = split(self.sizes.staff, self.weights)
        people, appts, contracts = [], [], []
        ref = self.today
        for zone, count in zip(self.zones, counts, strict=True):
            user_ids = list(zone.users.values())
            for n in range(count):
                user = user_ids[n] if n < len(user_ids) else None
                name = zone.user_names[user] if user else self.person_name()
                people.append((person_id, zone.id, name, self.resident_id(zone.area), self.mobile(), user))
                post, _body = rng.choice(zone.posts)
                start = ref - rng.randrange(3 * 365 - 1)
                appts.append(
                    (
                        appt_id,
                        zone.id,
                        person_id,
                        post,
                        self.wt.text(start),
                        f"{zone.name[:4]}任〔{self.wt.year(start)}〕{n + 1}号",
                    )
                )
                open_ended = rng.random() < 0.2
                end = None if open_ended else start + 3 * 365
                contracts.append(
                    (
                        contract_id,
                        zone.id,
                        f"HT-{self.wt.year(start)}-{n + 1:05d}",
                        person_id,
                        post,
                        "open_ended" if open_ended else "fixed",
                        self.wt.text(start),
                        None if end is None else dt.date.fromordinal(end).isoformat(),
                        rng.choice((0, 1, 3, 6)),
                        "active",
                    )
                )
                person_id += 1
                appt_id += 1
                contract_id += 1
                if len(people) >= BATCH // 2:
                    yield [(t_person, people), (t_appt, appts), (t_contract, contracts)]
                    people, appts, contracts = [], [], []
        yield [(t_person, people), (t_appt, appts), (t_contract, contracts)]

    # --- window cases ----------------------------------------------------------------------------
