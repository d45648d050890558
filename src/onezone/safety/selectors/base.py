"""Reads of the safety base, major hazard installations and dual prevention, every one zone-scoped.

The safety desk and the park map call ``hazards_overdue``, ``hazards_supervised``,
``licences_expiring``, ``installations_for_map``, ``enterprise_sites_for_map``,
``enterprise_safety`` and ``safety_figures``; each answers small dataclasses with what a row shows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from onezone.core.errors import InvalidInput, NotFound
from onezone.safety import base_rules
from onezone.safety.models import (
    RISK_COLOURS,
    Contractor,
    EnterpriseChemical,
    EnterpriseProcess,
    Hazard,
    HazardLevel,
    HazardSupervision,
    Installation,
    Licence,
    OperationFiling,
    ResponsibilityCheck,
    Responsible,
    RiskLevel,
    RiskPoint,
    SafetyInspection,
    SafetyProfile,
)
from onezone.safety.selectors.base_hazards import (  # noqa: F401  # the desk reads them from here
    OPEN,
    RUNNING,
    HazardDetail,
    HazardPage,
    HazardRow,
    SupervisedRow,
    hazard_detail,
    hazard_row,
    hazards_of,
    hazards_overdue,
    hazards_page,
    hazards_supervised,
)


def licence_warning_days() -> int:
    """Days before a licence's expiry from which it is warned of (setting ONEZONE_SAFETY_LICENCE_WARNING_DAYS)."""
    return int(getattr(settings, "ONEZONE_SAFETY_LICENCE_WARNING_DAYS", 90))


def hazard_warning_days() -> int:
    """Days before a hazard's time limit from which it is warned of (setting ONEZONE_SAFETY_HAZARD_WARNING_DAYS)."""
    return int(getattr(settings, "ONEZONE_SAFETY_HAZARD_WARNING_DAYS", 3))


def check_days() -> dict[str, int]:
    """How often each responsible person checks (setting ONEZONE_SAFETY_CHECK_DAYS, merged over the defaults)."""
    return {**base_rules.CHECK_DAYS, **getattr(settings, "ONEZONE_SAFETY_CHECK_DAYS", {})}


@dataclass(frozen=True)
class LicenceRow:
    id: int
    enterprise_id: int
    enterprise_name: str
    kind: str
    kind_label: str
    number: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date
    days_left: int  # negative: expired that many days ago
    expired: bool


def _licence_row(lic: Licence, today: dt.date) -> LicenceRow:
    days_left = (lic.valid_to - today).days
    return LicenceRow(
        id=lic.pk,
        enterprise_id=lic.enterprise_id,
        enterprise_name=lic.enterprise.name,
        kind=lic.kind,
        kind_label=lic.get_kind_display(),
        number=lic.number,
        issuer=lic.issuer,
        valid_from=lic.valid_from,
        valid_to=lic.valid_to,
        days_left=days_left,
        expired=days_left < 0,
    )


def licences_expiring(*, zone_id: int, today: dt.date) -> list[LicenceRow]:
    """Licences expiring within the warning days, or expired, that no later licence of the same kind replaced."""
    limit = today + dt.timedelta(days=licence_warning_days())
    renewed = Licence.objects.filter(
        enterprise_id=OuterRef("enterprise_id"), kind=OuterRef("kind"), valid_to__gt=OuterRef("valid_to")
    )
    qs = (
        Licence.objects.filter(zone_id=zone_id, valid_to__lte=limit)
        .exclude(Exists(renewed))
        .select_related("enterprise")
        .order_by("valid_to", "id")
    )
    return [_licence_row(lic, today) for lic in qs]


@dataclass(frozen=True)
class MapInstallation:
    id: int
    name: str
    enterprise_id: int
    enterprise_name: str
    level: int
    x_m: Decimal | None
    y_m: Decimal | None


def installations_for_map(*, zone_id: int) -> list[MapInstallation]:
    """Major hazard installations with their level and coordinates (the enterprise's site where the unit has none)."""
    qs = (
        Installation.objects.filter(zone_id=zone_id, major=True)
        .select_related("enterprise__safety_profile")
        .order_by("level", "enterprise__name", "name")
    )
    rows = []
    for inst in qs:
        profile = getattr(inst.enterprise, "safety_profile", None)
        rows.append(
            MapInstallation(
                id=inst.pk,
                name=inst.name,
                enterprise_id=inst.enterprise_id,
                enterprise_name=inst.enterprise.name,
                level=inst.level,
                x_m=inst.x_m if inst.x_m is not None else getattr(profile, "x_m", None),
                y_m=inst.y_m if inst.y_m is not None else getattr(profile, "y_m", None),
            )
        )
    return rows


