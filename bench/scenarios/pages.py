"""The pages and endpoints a person waits for, each with its selector and the raw SQL returning the same data.

Every scenario gives three calls, timed interleaved: ``page`` (the full HTTP request through
``django.test.Client``, logged in as the right role: what the person waits for), ``read`` (the
selector behind it) and ``baseline`` (hand-written SQL fetching the same rows or aggregates). The
p95 goal applies to ``page``; the ratio is ``read`` over ``baseline`` (what the ORM and the selector
add to the database work), since a raw query cannot render a page.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from onezone.core.errors import InvalidInput

Calls = dict[str, Callable[[], object]]


@dataclass
class Context:
    """The data every scenario reads: the busiest zone, its people, a case, the latest evaluation."""

    zone: Any
    today: dt.date
    year: int
    clerk: Any
    leader: Any
    province: Any
    case_id: int | None
    evaluation: Any
    notes: list[str]


def _sql(sql: str, params: list | tuple | dict = ()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params if isinstance(params, dict) else list(params))
        return cursor.fetchall()


def _granted(username: str, role: str, zone_id: int | None):
    """A bench user holding ``role`` in the zone (everywhere for the provincial supervisor)."""
    from django.contrib.auth.models import User

    from onezone.core.models import RoleGrant

    user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    RoleGrant.objects.get_or_create(user=user, zone_id=zone_id, role=role)
    return user


def build_context() -> Context:
    """Pick the zone with the most open cases and make (or find) the users the pages need."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from onezone.assessment.models import Evaluation
    from onezone.core.calendar import load_calendar
    from onezone.core.models import RoleGrant
    from onezone.core.roles import Role
    from onezone.zones.models import Zone

    load_calendar()
    busiest = _sql(
        "SELECT zone_id, COUNT(*) FROM window_case WHERE is_open GROUP BY zone_id ORDER BY COUNT(*) DESC LIMIT 1"
    )
    zone = Zone.objects.get(pk=busiest[0][0]) if busiest else Zone.objects.order_by("id").first()
    if zone is None:
        raise RuntimeError("数据库中没有开发区：请先运行 onezone synth 或 onezone demo。")
    today = timezone.localdate()
    # The clerk with the most open cases in the zone is the one whose queue is the longest.
    top = _sql(
        "SELECT clerk_id, COUNT(*) FROM window_case WHERE zone_id = %s AND is_open AND clerk_id IS NOT NULL "
        "GROUP BY clerk_id ORDER BY COUNT(*) DESC LIMIT 1",
        [zone.pk],
    )
    if top:
        clerk = User.objects.get(pk=top[0][0])
        RoleGrant.objects.get_or_create(user=clerk, zone=zone, role=Role.CLERK)
    else:
        clerk = _granted("bench-clerk", Role.CLERK, zone.pk)
    first = _sql(
        "SELECT id FROM window_case WHERE zone_id = %s AND is_open AND (clerk_id = %s OR reviewer_id = %s) "
        "ORDER BY queue_on, id LIMIT 1",
        [zone.pk, clerk.pk, clerk.pk],
    ) or _sql("SELECT id FROM window_case WHERE zone_id = %s ORDER BY id LIMIT 1", [zone.pk])
    evaluation = Evaluation.objects.select_related("scheme").order_by("-zone_count", "-year", "-id").first()
    setup_notes: list[str] = []
    if evaluation is None:
        try:
            evaluation, note = evaluation_from_records(zone.province_code, today.year)
        except InvalidInput as exc:  # no zone's records give a value: the ranking scenario says so and skips
            evaluation, note = None, f"no evaluation: {exc.message}"
        setup_notes.append(note)
    return Context(
        zone=zone,
        today=today,
        year=today.year,
        clerk=clerk,
        leader=_granted("bench-leader", Role.LEADER, zone.pk),
        province=_granted("bench-province", Role.PROVINCE_SUPERVISOR, None),
        case_id=first[0][0] if first else None,
        evaluation=evaluation,
        notes=setup_notes,
    )


