"""Reads of the three lists, including the contract with the service window.

The window asks two things: ``item_terms_in_force`` (the terms of one item on a case's date) and
``items_in_force`` (the desk search). Both answer from the latest version published on or before
the date, from its frozen snapshot; before any version exists, from the live list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from onezone.core.errors import NotFound
from onezone.core.prepared import Prepared, PreparedRows, counted
from onezone.powers.models import (
    Adjustment,
    Category,
    Delegation,
    DelegationBatch,
    Fee,
    ItemMaterial,
    ListVersion,
    ListVersionItem,
    PowerItem,
)
from onezone.powers.rules import VersionDiff, diff_snapshots, limit_text

SEARCH_LIMIT = 50
CATEGORY_LABELS = dict(Category.choices)
_LABELS_BY_LANGUAGE: dict[str | None, dict[str, str]] = {}


def category_label(category: str, default: str = "") -> str:
    """The category's label in the active language (translated once per language, not per row)."""
    language = translation.get_language()
    labels = _LABELS_BY_LANGUAGE.get(language)
    if labels is None:
        labels = _LABELS_BY_LANGUAGE[language] = {value: str(label) for value, label in CATEGORY_LABELS.items()}
    return labels.get(category, default)


@dataclass(frozen=True)
class MaterialTerms:
    material_id: int
    name: str
    required: bool
    form: str
    copies: int
    source: str
    standard: str


@dataclass(frozen=True)
class ItemTerms:
    item_id: int
    version_id: int | None
    zone_id: int
    code: str  # implementation code 实施编码
    name: str
    category: str
    category_label: str
    implementing_body_id: int | None
    implementing_body_name: str
    legal_limit: int
    legal_unit: str  # "working" | "calendar"
    committed_limit: int
    committed_unit: str
    is_instant: bool
    joint: bool
    special_procedures: tuple[str, ...]
    materials: tuple[MaterialTerms, ...]
    fee_note: str
    place: str
    hours: str
    visits: int


# --- Snapshots ------------------------------------------------------------------------------------

_SNAPSHOT_FIELDS = (
    "name",
    "basic_code",
    "implementation_code",
    "category",
    "status",
    "legal_basis",
    "implementing_body_id",
    "source_department",
    "power_source",
    "exercise_level",
    "legal_limit",
    "legal_limit_unit",
    "legal_limit_note",
    "committed_limit",
    "committed_limit_unit",
    "committed_limit_note",
    "handling_type",
    "joint_handling",
    "acceptance_conditions",
    "procedure",
    "handling_form",
    "special_procedures",
    "service_objects",
    "has_fee",
    "fee_basis",
    "visits",
    "online",
    "online_depth",
    "joint_bodies",
    "place",
    "hours",
    "contact",
    "complaint_channel",
    "order",
)


def _file_url(f: Any) -> str:
    return f.url if f else ""


def material_snapshot(m: ItemMaterial) -> dict[str, Any]:
    return {
        "id": m.pk,
        "name": m.name,
        "necessity": m.necessity,
        "form": m.form,
        "copies": m.copies,
        "source": m.source,
        "blank_form": _file_url(m.blank_form),
        "sample": _file_url(m.sample),
        "standard": m.standard,
        "basis": m.basis,
    }


def fee_snapshot(f: Fee) -> dict[str, Any]:
    return {"name": f.name, "standard": f.standard, "basis": f.basis, "reduction": f.reduction}


def item_snapshot(item: PowerItem) -> dict[str, Any]:
    """Every field of the item, its body's name, materials and fees, as plain JSON."""
    snap: dict[str, Any] = {"id": item.pk}
    snap.update({name: getattr(item, name) for name in _SNAPSHOT_FIELDS})
    snap["special_procedures"] = list(item.special_procedures or [])
    snap["implementing_body_name"] = item.implementing_body.name if item.implementing_body else ""
    snap["materials"] = [material_snapshot(m) for m in item.materials.all()]
    snap["fees"] = [fee_snapshot(f) for f in item.fees.all()]
    return snap