@dataclass(frozen=True)
class MapSite:
    enterprise_id: int
    enterprise_name: str
    x_m: Decimal
    y_m: Decimal
    hazardous_chemicals: bool
    major_installations: int
    highest_level: int | None  # 1 is the highest


def enterprise_sites_for_map(*, zone_id: int) -> list[MapSite]:
    """Enterprises with a site on the park's map, and how many major hazards each holds."""
    from django.db.models import Min

    qs = (
        SafetyProfile.objects.filter(zone_id=zone_id, x_m__isnull=False, y_m__isnull=False)
        .select_related("enterprise")
        .annotate(
            majors=Count("enterprise__safety_installations", filter=Q(enterprise__safety_installations__major=True)),
            highest=Min("enterprise__safety_installations__level"),
        )
        .order_by("enterprise__name")
    )
    return [
        MapSite(
            enterprise_id=p.enterprise_id,
            enterprise_name=p.enterprise.name,
            x_m=p.x_m,
            y_m=p.y_m,
            hazardous_chemicals=p.hazardous_chemicals,
            major_installations=p.majors,
            highest_level=p.highest,
        )
        for p in qs
    ]


@dataclass(frozen=True)
class RiskPointRow:
    id: int
    enterprise_id: int
    enterprise_name: str
    name: str
    level: str
    level_label: str
    colour: str
    installation_name: str
    controls: str
    owner: str


def _risk_row(rp: RiskPoint) -> RiskPointRow:
    return RiskPointRow(
        id=rp.pk,
        enterprise_id=rp.enterprise_id,
        enterprise_name=rp.enterprise.name,
        name=rp.name,
        level=rp.level,
        level_label=rp.get_level_display(),
        colour=RISK_COLOURS[RiskLevel(rp.level)],
        installation_name=rp.installation.name if rp.installation else "",
        controls=rp.controls,
        owner=rp.owner,
    )


_RISK_ORDER = {level: i for i, level in enumerate(RiskLevel.values)}
DUTY_ORDER = {duty: i for i, duty in enumerate(Responsible.Duty.values)}


def risk_points_list(*, zone_id: int, level: str | None = None, enterprise_id: int | None = None) -> list[RiskPointRow]:
    """Risk points, the highest level first."""
    if level and level not in RiskLevel.values:
        raise InvalidInput("风险等级应为 major、larger、general 或 low。", fields={"level": "取值不正确。"})
    qs = RiskPoint.objects.filter(zone_id=zone_id).select_related("enterprise", "installation")
    if level:
        qs = qs.filter(level=level)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    rows = [_risk_row(rp) for rp in qs.order_by("enterprise__name", "name", "id")]
    return sorted(rows, key=lambda r: _RISK_ORDER[r.level])


@dataclass(frozen=True)
class InstallationRow:
    id: int
    name: str
    kind_label: str
    enterprise_id: int
    enterprise_name: str
    s_value: Decimal
    r_value: Decimal
    major: bool
    level: int | None
    level_name: str
    people_exposed: int
    substances: str


def installations_list(
    *, zone_id: int, major: bool | None = None, level: int | None = None, enterprise_id: int | None = None
) -> list[InstallationRow]:
    """Installations with their identification and grading, the highest level first (not major last)."""
    qs = (
        Installation.objects.filter(zone_id=zone_id)
        .select_related("enterprise")
        .prefetch_related(Prefetch("substances"))
    )
    if major is not None:
        qs = qs.filter(major=major)
    if level is not None:
        qs = qs.filter(level=level)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    # Ordered by name here; by level below, in Python (the databases sort NULL levels differently).
    qs = qs.order_by("enterprise__name", "name")
    rows = [
        InstallationRow(
            id=i.pk,
            name=i.name,
            kind_label=i.get_kind_display(),
            enterprise_id=i.enterprise_id,
            enterprise_name=i.enterprise.name,
            s_value=i.s_value,
            r_value=i.r_value,
            major=i.major,
            level=i.level,
            level_name=i.level_name,
            people_exposed=i.people_exposed,
            substances="、".join(f"{s.name} {s.quantity_t.normalize():f} t" for s in i.substances.all()),
        )
        for i in qs
    ]
    return sorted(rows, key=lambda r: (r.level is None, r.level or 0))


@dataclass
class ResponsibleRow:
    id: int
    duty: str
    duty_label: str
    name: str
    post: str
    phone_masked: str
    last_check: dt.date | None
    due: dt.date
    overdue: bool
    holiday: dt.date | None
    holiday_overdue: bool


