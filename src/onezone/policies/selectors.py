"""Reads of the policy library, and the facts the eligibility engine checks.

The facts of a whole zone load in a fixed number of queries (enterprises, tags, yearly figures,
projects, funds), whatever the number of enterprises; each policy is then checked in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from onezone.core.permissions import roles_in
from onezone.core.roles import Role
from onezone.enterprises.models import Enterprise, EnterpriseTag, EnterpriseYear
from onezone.enterprises.selectors import enterprise_of_user
from onezone.investment.models import FundsEntry, Project, Stage
from onezone.policies.conditions import EnterpriseFacts, Labels, ProjectFacts, YearFigures, describe, evaluate
from onezone.policies.models import GrantStatus, Policy, PolicyGrant, PolicyMatch, PolicyNotice
from onezone.zones.models import Industry, Park

# A project counts for an enterprise's conditions once it is signed, until it is dropped.
_PROJECT_STAGES = (
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.CONSTRUCTION_STARTED,
    Stage.COMPLETED,
    Stage.IN_PRODUCTION,
)


# --- facts ------------------------------------------------------------------------------------


def labels_of(zone_id: int) -> Labels:
    """Names for the codes the conditions use: industries, the zone's parks and tags."""
    return Labels(
        industries=dict(Industry.objects.values_list("code", "name")),
        parks=dict(Park.objects.filter(zone_id=zone_id).values_list("code", "name")),
        tags=dict(EnterpriseTag.objects.filter(zone_id=zone_id).values_list("code", "name")),
    )


def _project_owner_field() -> str | None:
    names = {f.name for f in Project._meta.get_fields()}
    return "enterprise_id" if "enterprise" in names else None


def enterprise_facts(
    zone_id: int, *, on: dt.date | None = None, enterprise_ids: list[int] | None = None
) -> dict[int, EnterpriseFacts]:
    """The facts of the zone's enterprises (all but closed ones) on ``on``, keyed by enterprise id.

    Five queries, whatever the number of enterprises. A project belongs to an enterprise through its
    ``enterprise`` link where the project has one, else when its investor's name is the enterprise's name.
    """
    on = on or timezone.localdate()
    enterprises = Enterprise.objects.filter(zone_id=zone_id).exclude(status=Enterprise.Status.CLOSED)
    if enterprise_ids is not None:
        enterprises = enterprises.filter(pk__in=enterprise_ids)
    rows = list(
        enterprises.values("id", "name", "industry_code", "park__code", "park__name", "size", "established").order_by(
            "name", "id"
        )
    )
    ids = [row["id"] for row in rows]
    tags: dict[int, set[str]] = defaultdict(set)
    for enterprise_id, code, name in Enterprise.tags.through.objects.filter(
        enterprise__zone_id=zone_id, enterprise_id__in=ids
    ).values_list("enterprise_id", "enterprisetag__code", "enterprisetag__name"):
        tags[enterprise_id].update((code, name))
    years: dict[int, dict[int, YearFigures]] = defaultdict(dict)
    for row in EnterpriseYear.objects.filter(zone_id=zone_id, enterprise_id__in=ids).values(
        "enterprise_id", "year", "output_value", "revenue", "tax", "employees", "energy_tce", "rd_spend", "exports"
    ):
        years[row["enterprise_id"]][row["year"]] = YearFigures(
            output_value=row["output_value"],
            revenue=row["revenue"],
            tax=row["tax"],
            employees=row["employees"],
            energy_use=row["energy_tce"],
            rd_spend=row["rd_spend"],
            exports=row["exports"],
        )
    projects = _projects_by_enterprise(zone_id, rows)
    return {
        row["id"]: EnterpriseFacts(
            enterprise_id=row["id"],
            name=row["name"],
            as_of=on,
            industry_code=row["industry_code"] or "",
            park_code=row["park__code"] or "",
            park_name=row["park__name"] or "",
            above_designated_size=row["size"] == Enterprise.Size.ABOVE,
            tags=frozenset(tags.get(row["id"], ())),
            established=row["established"],
            years=years.get(row["id"], {}),
            projects=tuple(projects.get(row["id"], ())),
        )
        for row in rows
    }


