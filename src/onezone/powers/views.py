"""Public pages (no login): the list in force, the item guide (办事指南), versions and differences."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from onezone.core.errors import NotFound
from onezone.core.files import file_url
from onezone.powers import selectors
from onezone.powers.models import Category, ItemMaterial, PowerItem
from onezone.powers.rules import SPECIAL_PROCEDURES, is_applied_for, limit_text
from onezone.zones.models import Zone

PER_PAGE = 20


def _zone(request: HttpRequest) -> Zone:
    code = request.GET.get("zone", "")
    qs = Zone.objects.order_by("id")
    zone = qs.filter(code=code).first() if code else qs.first()
    if zone is None:
        raise Http404("没有找到该开发区。")
    return zone


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def public_list(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    today = timezone.localdate()
    query = request.GET.get("q", "")[:100]
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    body_id = _int(request.GET.get("body"))
    result = selectors.public_items(
        zone_id=zone.pk,
        on=today,
        query=query,
        category=category,
        body_id=body_id,
        page=_int(request.GET.get("page"), 1) or 1,
        per_page=PER_PAGE,
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "powers/portal/list.html",
        {
            "title": "权力清单与办事指南",
            "zone": zone,
            "today": today,
            "result": result,
            "query": query,
            "category": category,
            "body_id": body_id,
            "categories": Category.choices,
            "bodies": selectors.public_bodies(zone.pk, today),
            "params": params.urlencode(),
        },
    )


def _guide(snap: dict[str, Any]) -> dict[str, Any]:
    necessity = dict(ItemMaterial.Necessity.choices)
    form = dict(ItemMaterial.Form.choices)
    instant = snap["handling_type"] == PowerItem.HandlingType.INSTANT
    return {
        **snap,
        "category_label": dict(Category.choices).get(snap["category"], ""),
        "handling_label": dict(PowerItem.HandlingType.choices).get(snap["handling_type"], ""),
        "legal_text": limit_text(snap["legal_limit"], snap["legal_limit_unit"]),
        "committed_text": "即办（当场办结）"
        if instant
        else limit_text(snap["committed_limit"], snap["committed_limit_unit"]),
        "procedures_text": "、".join(SPECIAL_PROCEDURES.get(p, p) for p in snap.get("special_procedures") or []),
        "online_label": dict(PowerItem.OnlineDepth.choices).get(snap.get("online_depth") or "", ""),
        "materials_view": [
            {
                **m,
                "necessity_label": necessity.get(m["necessity"], ""),
                "form_label": form.get(m["form"], ""),
                **_file_links(m),
            }
            for m in snap.get("materials") or []
        ],
    }


def _file_links(material: dict[str, Any]) -> dict[str, str]:
    """Download addresses of a material's blank form and sample (the snapshot records only that it had them)."""
    return {
        f"{field}_url": file_url(ItemMaterial, material["id"], field)
        if material.get(field) and "id" in material
        else ""
        for field in ("blank_form", "sample")
    }


def public_item(request: HttpRequest, item_id: int) -> HttpResponse:
    zone = _zone(request)
    today = timezone.localdate()
    try:
        snap, version = selectors.item_guide(zone_id=zone.pk, item_id=item_id, on=today)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "powers/portal/item.html",
        {
            "title": snap["name"],
            "zone": zone,
            "item": _guide(snap),
            "version": version,
            "today": today,
            "applied_for": is_applied_for(snap["category"]),
        },
    )


def public_versions(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    versions = list(selectors.versions_of(zone.pk))
    diff = a = b = None
    a_id, b_id = _int(request.GET.get("a")), _int(request.GET.get("b"))
    if a_id and b_id:
        try:
            a, b = selectors.version_get(zone.pk, a_id), selectors.version_get(zone.pk, b_id)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        diff = selectors.versions_diff(a, b)
    elif len(versions) >= 2:
        a, b = versions[1], versions[0]
        diff = selectors.versions_diff(a, b)
    return render(
        request,
        "powers/portal/versions.html",
        {"title": "清单版本与调整", "zone": zone, "versions": versions, "diff": diff, "a": a, "b": b},
    )


def _duty_list_page(request: HttpRequest, kind: str) -> HttpResponse:
    """The responsibility list or the enforcement list in force, its versions and what changed between two."""
    from onezone.powers import duty_selectors

    zone = _zone(request)
    label = duty_selectors.duty_list_label(kind)
    version = duty_selectors.duty_version_on(zone.pk, kind, timezone.localdate())
    versions = list(duty_selectors.duty_versions_of(zone.pk, kind))
    diff = a = b = None
    a_id, b_id = _int(request.GET.get("a")), _int(request.GET.get("b"))
    try:
        if a_id and b_id:
            a, b = (duty_selectors.duty_version_get(zone.pk, kind, pk) for pk in (a_id, b_id))
        elif len(versions) >= 2:
            a, b = versions[1], versions[0]
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if a is not None and b is not None:
        diff = duty_selectors.duty_versions_diff(a, b)
    context = {
        "title": label,
        "label": label,
        "kind": kind,
        "zone": zone,
        "version": version,
        "entries": duty_selectors.duty_version_entries(version) if version else [],
        "versions": versions,
        "diff": diff,
        "a": a,
        "b": b,
    }
    return render(request, "powers/portal/duties.html", context)


def public_responsibilities(request: HttpRequest) -> HttpResponse:
    return _duty_list_page(request, "responsibilities")


def public_enforcement(request: HttpRequest) -> HttpResponse:
    return _duty_list_page(request, "enforcement")
