"""Writes of the zone registry."""

from __future__ import annotations

import csv
from decimal import Decimal
from importlib import resources
from typing import Any

from django.db import transaction

from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput
from onezone.core.roles import Role
from onezone.core.services import record_save
from onezone.zones.models import Industry, Park, Zone


def industries_load_catalogue() -> int:
    """Load the shipped GB/T 4754-2017 catalogue (sections, divisions and the classes the zone uses).

    Idempotent: existing codes keep their rows. Returns the number of codes added.
    """
    path = resources.files("onezone.zones") / "data" / "industries.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = set(Industry.objects.values_list("code", flat=True))
    added = 0
    with transaction.atomic():
        for row in rows:  # parents come before children in the file
            if row["code"] in existing:
                continue
            Industry.objects.create(code=row["code"], name=row["name"], parent_id=row["parent"] or None)
            added += 1
    return added


def industry_normalise(code: str) -> str:
    """``2614`` or ``c2614`` → ``C2614``: the catalogue's form with the section letter."""
    code = (code or "").strip().upper()
    if not code:
        raise InvalidInput("请填写国民经济行业代码（GB/T 4754），例如 C2614。")
    if code[0].isdigit():
        division = (
            Industry.objects.filter(code__regex=r"^[A-T]" + code[:2] + "$").values_list("code", flat=True).first()
        )
        if division is None:
            raise InvalidInput(f"行业代码“{code}”的前两位不是有效的行业大类，请对照 GB/T 4754-2017 填写。")
        code = division[0] + code
    if not code[0].isalpha() or not code[1:].isdigit() or len(code) > 5:
        raise InvalidInput(f"行业代码“{code}”格式不对：应为门类字母加2至4位数字，例如 C26、C2614。")
    return code


def zone_create(
    *,
    actor: Any,
    name: str,
    code: str,
    level: str,
    area_code: str,
    province_code: str,
    approved_area_km2: Decimal,
    planned_area_km2: Decimal,
    merged_town=None,
    is_demo: bool = False,
    **extra: Any,
) -> Zone:
    """Register a zone. Only a site-wide administrator (superuser) may."""
    zone = Zone(
        name=name,
        code=code,
        level=level,
        area_code=area_code,
        province_code=province_code,
        approved_area_km2=approved_area_km2,
        planned_area_km2=planned_area_km2,
        merged_town=merged_town,
        is_demo=is_demo,
        **extra,
    )
    return record_save(actor=actor, obj=zone, roles=[Role.ADMIN], zone_id=None)


def park_create(
    *,
    actor: Any,
    zone: Zone,
    name: str,
    code: str,
    planned_area_km2: Decimal,
    built_area_km2: Decimal,
    industry_codes: list[str],
    industry_labels: str = "",
    positioning: str = "",
    address: str = "",
) -> Park:
    """Register a park with its leading industries."""
    codes = [industry_normalise(c) for c in industry_codes]
    industries = list(Industry.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {i.code for i in industries})
    if missing:
        raise InvalidInput(
            f"行业代码 {'、'.join(missing)} 不在行业目录中，请核对。", fields={"industry_codes": "行业代码不在目录中"}
        )
    with transaction.atomic():
        park = record_save(
            actor=actor,
            obj=Park(
                zone=zone,
                name=name,
                code=code,
                planned_area_km2=planned_area_km2,
                built_area_km2=built_area_km2,
                industry_labels=industry_labels,
                positioning=positioning,
                address=address,
            ),
            roles=[Role.ADMIN],
        )
        park.leading_industries.set(industries)
        audit_record(actor=actor, action="zones.park.set_industries", obj=park, changes={"leading_industries": codes})
    return park