@dataclass
class InstallationDetail:
    installation: Installation
    grading: Any  # grading.Grading
    responsibles: list[ResponsibleRow]
    risk_points: list[RiskPointRow]
    hazards: list[HazardRow]
    inspections: list[SafetyInspection]


def _holidays() -> frozenset[dt.date]:
    from onezone.core.calendar import load_calendar

    return load_calendar().holidays


def _responsible_rows(responsibles: list[Responsible], today: dt.date) -> list[ResponsibleRow]:
    holidays = _holidays()
    days = check_days()
    rows = []
    for r in responsibles:
        checks = list(r.checks.all())
        periodic = [c.checked_on for c in checks if c.kind == ResponsibilityCheck.Kind.PERIODIC]
        holiday_checks = [c.checked_on for c in checks if c.kind == ResponsibilityCheck.Kind.HOLIDAY]
        status = base_rules.check_status(
            duty=r.duty,
            since=r.created_at.date(),
            periodic=periodic,
            holiday_checks=holiday_checks,
            holidays=holidays,
            today=today,
            days=days,
        )
        rows.append(
            ResponsibleRow(
                id=r.pk,
                duty=r.duty,
                duty_label=r.get_duty_display(),
                name=r.name,
                post=r.post,
                phone_masked=r.phone_masked,
                last_check=max((c.checked_on for c in checks), default=None),
                due=status.due,
                overdue=status.overdue,
                holiday=status.holiday,
                holiday_overdue=status.holiday_overdue,
            )
        )
    return rows


def installation_detail(*, zone_id: int, installation_id: int, today: dt.date) -> InstallationDetail:
    """One installation with its grading steps, responsible people and their checks, risk points, hazards."""
    from onezone.safety.services.base import installation_grading

    inst = (
        Installation.objects.filter(zone_id=zone_id, pk=installation_id)
        .select_related("enterprise")
        .prefetch_related("substances")
        .first()
    )
    if inst is None:
        raise NotFound("没有找到该危险化学品单元。")
    responsibles = sorted(
        Responsible.objects.filter(installation=inst).prefetch_related("checks"), key=lambda r: DUTY_ORDER[r.duty]
    )
    risk_points = RiskPoint.objects.filter(installation=inst).select_related("enterprise", "installation")
    hazards = hazards_of(zone_id).filter(installation=inst).order_by("-found_on", "-id")
    inspections = SafetyInspection.objects.filter(installation=inst).select_related(
        "inspection__body", "enforcement_item"
    )
    return InstallationDetail(
        installation=inst,
        grading=installation_grading(inst),
        responsibles=_responsible_rows(responsibles, today),
        risk_points=[_risk_row(rp) for rp in risk_points.order_by("name")],
        hazards=[hazard_row(h, today) for h in hazards],
        inspections=list(inspections.order_by("-inspection__planned_on")),
    )


@dataclass(frozen=True)
class CheckOverdueRow:
    responsible_id: int
    installation_id: int
    installation_name: str
    enterprise_id: int
    enterprise_name: str
    duty_label: str
    name: str
    due: dt.date
    overdue: bool
    holiday: dt.date | None
    holiday_overdue: bool


def responsibility_overdue(*, zone_id: int, today: dt.date) -> list[CheckOverdueRow]:
    """Responsible people of major hazards whose periodic or pre-holiday check is overdue."""
    responsibles = list(
        Responsible.objects.filter(zone_id=zone_id, installation__major=True)
        .select_related("installation__enterprise")
        .prefetch_related("checks")
        .order_by("installation__enterprise__name", "installation__name", "duty")
    )
    by_id = {r.pk: r for r in responsibles}
    out = []
    for row in _responsible_rows(responsibles, today):
        if not (row.overdue or row.holiday_overdue):
            continue
        r = by_id[row.id]
        out.append(
            CheckOverdueRow(
                responsible_id=r.pk,
                installation_id=r.installation_id,
                installation_name=r.installation.name,
                enterprise_id=r.installation.enterprise_id,
                enterprise_name=r.installation.enterprise.name,
                duty_label=row.duty_label,
                name=r.name,
                due=row.due,
                overdue=row.overdue,
                holiday=row.holiday,
                holiday_overdue=row.holiday_overdue,
            )
        )
    return out


@dataclass
class EnterpriseSafety:
    enterprise_id: int
    enterprise_name: str
    profile: SafetyProfile | None
    licences: list[LicenceRow]
    processes: list[str]
    chemicals: list[EnterpriseChemical]
    installations: list[InstallationRow]
    risk_points: list[RiskPointRow]
    open_hazards: list[HazardRow]
    filings: list[OperationFiling] = field(default_factory=list)
    contractors: list[Contractor] = field(default_factory=list)