def evaluation_from_records(province_code: str, year: int) -> tuple[Any, str]:
    """The province's evaluation of ``year`` computed from the site's records, through the services, when the
    data holds none: the default scheme, each zone's values collected, every zone scored and ranked."""
    import time

    from django.contrib.auth.models import User

    from onezone.assessment.models import Scheme
    from onezone.assessment.services import evaluation_compute, scheme_create_default, zone_values_collect
    from onezone.zones.models import Zone

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    started = time.perf_counter()
    scheme = Scheme.objects.filter(province_code=province_code).order_by("id").first() or scheme_create_default(
        actor=admin, province_code=province_code
    )
    zone_ids = list(Zone.objects.filter(province_code=province_code).values_list("pk", flat=True))
    for zone_id in zone_ids:
        zone_values_collect(actor=admin, zone_id=zone_id, year=year, scheme=scheme)
    collected = time.perf_counter() - started
    started = time.perf_counter()
    evaluation = evaluation_compute(actor=admin, scheme=scheme, year=year)
    return evaluation, (
        f"no evaluation in the data: values of {len(zone_ids)} zones collected from the records in {collected:.1f} s, "
        f"then {evaluation.zone_count} zones scored and ranked (evaluation_compute) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def client_for(user: Any, zone_id: int) -> Callable[[str], bytes]:
    """A GET function for ``user`` working in ``zone_id`` that refuses anything but 200."""
    from django.test import Client

    from onezone.core.middleware import SESSION_ZONE_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_ZONE_KEY] = zone_id
    session.save()

    def get(url: str) -> bytes:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
        return response.content

    return get


# The user's roles: the actions a case page offers and what a ranking shows depend on them, and the
# selectors read them afresh per request (``_fresh``), so the baselines read them too.
GRANTS_SQL = "SELECT zone_id, role FROM core_rolegrant WHERE user_id = %s"


def _fresh(user: Any) -> Any:
    """The user without the per-request role cache, as a new request would see it."""
    user.__dict__.pop("_onezone_role_cache", None)
    return user


# --- the window ---------------------------------------------------------------------------------------------

QUEUE_COLUMNS = (
    "id, number, item_name, applicant_name, state, due_on, legal_due_on, committed_deadline, legal_deadline, "
    "deadlines_provisional, queue_on"
)


def queue_page(ctx: Context) -> Calls:
    """The clerk's own queue (我的待办), first page, full render."""
    from onezone.window.selectors import queue_page as selector

    get = client_for(ctx.clerk, ctx.zone.pk)
    sql = (
        f"SELECT {QUEUE_COLUMNS} FROM window_case "
        "WHERE zone_id = %s AND is_open AND (clerk_id = %s OR reviewer_id = %s) ORDER BY queue_on, id LIMIT 51"
    )
    return {
        "page": lambda: get("/desk/window/queue/?scope=mine"),
        "read": lambda: selector(zone_id=ctx.zone.pk, scope="mine", user=ctx.clerk),
        "baseline": lambda: _sql(sql, [ctx.zone.pk, ctx.clerk.pk, ctx.clerk.pk]),
    }


def queue_api(ctx: Context) -> Calls:
    """The list endpoint of the zone's open cases, walking the first 50 pages of 50 by cursor."""
    from onezone.window.selectors import queue_page as selector

    zone_id = ctx.zone.pk
    cursors: list[str | None] = [None]
    page = selector(zone_id=zone_id, scope="zone")
    while page.next_cursor is not None and len(cursors) < 50:
        cursors.append(page.next_cursor)
        page = selector(zone_id=zone_id, scope="zone", cursor=page.next_cursor)
    get = client_for(ctx.clerk, zone_id)
    page_cursors, read_cursors, base_cursors = (itertools.cycle(cursors) for _ in range(3))

    def page_call():
        cursor = next(page_cursors)
        return get(f"/api/v1/window/zones/{zone_id}/cases?scope=zone" + (f"&cursor={cursor}" if cursor else ""))

    def baseline():
        cursor = next(base_cursors)
        where, params = "zone_id = %s AND is_open", [zone_id]
        if cursor:
            day, pk = cursor.split("_")
            where += " AND (queue_on > %s OR (queue_on = %s AND id > %s))"
            params += [day, day, int(pk)]
        return _sql(f"SELECT {QUEUE_COLUMNS} FROM window_case WHERE {where} ORDER BY queue_on, id LIMIT 51", params)

    return {
        "page": page_call,
        "read": lambda: selector(zone_id=zone_id, scope="zone", cursor=next(read_cursors)),
        "baseline": baseline,
    }