def item_snapshots(items: Iterable[PowerItem]) -> dict[int, dict[str, Any]]:
    """Snapshots of many items with two queries for their materials and fees."""
    items = list(items)
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(items, "materials", "fees")
    return {item.pk: item_snapshot(item) for item in items}


def field_labels() -> dict[str, str]:
    labels = {f.name: str(f.verbose_name) for f in PowerItem._meta.get_fields() if hasattr(f, "verbose_name")}
    labels.update(
        {
            "implementing_body_id": "实施主体",
            "implementing_body_name": "实施主体名称",
            "materials": "申请材料",
            "fees": "收费项目",
        }
    )
    return labels


# --- The window contract --------------------------------------------------------------------------


def version_on(zone_id: int, on: dt.date) -> ListVersion | None:
    """The latest version published with effect on or before ``on``.

    ``has_withdrawn`` tells whether any item of the zone is suspended or revoked by ``on``: usually
    none is, and then the version's rows are read without excluding any (the same query as the raw
    one over the version's rows).
    """
    return _VERSION_ON.first(zone_id=zone_id, on=on)


def _version_on(zone_id: int, on: dt.date) -> QuerySet[ListVersion]:
    withdrawn = PowerItem.objects.filter(_withdrawn_by(on), zone_id=zone_id)
    return (
        ListVersion.objects.filter(zone_id=zone_id, effective_on__lte=on)
        .annotate(has_withdrawn=Exists(withdrawn))
        .order_by("-effective_on", "-number")[:1]
    )


def _withdrawn_by(on: dt.date) -> Q:
    """Items suspended or revoked with effect on or before ``on``."""
    return Q(status__in=[PowerItem.Status.SUSPENDED, PowerItem.Status.REVOKED], status_since__lte=on)


def _terms(snap: Mapping[str, Any], *, item_id: int, version_id: int | None, zone_id: int) -> ItemTerms:
    fees = snap.get("fees") or []
    if snap.get("has_fee"):
        fee_note = "；".join(f"{f['name']}：{f['standard']}" for f in fees) or (snap.get("fee_basis") or "收费")
    else:
        fee_note = "不收费"
    return ItemTerms(
        item_id=item_id,
        version_id=version_id,
        zone_id=zone_id,
        code=snap["implementation_code"],
        name=snap["name"],
        category=snap["category"],
        category_label=category_label(snap["category"], snap["category"]),
        implementing_body_id=snap.get("implementing_body_id"),
        implementing_body_name=snap.get("implementing_body_name", ""),
        legal_limit=snap["legal_limit"],
        legal_unit=snap["legal_limit_unit"],
        committed_limit=snap["committed_limit"],
        committed_unit=snap["committed_limit_unit"],
        is_instant=snap["handling_type"] == PowerItem.HandlingType.INSTANT,
        joint=bool(snap.get("joint_handling")),
        special_procedures=tuple(snap.get("special_procedures") or ()),
        materials=tuple(
            MaterialTerms(
                material_id=m["id"],
                name=m["name"],
                required=m["necessity"] == ItemMaterial.Necessity.REQUIRED,
                form=m["form"],
                copies=m["copies"],
                source=m.get("source", ""),
                standard=m.get("standard", ""),
            )
            for m in snap.get("materials") or []
        ),
        fee_note=fee_note,
        place=snap.get("place", ""),
        hours=snap.get("hours", ""),
        visits=snap.get("visits", 0),
    )


def _live(zone_id: int) -> QuerySet[PowerItem]:
    return PowerItem.objects.filter(zone_id=zone_id).select_related("implementing_body")


def _live_in_force(zone_id: int, on: dt.date) -> QuerySet[PowerItem]:
    return _live(zone_id).exclude(_withdrawn_by(on)).exclude(status_since__gt=on, status=PowerItem.Status.IN_FORCE)


def _not_in_force(name: str, on: dt.date) -> NotFound:
    return NotFound(f"事项“{name}”在{on:%Y年%m月%d日}不在本开发区施行的清单中（未列入、已暂停或已取消），不能受理。")