def enterprise_safety(*, zone_id: int, enterprise_id: int, today: dt.date | None = None) -> EnterpriseSafety:
    """An enterprise's safety base: profile, licences, processes, chemicals, installations, risk points, hazards."""
    from onezone.enterprises.selectors import enterprise_get
    from onezone.safety.services.base_common import today as local_today

    on = today or local_today()
    enterprise = enterprise_get(zone_id=zone_id, enterprise_id=enterprise_id)
    licences = Licence.objects.filter(zone_id=zone_id, enterprise_id=enterprise_id).select_related("enterprise")
    processes = EnterpriseProcess.objects.filter(zone_id=zone_id, enterprise_id=enterprise_id).order_by("process")
    installations = installations_list(zone_id=zone_id, enterprise_id=enterprise_id)
    return EnterpriseSafety(
        enterprise_id=enterprise.pk,
        enterprise_name=enterprise.name,
        profile=SafetyProfile.objects.filter(zone_id=zone_id, enterprise_id=enterprise_id).first(),
        licences=[_licence_row(lic, on) for lic in licences.order_by("kind", "-valid_to")],
        processes=[p.get_process_display() for p in processes],
        chemicals=list(
            EnterpriseChemical.objects.filter(zone_id=zone_id, enterprise_id=enterprise_id).order_by("name")
        ),
        installations=installations,
        risk_points=risk_points_list(zone_id=zone_id, enterprise_id=enterprise_id),
        open_hazards=[
            hazard_row(h, on)
            for h in hazards_of(zone_id).filter(enterprise_id=enterprise_id, status__in=OPEN).order_by("deadline", "id")
        ],
        filings=list(OperationFiling.objects.filter(zone_id=zone_id, enterprise_id=enterprise_id)[:20]),
        contractors=list(Contractor.objects.filter(zone_id=zone_id, enterprise_id=enterprise_id)[:50]),
    )


@dataclass(frozen=True)
class SafetyFigures:
    major_installations: dict[int, int]  # level → count, levels 1–4
    major_total: int
    open_hazards: dict[str, int]  # HazardLevel → count
    open_total: int
    overdue: int
    supervised: int
    licences_expiring: int
    checks_overdue: int


def safety_figures(*, zone_id: int, today: dt.date) -> SafetyFigures:
    """The zone's counts: major installations by level, open hazards by level, overdue, supervised, licences."""
    levels = Counter(
        dict(
            Installation.objects.filter(zone_id=zone_id, major=True)
            .order_by()
            .values_list("level")
            .annotate(n=Count("id"))
        )
    )
    hazards = Hazard.objects.filter(zone_id=zone_id, status__in=OPEN).order_by()
    by_level = Counter(dict(hazards.values_list("level").annotate(n=Count("id"))))
    overdue = Hazard.objects.filter(zone_id=zone_id, status__in=RUNNING, deadline__lt=today).count()
    supervised = HazardSupervision.objects.filter(
        zone_id=zone_id, lifted_on__isnull=True, hazard__level=HazardLevel.MAJOR
    ).count()
    return SafetyFigures(
        major_installations={level: levels.get(level, 0) for level in (1, 2, 3, 4)},
        major_total=sum(levels.values()),
        open_hazards={level: by_level.get(level, 0) for level in HazardLevel.values},
        open_total=sum(by_level.values()),
        overdue=overdue,
        supervised=supervised,
        licences_expiring=len(licences_expiring(zone_id=zone_id, today=today)),
        checks_overdue=len(responsibility_overdue(zone_id=zone_id, today=today)),
    )


@dataclass(frozen=True)
class EnforcementRow:
    id: int
    code: str
    name: str
    kind_label: str
    body_name: str


def enforcement_items(*, zone_id: int) -> list[EnforcementRow]:
    """The zone's active enforcement items (执法事项清单) of the safety field, for planning inspections."""
    from onezone.powers.models import EnforcementItem

    qs = (
        EnforcementItem.objects.filter(zone_id=zone_id, active=True)
        .filter(Q(name__contains="安全") | Q(name__contains="危险化学品") | Q(enforcing_body__name__contains="应急"))
        .select_related("enforcing_body")
        .order_by("code", "id")
    )
    return [
        EnforcementRow(
            id=e.pk,
            code=e.code,
            name=e.name,
            kind_label=e.get_kind_display(),
            body_name=e.enforcing_body.name if e.enforcing_body_id else "",
        )
        for e in qs
    ]