def case_page(ctx: Context) -> Calls:
    """The case page (办件详情) of the first case in the clerk's queue: timeline, clock, actions, documents."""
    from onezone.window.selectors import case_detail

    if ctx.case_id is None:
        raise LookupError("no case in the zone")
    get = client_for(ctx.clerk, ctx.zone.pk)
    case_id = ctx.case_id

    def baseline():
        return (
            _sql(
                "SELECT c.*, i.*, b.*, p.*, u1.*, u2.*, u3.* FROM window_case c "
                "LEFT JOIN powers_poweritem i ON i.id = c.item_id LEFT JOIN org_body b ON b.id = c.body_id "
                "LEFT JOIN zones_park p ON p.id = c.park_id LEFT JOIN auth_user u1 ON u1.id = c.clerk_id "
                "LEFT JOIN auth_user u2 ON u2.id = c.reviewer_id "
                "LEFT JOIN auth_user u3 ON u3.id = c.second_reviewer_id "
                "WHERE c.zone_id = %s AND c.id = %s",
                [ctx.zone.pk, case_id],
            ),
            _sql(
                "SELECT e.*, u.* FROM window_caseevent e LEFT JOIN auth_user u ON u.id = e.actor_id "
                "WHERE e.case_id = %s "
                'ORDER BY e."at", e.id',
                [case_id],
            ),
            _sql("SELECT * FROM window_complaint WHERE case_id = %s ORDER BY received_on", [case_id]),
            _sql(
                "SELECT r.*, x.* FROM window_rating r LEFT JOIN window_rectification x ON x.rating_id = r.id "
                "WHERE r.case_id = %s ORDER BY r.id LIMIT 1",
                [case_id],
            ),
            _sql(GRANTS_SQL, [ctx.clerk.pk]),
        )

    return {
        "page": lambda: get(f"/desk/window/cases/{case_id}/"),
        "read": lambda: case_detail(zone_id=ctx.zone.pk, case_id=case_id, user=_fresh(ctx.clerk)),
        "baseline": baseline,
    }


# --- the lists ----------------------------------------------------------------------------------------------


def public_list(ctx: Context) -> Calls:
    """The public list of items in force (权力清单与办事指南), first page, as an anonymous visitor."""
    from django.test import Client

    from onezone.powers.selectors import public_items

    client = Client()
    zone_id, today = ctx.zone.pk, ctx.today

    def page():
        response = client.get(f"/portal/powers/?zone={ctx.zone.code}")
        if response.status_code != 200:
            raise RuntimeError(f"GET /portal/powers/ answered {response.status_code}")
        return response.content

    withdrawn = (
        "EXISTS (SELECT 1 FROM powers_poweritem w WHERE w.id = {col} AND w.status IN ('suspended', 'revoked') "
        "AND w.status_since <= %s)"
    )

    def baseline():
        version = _sql(
            "SELECT id FROM powers_listversion WHERE zone_id = %s AND effective_on <= %s "
            "ORDER BY effective_on DESC, number DESC LIMIT 1",
            [zone_id, today],
        )
        if version:
            where = "v.version_id = %s AND NOT " + withdrawn.format(col="v.item_id")
            params = [version[0][0], today]
            count = _sql(f"SELECT COUNT(*) FROM powers_listversionitem v WHERE {where}", params)
            rows = _sql(
                f'SELECT v.item_id, v.snapshot FROM powers_listversionitem v WHERE {where} ORDER BY v."order", v.code '
                "LIMIT 20",
                params,
            )
        else:
            where = (
                "i.zone_id = %s AND NOT (i.status IN ('suspended', 'revoked') AND i.status_since <= %s) "
                "AND NOT (i.status = 'in_force' AND i.status_since > %s)"
            )
            params = [zone_id, today, today]
            count = _sql(f"SELECT COUNT(*) FROM powers_poweritem i WHERE {where}", params)
            rows = _sql(
                f"SELECT i.*, b.name FROM powers_poweritem i LEFT JOIN org_body b ON b.id = i.implementing_body_id "
                f'WHERE {where} ORDER BY i."order", i.implementation_code LIMIT 20',
                params,
            )
        return count, rows

    return {
        "page": page,
        "read": lambda: public_items(zone_id=zone_id, on=today, per_page=20).rows,
        "baseline": baseline,
    }