def item_terms_in_force(*, zone_id: int, item_id: int, on: dt.date) -> ItemTerms:
    """The terms of the item as in the version in force on ``on`` (the live item before any version).

    Raises ``NotFound`` when the item is not in force on that date.
    """
    live = PowerItem.objects.filter(pk=item_id, zone_id=zone_id).values("name", "status", "status_since").first()
    if live is None:
        raise NotFound("本开发区清单中没有该事项，请核对事项编码。")
    if live["status"] != PowerItem.Status.IN_FORCE and live["status_since"] and live["status_since"] <= on:
        raise _not_in_force(live["name"], on)
    version = version_on(zone_id, on)
    if version is None:
        item = _live_in_force(zone_id, on).filter(pk=item_id).prefetch_related("materials", "fees").first()
        if item is None:
            raise _not_in_force(live["name"], on)
        return _terms(item_snapshot(item), item_id=item.pk, version_id=None, zone_id=zone_id)
    snap = ListVersionItem.objects.filter(version=version, item_id=item_id).values_list("snapshot", flat=True).first()
    if snap is None:
        raise _not_in_force(live["name"], on)
    return _terms(snap, item_id=item_id, version_id=version.pk, zone_id=zone_id)


def items_in_force(*, zone_id: int, on: dt.date, query: str = "", category: str | None = None) -> list[ItemTerms]:
    """Items in force on ``on`` whose name or code contains ``query``, at most 50 (window desk search)."""
    query = query.strip()
    version = version_on(zone_id, on)
    if version is None:
        qs = _live_in_force(zone_id, on).prefetch_related("materials", "fees").order_by("order", "implementation_code")
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(implementation_code__icontains=query))
        if category:
            qs = qs.filter(category=category)
        return [_terms(item_snapshot(i), item_id=i.pk, version_id=None, zone_id=zone_id) for i in qs[:SEARCH_LIMIT]]
    rows = _version_rows(version, on)
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(code__icontains=query))
    if category:
        rows = rows.filter(category=category)
    return [
        _terms(snap, item_id=item_id, version_id=version.pk, zone_id=zone_id)
        for item_id, snap in rows.values_list("item_id", "snapshot")[:SEARCH_LIMIT]
    ]


def _version_rows(version: ListVersion, on: dt.date) -> QuerySet[ListVersionItem]:
    """The version's rows less the items withdrawn by ``on``.

    The withdrawn items are one uncorrelated subquery, read once (a correlated ``NOT EXISTS`` looked
    up the item of every row); a version holds only its zone's items.
    """
    return _version_rows_of(version.pk, version.zone_id, on, getattr(version, "has_withdrawn", True))


def _version_rows_of(version_id: int, zone_id: int, on: dt.date, has_withdrawn: bool) -> QuerySet[ListVersionItem]:
    rows = _version_items(version_id)
    if has_withdrawn:
        withdrawn = PowerItem.objects.filter(_withdrawn_by(on), zone_id=zone_id).values("pk")
        rows = rows.exclude(item_id__in=withdrawn)
    return rows


def _version_items(version_id: int) -> QuerySet[ListVersionItem]:
    return ListVersionItem.objects.filter(version_id=version_id).order_by("order", "code")


# --- Public list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListRow:
    item_id: int
    code: str
    name: str
    category: str
    category_label: str
    body_name: str
    legal: str
    committed: str
    is_instant: bool


def _row(item_id: int, snap: Mapping[str, Any]) -> ListRow:
    instant = snap["handling_type"] == PowerItem.HandlingType.INSTANT
    return ListRow(
        item_id=item_id,
        code=snap["implementation_code"],
        name=snap["name"],
        category=snap["category"],
        category_label=category_label(snap["category"]),
        body_name=snap.get("implementing_body_name", ""),
        legal=limit_text(snap["legal_limit"], snap["legal_limit_unit"]),
        committed="即办" if instant else limit_text(snap["committed_limit"], snap["committed_limit_unit"]),
        is_instant=instant,
    )


@dataclass
class PublicList:
    version: ListVersion | None
    page: Page
    rows: list[ListRow]