def _projects_by_enterprise(zone_id: int, enterprise_rows: list[dict[str, Any]]) -> dict[int, list[ProjectFacts]]:
    owner_field = _project_owner_field()
    by_name = {row["name"]: row["id"] for row in enterprise_rows}
    wanted = set(by_name.values())
    fields = ["id", "name", "stage", "investor_name"] + ([owner_field] if owner_field else [])
    project_rows = list(Project.objects.filter(zone_id=zone_id, stage__in=_PROJECT_STAGES).values(*fields))
    funds: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in (
        FundsEntry.objects.filter(zone_id=zone_id, project__stage__in=_PROJECT_STAGES)
        .annotate(year=ExtractYear("received_on"))
        .values("project_id", "year")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        funds[row["project_id"]][row["year"]] = row["total"]
    out: dict[int, list[ProjectFacts]] = defaultdict(list)
    for row in project_rows:
        owner = row.get(owner_field) if owner_field else None
        if owner is None:
            owner = by_name.get(row["investor_name"])
        if owner is None or owner not in wanted:
            continue
        out[owner].append(ProjectFacts(name=row["name"], status=row["stage"], funds_in_place=funds.get(row["id"], {})))
    return out


# --- qualification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Qualification:
    enterprise_id: int
    enterprise_name: str
    eligible: bool
    reasons: list[str]


@dataclass(frozen=True)
class PolicyFit:
    policy: Policy
    reasons: list[str]


def policy_qualifying(
    zone_id: int, policy: Policy, *, on: dt.date | None = None, include_unqualified: bool = False
) -> list[Qualification]:
    """The zone's enterprises that meet ``policy``'s conditions on ``on``, with the reasons, by name."""
    facts = enterprise_facts(zone_id, on=on)
    labels = labels_of(zone_id)
    results = []
    for item in facts.values():
        eligible, reasons = evaluate(policy.conditions, item, labels=labels)
        if eligible or include_unqualified:
            results.append(Qualification(item.enterprise_id, item.name, eligible, reasons))
    return results


def policies_in_force(zone_id: int, *, on: dt.date | None = None) -> QuerySet[Policy]:
    """Published policies valid on ``on``."""
    on = on or timezone.localdate()
    return (
        Policy.objects.filter(zone_id=zone_id, status=Policy.Status.PUBLISHED, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("issuing_body")
        .order_by("-valid_from", "title")
    )


def enterprise_policies(
    zone_id: int, enterprise_id: int, *, on: dt.date | None = None
) -> tuple[list[PolicyFit], list[PolicyFit]]:
    """The policies in force that the enterprise qualifies for, and those it does not, with reasons."""
    facts = enterprise_facts(zone_id, on=on, enterprise_ids=[enterprise_id]).get(enterprise_id)
    if facts is None:
        return [], []
    labels = labels_of(zone_id)
    fits, misses = [], []
    for policy in policies_in_force(zone_id, on=on):
        eligible, reasons = evaluate(policy.conditions, facts, labels=labels)
        (fits if eligible else misses).append(PolicyFit(policy, reasons))
    return fits, misses


# --- lists ------------------------------------------------------------------------------------


def policies_public(zone_id: int, *, query: str = "") -> QuerySet[Policy]:
    """Published policies for the public list, newest first, optionally searched."""
    qs = Policy.objects.filter(zone_id=zone_id, status=Policy.Status.PUBLISHED).select_related("issuing_body")
    query = query.replace("\x00", "").strip()[:100]
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(summary__icontains=query)
            | Q(document_number__icontains=query)
            | Q(issuer__icontains=query)
            | Q(amount_description__icontains=query)
        )
    return qs.order_by("-valid_from", "title", "id")


def policy_public_get(zone_id: int, policy_id: int) -> Policy | None:
    return policies_public(zone_id).filter(pk=policy_id).first()


def policy_conditions_text(policy: Policy) -> list[str]:
    return describe(policy.conditions, labels=labels_of(policy.zone_id))


def matches_of_policy(zone_id: int, policy_id: int) -> QuerySet[PolicyMatch]:
    return (
        PolicyMatch.objects.filter(zone_id=zone_id, policy_id=policy_id)
        .select_related("enterprise", "enterprise__park", "notice", "grant")
        .order_by("-eligible", "enterprise__name")
    )


def matches_of_zone(zone_id: int) -> QuerySet[PolicyMatch]:
    return (
        PolicyMatch.objects.filter(zone_id=zone_id)
        .select_related("policy", "enterprise")
        .order_by("policy__title", "enterprise__name")
    )


def grants_of_zone(zone_id: int, *, status: str | None = None) -> QuerySet[PolicyGrant]:
    qs = PolicyGrant.objects.filter(zone_id=zone_id).select_related("policy", "enterprise")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-proposed_at", "-id")


def enterprise_of_member(user: Any) -> Enterprise | None:
    """The enterprise ``user`` acts for as an enterprise user (企业用户), or None."""
    enterprise = enterprise_of_user(user)
    if enterprise is None or Role.ENTERPRISE not in roles_in(user, enterprise.zone_id):
        return None
    return enterprise


def notices_of_enterprise(enterprise: Enterprise) -> QuerySet[PolicyNotice]:
    return PolicyNotice.objects.filter(zone_id=enterprise.zone_id, enterprise=enterprise).select_related("policy")


def grants_of_enterprise(enterprise: Enterprise) -> QuerySet[PolicyGrant]:
    return PolicyGrant.objects.filter(zone_id=enterprise.zone_id, enterprise=enterprise).select_related("policy")


@dataclass(frozen=True)
class PolicyFigures:
    published: int
    matched_enterprises: int
    grants_waiting: int
    paid_total: Decimal


def policy_figures(zone_id: int) -> PolicyFigures:
    """Key figures of the zone's policies for the landing page."""
    grants = PolicyGrant.objects.filter(zone_id=zone_id)
    return PolicyFigures(
        published=Policy.objects.filter(zone_id=zone_id, status=Policy.Status.PUBLISHED).count(),
        matched_enterprises=PolicyMatch.objects.filter(zone_id=zone_id, eligible=True)
        .values("enterprise_id")
        .distinct()
        .count(),
        grants_waiting=grants.filter(status=GrantStatus.CONFIRMED).count(),
        paid_total=grants.filter(status=GrantStatus.PAID).aggregate(total=Sum("amount"))["total"] or Decimal(0),
    )