# The fit flag every row of the register carries: the enterprise's industry starts with a leading
# industry of its park, or the park names none.
FITS_PARK_SQL = (
    "(EXISTS (SELECT 1 FROM zones_park_leading_industries l WHERE l.park_id = e.park_id "
    "AND e.industry_code LIKE l.industry_id || '%%') "
    "OR NOT EXISTS (SELECT 1 FROM zones_park_leading_industries l WHERE l.park_id = e.park_id))"
)


def enterprise_list(ctx: Context) -> Calls:
    """The enterprise register endpoint (企业名录), first page of 50 with park and tags."""
    from onezone.enterprises.selectors import enterprises_list

    get = client_for(ctx.leader, ctx.zone.pk)
    zone_id = ctx.zone.pk

    def baseline():
        count = _sql("SELECT COUNT(*) FROM enterprises_enterprise WHERE zone_id = %s", [zone_id])
        rows = _sql(
            f"SELECT e.*, p.*, {FITS_PARK_SQL} FROM enterprises_enterprise e "
            "LEFT JOIN zones_park p ON p.id = e.park_id WHERE e.zone_id = %s ORDER BY e.name, e.id LIMIT 50",
            [zone_id],
        )
        ids = [row[0] for row in rows] or [0]
        marks = ", ".join(["%s"] * len(ids))
        tags = _sql(
            "SELECT et.enterprise_id, t.* FROM enterprises_enterprise_tags et "
            "JOIN enterprises_enterprisetag t ON t.id = et.enterprisetag_id "
            f'WHERE et.enterprise_id IN ({marks}) ORDER BY t."order"',
            ids,
        )
        return count, rows, tags

    return {
        "page": lambda: get(f"/api/v1/enterprises/zones/{zone_id}/enterprises"),
        "read": lambda: enterprises_list(zone_id=zone_id),
        "baseline": baseline,
    }


# --- figures ------------------------------------------------------------------------------------------------


def investment_figures(ctx: Context) -> Calls:
    """The zone's investment figures of the year (招商引资指标), computed from the records."""
    from onezone.investment.selectors import investment_figures as selector

    get = client_for(ctx.leader, ctx.zone.pk)
    zone_id, year = ctx.zone.pk, ctx.year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    project = "JOIN investment_project p ON p.id = {t}.project_id WHERE p.zone_id = %s"

    def baseline():
        return (
            _sql(
                "SELECT SUM(f.amount) FROM investment_fundsentry f "
                + project.format(t="f")
                + " AND f.received_on BETWEEN %s AND %s",
                [zone_id, start, end],
            ),
            _sql(
                "SELECT SUM(i.amount), SUM(CASE WHEN i.month >= %s THEN i.amount END) "
                "FROM investment_investmentprogress i " + project.format(t="i") + " AND i.month <= %s",
                [start, zone_id, end],
            ),
            _sql(
                "SELECT COUNT(*), COUNT(DISTINCT CASE WHEN c.id IS NOT NULL THEN p.id END) FROM investment_project p "
                "LEFT JOIN investment_projectstagechange c ON c.project_id = p.id "
                "AND c.to_stage = 'construction_started' AND c.\"on\" <= %s "
                "WHERE p.zone_id = %s AND p.is_key AND p.planned_start_year = %s",
                [end, zone_id, year],
            ),
            _sql(
                'SELECT c.project_id, c.from_stage, c.to_stage, c."on" FROM investment_projectstagechange c '
                + project.format(t="c")
                + ' AND c."on" <= %s',
                [zone_id, end],
            ),
        )

    return {
        "page": lambda: get(f"/desk/investment/figures/?year={year}"),
        "read": lambda: selector(zone_id=zone_id, year=year),
        "baseline": baseline,
    }