def public_items(
    *,
    zone_id: int,
    on: dt.date,
    query: str = "",
    category: str = "",
    body_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> PublicList:
    """One page of the list in force on ``on``, searched and filtered; at most three queries whatever the page size."""
    version = version_on(zone_id, on)
    query = query.strip()
    filtered = bool(query or category or body_id)
    source: QuerySet | PreparedRows
    if version is None and filtered:
        qs = _live_public(zone_id, on).order_by("order", "implementation_code")
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(implementation_code__icontains=query))
        if category:
            qs = qs.filter(category=category)
        if body_id:
            qs = qs.filter(implementing_body_id=body_id)
        source = qs.values(*_LIVE_ROW)
    elif version is None:
        source = PreparedRows(
            lambda: sum(_LIVE_COUNT(zone_id=zone_id, on=on)),
            lambda offset, limit: _LIVE_PAGE(offset, limit, zone_id=zone_id, on=on),
        )
    elif filtered:
        qs = _version_rows(version, on)
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
        if category:
            qs = qs.filter(category=category)
        if body_id:
            qs = qs.filter(body_id=body_id)
        source = qs.values_list("item_id", "snapshot")
    elif version.has_withdrawn:
        # Items withdrawn by ``on`` are left out: the rows are counted and read without them.
        source = PreparedRows(
            lambda: sum(_VERSION_COUNT(version_id=version.pk, zone_id=zone_id, on=on)),
            lambda offset, limit: _VERSION_PAGE(offset, limit, version_id=version.pk, zone_id=zone_id, on=on),
        )
    else:
        # The whole version: its rows were counted when it was published, and it never changes.
        source = PreparedRows(
            lambda: version.item_count,
            lambda offset, limit: _VERSION_PAGE_ALL(offset, limit, version_id=version.pk),
        )
    paged = Paginator(source, per_page).get_page(page)
    # Live items come as mappings with their id; a version's rows as (item id, snapshot).
    pairs = [(r["id"], r) for r in paged.object_list] if version is None else paged.object_list
    return PublicList(version=version, page=paged, rows=[_row(item_id, snap) for item_id, snap in pairs])


# What a row of the public list shows, read from the live items before any version is published.
_LIVE_ROW = (
    "id",
    "implementation_code",
    "name",
    "category",
    "implementing_body_name",
    "legal_limit",
    "legal_limit_unit",
    "committed_limit",
    "committed_limit_unit",
    "handling_type",
)


def _live_public(zone_id: int, on: dt.date) -> QuerySet[PowerItem]:
    return _live_in_force(zone_id, on).annotate(implementing_body_name=Coalesce("implementing_body__name", Value("")))


# The unfiltered public list (the page most visitors open), compiled once per process and page bounds.
_VERSION_ON = Prepared(_version_on, zone_id=int, on=dt.date)
_LIVE_COUNT = Prepared(
    lambda zone_id, on: counted(_live_in_force(zone_id, on), "zone_id"),
    zone_id=int,
    on=dt.date,
)
_LIVE_PAGE = Prepared(
    lambda offset, limit, zone_id, on: (
        _live_public(zone_id, on).order_by("order", "implementation_code").values(*_LIVE_ROW)[offset : offset + limit]
    ),
    zone_id=int,
    on=dt.date,
)
_VERSION_COUNT = Prepared(
    lambda version_id, zone_id, on: counted(_version_rows_of(version_id, zone_id, on, True), "version_id"),
    version_id=int,
    zone_id=int,
    on=dt.date,
)
_VERSION_PAGE = Prepared(
    lambda offset, limit, version_id, zone_id, on: _version_rows_of(version_id, zone_id, on, True).values_list(
        "item_id", "snapshot"
    )[offset : offset + limit],
    version_id=int,
    zone_id=int,
    on=dt.date,
)
_VERSION_PAGE_ALL = Prepared(
    lambda offset, limit, version_id: _version_items(version_id).values_list("item_id", "snapshot")[
        offset : offset + limit
    ],
    version_id=int,
)