# The dashboard's data, hand-written: everything the selector reads, in thirteen statements. Named
# parameters: z (zone), start, end (the year's bounds), year, today, province, user, next (the year
# after today's: the growth figures come from the latest whole year of monthly reports before it).
_LATEST_REPORTED = (
    "SELECT year FROM support_monthlyreport WHERE zone_id = %(z)s AND status = 'confirmed' AND year < %(next)s "
    "AND month = 12 ORDER BY year DESC LIMIT 1"
)
DASHBOARD_SQL = (
    # The zone's figures.
    "SELECT (SELECT SUM(f.amount) FROM investment_fundsentry f JOIN investment_project p ON p.id = f.project_id "
    "WHERE p.zone_id = %(z)s AND f.zone_id = %(z)s AND f.received_on BETWEEN %(start)s AND %(end)s), "
    "(SELECT SUM(i.amount) FROM investment_investmentprogress i JOIN investment_project p ON p.id = i.project_id "
    "WHERE p.zone_id = %(z)s AND i.zone_id = %(z)s AND i.month <= %(end)s), "
    "(SELECT SUM(i.amount) FROM investment_investmentprogress i JOIN investment_project p ON p.id = i.project_id "
    "WHERE p.zone_id = %(z)s AND i.zone_id = %(z)s AND i.month BETWEEN %(start)s AND %(end)s), "
    "(SELECT COUNT(*) FROM investment_project WHERE zone_id = %(z)s AND is_key AND planned_start_year = %(year)s), "
    "(SELECT COUNT(*) FROM investment_project p JOIN investment_projectstagechange c ON c.project_id = p.id "
    'WHERE p.zone_id = %(z)s AND p.is_key AND p.planned_start_year = %(year)s AND c."on" <= %(end)s '
    "AND c.to_stage = 'construction_started'), "
    "(SELECT COUNT(*) FROM window_case WHERE zone_id = %(z)s AND year = %(year)s), "
    "(SELECT COUNT(*) FROM window_case WHERE zone_id = %(z)s AND year = %(year)s AND on_time IS NOT NULL), "
    "(SELECT COUNT(*) FROM window_case WHERE zone_id = %(z)s AND year = %(year)s AND on_time), "
    "(SELECT COUNT(*) FROM window_case WHERE zone_id = %(z)s AND year = %(year)s AND NOT within_legal), "
    "(SELECT COUNT(*) FROM window_case WHERE zone_id = %(z)s AND is_open AND state <> 'suspended' "
    "AND due_on < %(today)s), "
    "(SELECT COUNT(*) FROM window_case WHERE zone_id = %(z)s AND is_open AND state <> 'suspended' "
    "AND legal_due_on < %(today)s), "
    "(SELECT COUNT(*) FROM enterprises_enterpriserequest WHERE zone_id = %(z)s "
    "AND status IN ('submitted', 'acknowledged', 'responded', 'resolved'))",
    # The industry chains, and per chain its links, gaps, local enterprises, live projects and targets.
    'SELECT * FROM investment_chain WHERE zone_id = %(z)s ORDER BY "order", name',
    "SELECT n.chain_id, COUNT(*), SUM(CASE WHEN e.n IS NULL THEN 1 ELSE 0 END), SUM(e.n), SUM(p.n), SUM(t.n) "
    "FROM investment_chainnode n "
    "LEFT JOIN (SELECT node_id, COUNT(*) AS n FROM investment_nodeenterprise WHERE zone_id = %(z)s "
    "GROUP BY node_id) e ON e.node_id = n.id "
    "LEFT JOIN (SELECT chain_node_id, COUNT(*) AS n FROM investment_project WHERE zone_id = %(z)s "
    "AND chain_node_id IS NOT NULL AND stage <> 'dropped' GROUP BY chain_node_id) p ON p.chain_node_id = n.id "
    "LEFT JOIN (SELECT node_id, COUNT(*) AS n FROM investment_chaintarget WHERE zone_id = %(z)s "
    "GROUP BY node_id) t ON t.node_id = n.id "
    "WHERE n.zone_id = %(z)s GROUP BY n.chain_id",
    # The year's targets with their indicator, park, body and actual.
    "SELECT t.*, i.*, p.*, b.*, a.* FROM assessment_target t JOIN assessment_indicator i ON i.id = t.indicator_id "
    "LEFT JOIN zones_park p ON p.id = t.park_id LEFT JOIN org_body b ON b.id = t.body_id "
    "LEFT JOIN assessment_actual a ON a.target_id = t.id WHERE t.zone_id = %(z)s AND t.year = %(year)s "
    'ORDER BY t.level, p.name, b."order", i."order"',
    # The parks, and each park's figures.
    "SELECT * FROM zones_park WHERE zone_id = %(z)s ORDER BY code",
    "SELECT 'funds', p.park_id, SUM(f.amount), NULL FROM investment_fundsentry f "
    "JOIN investment_project p ON p.id = f.project_id WHERE p.zone_id = %(z)s AND f.zone_id = %(z)s "
    "AND p.park_id IS NOT NULL AND f.received_on BETWEEN %(start)s AND %(end)s GROUP BY p.park_id "
    "UNION ALL SELECT 'progress', p.park_id, SUM(i.amount), SUM(CASE WHEN i.month >= %(start)s THEN i.amount END) "
    "FROM investment_investmentprogress i JOIN investment_project p ON p.id = i.project_id "
    "WHERE p.zone_id = %(z)s AND i.zone_id = %(z)s AND p.park_id IS NOT NULL AND i.month <= %(end)s "
    "GROUP BY p.park_id "
    "UNION ALL SELECT 'key', park_id, COUNT(*), NULL FROM investment_project WHERE zone_id = %(z)s AND is_key "
    "AND park_id IS NOT NULL AND planned_start_year = %(year)s GROUP BY park_id "
    "UNION ALL SELECT 'started', p.park_id, COUNT(*), NULL FROM investment_projectstagechange c "
    "JOIN investment_project p ON p.id = c.project_id WHERE p.zone_id = %(z)s AND c.zone_id = %(z)s "
    'AND p.park_id IS NOT NULL AND p.is_key AND p.planned_start_year = %(year)s AND c."on" <= %(end)s '
    "AND c.to_stage = 'construction_started' GROUP BY p.park_id",
    # The province's scheme, the user's roles, the zone's published ranks and its yearly facts.
    "SELECT * FROM assessment_scheme WHERE province_code = %(province)s ORDER BY id LIMIT 1",
    GRANTS_SQL.replace("%s", "%(user)s"),
    "SELECT r.*, e.* FROM assessment_evaluationresult r JOIN assessment_evaluation e ON e.id = r.evaluation_id "
    "WHERE r.zone_id = %(z)s AND e.status = 'published' AND e.scheme_id = "
    "(SELECT id FROM assessment_scheme WHERE province_code = %(province)s ORDER BY id LIMIT 1) ORDER BY e.year",
    "SELECT * FROM assessment_zoneyearfact WHERE zone_id = %(z)s ORDER BY year",
    # The latest whole year of the enterprises' confirmed monthly reports, its totals and its year-end employees.
    _LATEST_REPORTED,
    "SELECT SUM(output_value), SUM(revenue), SUM(tax), SUM(energy_tce), COUNT(DISTINCT month), "
    "COUNT(DISTINCT enterprise_id) FROM support_monthlyreport WHERE zone_id = %(z)s AND status = 'confirmed' "
    f"AND year = ({_LATEST_REPORTED}) GROUP BY zone_id",
    "SELECT SUM(r.employees) FROM support_monthlyreport r WHERE r.zone_id = %(z)s AND r.status = 'confirmed' "
    f"AND r.year = ({_LATEST_REPORTED}) AND r.month = (SELECT m.month FROM support_monthlyreport m "
    "WHERE m.enterprise_id = r.enterprise_id AND m.year = r.year AND m.status = 'confirmed' "
    "ORDER BY m.month DESC LIMIT 1) GROUP BY r.zone_id",
    # The safety panel: major hazard installations by level, open hazards by level, overdue and 挂牌督办 hazards.
    "SELECT level, COUNT(*) FROM safety_installation WHERE zone_id = %(z)s AND major GROUP BY level",
    "SELECT level, COUNT(*) FROM safety_hazard WHERE zone_id = %(z)s "
    "AND status IN ('reported', 'assigned', 'rectifying', 'rectified') GROUP BY level",
    "SELECT COUNT(*) FROM safety_hazard WHERE zone_id = %(z)s AND status IN ('reported', 'assigned', 'rectifying') "
    "AND deadline < %(today)s",
    "SELECT COUNT(*) FROM safety_hazardsupervision s JOIN safety_hazard h ON h.id = s.hazard_id "
    "WHERE s.zone_id = %(z)s AND s.lifted_on IS NULL AND h.level = 'major'",
    # Licences expiring that no later licence of the same kind replaced, with their enterprise.
    "SELECT l.*, e.* FROM safety_licence l JOIN enterprises_enterprise e ON e.id = l.enterprise_id "
    "WHERE l.zone_id = %(z)s AND l.valid_to <= %(licence_limit)s AND NOT EXISTS (SELECT 1 FROM safety_licence n "
    "WHERE n.enterprise_id = l.enterprise_id AND n.kind = l.kind AND n.valid_to > l.valid_to) "
    "ORDER BY l.valid_to, l.id",
    # The major hazards' responsible people and their checks (whose check is overdue is decided per person).
    "SELECT r.*, i.*, e.* FROM safety_responsible r JOIN safety_installation i ON i.id = r.installation_id "
    "JOIN enterprises_enterprise e ON e.id = i.enterprise_id WHERE r.zone_id = %(z)s AND i.major "
    "ORDER BY e.name, i.name, r.duty",
    "SELECT c.* FROM safety_responsibilitycheck c JOIN safety_responsible r ON r.id = c.responsible_id "
    "JOIN safety_installation i ON i.id = r.installation_id WHERE r.zone_id = %(z)s AND i.major",
    # Special work today (特级 hot work of it) and this month; the plans' drill schedules, the year's drills;
    # each park's assessments up to this year.
    "SELECT COUNT(CASE WHEN status = 'filed' AND starts_at < %(day_end)s AND ends_at > %(day_start)s THEN 1 END), "
    "COUNT(CASE WHEN status = 'filed' AND starts_at < %(day_end)s AND ends_at > %(day_start)s AND kind = 'hot' "
    "AND managed_level = 'special' THEN 1 END), COUNT(CASE WHEN starts_at >= %(month_start)s "
    "AND starts_at < %(month_end)s AND status <> 'cancelled' THEN 1 END) FROM safety_specialwork WHERE zone_id = %(z)s",
    "SELECT issued_on, drill_every_months FROM safety_emergencyplan WHERE zone_id = %(z)s AND issued_on <= %(end)s",
    "SELECT COUNT(*) FROM safety_drillrecord WHERE zone_id = %(z)s AND held_on BETWEEN %(start)s AND %(end)s",
    "SELECT a.park_id, p.name, a.year, a.level, a.reviewed_level FROM safety_riskassessment a "
    "JOIN zones_park p ON p.id = a.park_id WHERE a.zone_id = %(z)s AND a.year <= %(year)s ORDER BY p.code, a.year DESC",
)