def public_bodies(zone_id: int, on: dt.date) -> list[tuple[int, str]]:
    """The implementing bodies of the list in force, for the filter."""
    version = version_on(zone_id, on)
    if version is None:
        pairs = (
            _live_in_force(zone_id, on)
            .exclude(implementing_body=None)
            .values_list("implementing_body_id", "implementing_body__name")
        )
    else:
        pairs = (
            ListVersionItem.objects.filter(version=version).exclude(body_id=None).values_list("body_id", "body_name")
        )
    return sorted(set(pairs), key=lambda p: p[1])


def item_guide(*, zone_id: int, item_id: int, on: dt.date) -> tuple[dict[str, Any], ListVersion | None]:
    """The full snapshot an applicant reads (办事指南), and the version it comes from."""
    item_terms_in_force(zone_id=zone_id, item_id=item_id, on=on)
    version = version_on(zone_id, on)
    if version is None:
        item = _live(zone_id).prefetch_related("materials", "fees").get(pk=item_id)
        return item_snapshot(item), None
    snap = ListVersionItem.objects.get(version=version, item_id=item_id).snapshot
    return snap, version


# --- Versions -------------------------------------------------------------------------------------


def versions_of(zone_id: int) -> QuerySet[ListVersion]:
    return ListVersion.objects.filter(zone_id=zone_id).select_related("published_by").order_by("-number")


def version_get(zone_id: int, version_id: int) -> ListVersion:
    version = ListVersion.objects.filter(zone_id=zone_id, pk=version_id).first()
    if version is None:
        raise NotFound("该清单版本不存在。")
    return version


def version_snapshots(version: ListVersion) -> dict[int, dict[str, Any]]:
    return dict(ListVersionItem.objects.filter(version=version).values_list("item_id", "snapshot"))


def versions_diff(a: ListVersion, b: ListVersion) -> VersionDiff:
    """What changed from version ``a`` to version ``b``: added, removed and modified items."""
    return diff_snapshots(version_snapshots(a), version_snapshots(b), field_labels())


# --- Back office ----------------------------------------------------------------------------------


def delegations_of(zone_id: int, *, batch_id: int | None = None, status: str = "") -> QuerySet[Delegation]:
    qs = Delegation.objects.filter(zone_id=zone_id).select_related("batch", "item", "receiving_body")
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("batch__number", "id")


def batches_of(zone_id: int) -> QuerySet[DelegationBatch]:
    return DelegationBatch.objects.filter(zone_id=zone_id).order_by("number")


def delegated_items(zone_id: int, *, batch_id: int | None = None) -> QuerySet[PowerItem]:
    """Items delegated to the zone (optionally in one batch), for usage figures computed elsewhere."""
    qs = PowerItem.objects.filter(zone_id=zone_id, delegations__isnull=False)
    if batch_id:
        qs = qs.filter(delegations__batch_id=batch_id)
    return qs.distinct()


def adjustments_of(zone_id: int) -> QuerySet[Adjustment]:
    return Adjustment.objects.filter(zone_id=zone_id).select_related("item", "actor", "version").order_by("-id")


def live_items(zone_id: int) -> QuerySet[PowerItem]:
    """The whole live list with what an export needs."""
    return (
        PowerItem.objects.filter(zone_id=zone_id)
        .select_related("implementing_body")
        .prefetch_related(Prefetch("materials"), Prefetch("fees"))
        .order_by("order", "implementation_code")
    )


def export_snapshots(zone_id: int, version_id: int | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The snapshots of a version (or of the live list when ``version_id`` is None) and their metadata."""
    if version_id is None:
        snaps = list(item_snapshots(live_items(zone_id)).values())
        return snaps, {"zone_id": zone_id, "version": None, "title": "现行清单（未发布的最新状态）"}
    version = version_get(zone_id, version_id)
    snaps = list(
        ListVersionItem.objects.filter(version=version).order_by("order", "code").values_list("snapshot", flat=True)
    )
    meta = {
        "zone_id": zone_id,
        "version": version.number,
        "title": version.title,
        "document": version.document,
        "effective_on": version.effective_on.isoformat(),
    }
    return snaps, meta