# The scheme's indicator tree the ranking's columns and group headings come from.
SCHEME_SQL = (
    "SELECT n.*, p.key FROM assessment_schemenode n LEFT JOIN assessment_schemenode p ON p.id = n.parent_id "
    'WHERE n.scheme_id = %s ORDER BY n."order", n.key'
)

# Every zone's result of one evaluation, best first.
RANKING_SQL = (
    'SELECT r.zone_id, z.name, z.code, r.score, r.rank, r.complete, r.missing, r."values", r.points '
    "FROM assessment_evaluationresult r JOIN zones_zone z ON z.id = r.zone_id WHERE r.evaluation_id = %s "
    "ORDER BY r.rank"
)


def _safety_params(today: dt.date) -> dict[str, object]:
    """The safety panel's bounds: today and this month in local time (given in UTC, as both databases
    store the times), the licences' warning limit."""
    from django.utils import timezone

    from onezone.safety.selectors.base import licence_warning_days

    tz = timezone.get_default_timezone()
    month = today.replace(day=1)
    next_month = (month + dt.timedelta(days=31)).replace(day=1)

    def utc(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.min, tzinfo=tz).astimezone(dt.UTC)

    return {
        "day_start": utc(today),
        "day_end": utc(today + dt.timedelta(days=1)),
        "month_start": utc(month),
        "month_end": utc(next_month),
        "licence_limit": today + dt.timedelta(days=licence_warning_days()),
    }


def dashboard(ctx: Context) -> Calls:
    """The leadership dashboard (领导驾驶舱) of the zone for the current year."""
    from onezone.assessment import selectors

    get = client_for(ctx.leader, ctx.zone.pk)
    year = ctx.year
    params = {
        "z": ctx.zone.pk,
        "start": dt.date(year, 1, 1),
        "end": dt.date(year, 12, 31),
        "year": year,
        "today": ctx.today,
        "province": ctx.zone.province_code,
        "user": ctx.leader.pk,
        "next": ctx.today.year + 1,
        **_safety_params(ctx.today),
    }
    return {
        "page": lambda: get(f"/desk/assessment/?year={year}"),
        "read": lambda: selectors.dashboard(ctx.zone, _fresh(ctx.leader), year=year),
        "baseline": lambda: [_sql(sql, params) for sql in DASHBOARD_SQL],
    }


def ranking(ctx: Context) -> Calls:
    """The province-wide ranking of the latest evaluation (every zone), as the provincial supervisor."""
    from onezone.assessment import selectors

    if ctx.evaluation is None:
        raise LookupError("no evaluation computed")
    evaluation = ctx.evaluation
    get = client_for(ctx.province, ctx.zone.pk)
    return {
        "page": lambda: get(f"/desk/assessment/rankings/{evaluation.pk}/"),
        "read": lambda: selectors.ranking(evaluation, _fresh(ctx.province)),
        "baseline": lambda: (
            _sql(GRANTS_SQL, [ctx.province.pk]),
            _sql(SCHEME_SQL, [evaluation.scheme_id]),
            _sql(RANKING_SQL, [evaluation.pk]),
        ),
    }


SCENARIOS: dict[str, tuple[str, Callable[[Context], Calls]]] = {
    "queue_page": ("Clerk's queue page (我的待办, HTML)", queue_page),
    "queue_api": ("Queue list endpoint (50 cursor pages)", queue_api),
    "case_page": ("Case page (办件详情, HTML)", case_page),
    "public_list": ("Public list of items (portal, HTML)", public_list),
    "enterprise_list": ("Enterprise list endpoint", enterprise_list),
    "investment_figures": ("Investment figures of a zone (HTML)", investment_figures),
    "dashboard": ("Leadership dashboard (HTML)", dashboard),
    "ranking": ("Zone ranking (HTML)", ranking),
}
