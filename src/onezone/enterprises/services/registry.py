"""Writes of the enterprise registry: enterprises, tags, contacts, yearly figures, portal accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from onezone.core.audit import audit_record, diff, snapshot
from onezone.core.codes import CodeError, validate_mobile, validate_resident_id, validate_uscc
from onezone.core.errors import Conflict, InvalidInput
from onezone.core.permissions import require, roles_in
from onezone.core.roles import Role
from onezone.core.services import validation_message
from onezone.enterprises.access import PERSONAL_DATA_ROLES, REGISTRY_ROLES
from onezone.enterprises.defaults import TAGS
from onezone.enterprises.models import (
    Enterprise,
    EnterpriseContact,
    EnterpriseMember,
    EnterpriseTag,
    EnterpriseYear,
)
from onezone.zones.models import Industry, Park
from onezone.zones.services import industry_normalise

ENTERPRISE_FIELDS = (
    "uscc",
    "name",
    "legal_representative",
    "registered_capital",
    "industry_code",
    "park",
    "address",
    "size",
    "status",
    "established",
    "risk_level",
)
YEAR_FIGURES = ("output_value", "revenue", "tax", "employees", "energy_tce", "rd_spend", "exports")


def normalise_uscc(value: str) -> str:
    """The USCC in ``value``, or InvalidInput naming what is wrong."""
    try:
        return validate_uscc(value or "")
    except CodeError as exc:
        raise InvalidInput(exc.message, fields={"uscc": exc.message}) from exc


def normalise_industry(value: str) -> str:
    """The GB/T 4754 code in ``value``; its division must be in the catalogue."""
    try:
        code = industry_normalise(value)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, fields={"industry_code": exc.message}) from exc
    if len(code) < 3 or not Industry.objects.filter(code=code[:3]).exists():
        message = f"行业代码“{code}”不在国民经济行业分类（GB/T 4754-2017）目录中，请填写到大类以下，例如 C26、C2614。"
        raise InvalidInput(message, fields={"industry_code": message})
    return code


def _duplicate_message(existing: Enterprise) -> str:
    return (
        f"统一社会信用代码 {existing.uscc} 已登记为“{existing.name}”，同一企业不能重复登记；"
        "如需修改请打开该企业的记录。"
    )


def _check_park(zone_id: int, park: Park | None) -> None:
    if park is None:
        raise InvalidInput("请选择企业所在园区。", fields={"park": "请选择企业所在园区。"})
    if park.zone_id != zone_id:
        raise InvalidInput("所在园区不属于本开发区。", fields={"park": "所在园区不属于本开发区。"})


def _tags_of(zone_id: int, tags: Iterable[str | EnterpriseTag]) -> list[EnterpriseTag]:
    wanted = [t for t in tags if t]
    objs = [t for t in wanted if isinstance(t, EnterpriseTag)]
    names = [str(t).strip() for t in wanted if not isinstance(t, EnterpriseTag)]
    found = list(EnterpriseTag.objects.filter(zone_id=zone_id, name__in=names)) + list(
        EnterpriseTag.objects.filter(zone_id=zone_id, code__in=names)
    )
    known = {t.name for t in found} | {t.code for t in found}
    missing = [n for n in names if n not in known]
    if missing:
        message = f"标签 {'、'.join(missing)} 不存在，请先在“企业标签”中添加，或从已有标签中选择。"
        raise InvalidInput(message, fields={"tags": message})
    if any(t.zone_id != zone_id for t in objs):
        raise InvalidInput("标签不属于本开发区。", fields={"tags": "标签不属于本开发区。"})
    return list({t.pk: t for t in [*objs, *found]}.values())


def _full_clean(obj: Any, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except DjangoValidationError as exc:
        raise validation_message(exc) from exc


def tags_seed(*, actor: Any, zone_id: int) -> int:
    """Add the default tags the zone lacks. Returns the number added."""
    require(actor, zone_id=zone_id, roles=REGISTRY_ROLES, action="设置企业标签")
    existing = set(EnterpriseTag.objects.filter(zone_id=zone_id).values_list("code", flat=True))
    added = 0
    with transaction.atomic():
        for order, (code, name) in enumerate(TAGS, start=1):
            if code in existing:
                continue
            tag = EnterpriseTag.objects.create(zone_id=zone_id, code=code, name=name, order=order * 10)
            audit_record(actor=actor, action="enterprises.tag.create", obj=tag, changes={"code": code, "name": name})
            added += 1
    return added


def enterprise_register(
    *,
    actor: Any,
    zone_id: int,
    uscc: str,
    name: str,
    industry_code: str,
    park: Park,
    legal_representative: str = "",
    registered_capital: Decimal | int | str = Decimal(0),
    address: str = "",
    size: str = Enterprise.Size.BELOW,
    status: str = Enterprise.Status.OPERATING,
    established: dt.date | None = None,
    risk_level: str = Enterprise.Risk.MEDIUM,
    tags: Iterable[str | EnterpriseTag] = (),
) -> Enterprise:
    """Register an enterprise. The USCC is validated and may be registered once per zone."""
    require(actor, zone_id=zone_id, roles=REGISTRY_ROLES, action="登记企业")
    code = normalise_uscc(uscc)
    if not (name or "").strip():
        raise InvalidInput("请填写企业名称。", fields={"name": "请填写企业名称。"})
    _check_park(zone_id, park)
    enterprise = Enterprise(
        zone_id=zone_id,
        uscc=code,
        name=name.strip(),
        legal_representative=(legal_representative or "").strip(),
        registered_capital=_money(registered_capital, "registered_capital", "注册资本"),
        industry_code=normalise_industry(industry_code),
        park=park,
        address=(address or "").strip(),
        size=size,
        status=status,
        established=established,
        risk_level=risk_level,
    )
    tag_objs = _tags_of(zone_id, tags)
    with transaction.atomic():
        existing = Enterprise.objects.select_for_update().filter(zone_id=zone_id, uscc=code).first()
        if existing is not None:
            raise Conflict(_duplicate_message(existing), fields={"uscc": _duplicate_message(existing)})
        _full_clean(enterprise, exclude=["tags"])
        try:
            with transaction.atomic():
                enterprise.save()
        except IntegrityError as exc:
            message = f"统一社会信用代码 {code} 刚被他人登记，请刷新后查看该企业。"
            raise Conflict(message, fields={"uscc": message}) from exc
        enterprise.tags.set(tag_objs)
        audit_record(
            actor=actor,
            action="enterprises.enterprise.register",
            obj=enterprise,
            changes={**snapshot(enterprise, ENTERPRISE_FIELDS), "tags": sorted(t.name for t in tag_objs)},
        )
    return enterprise


def enterprise_update(
    *, actor: Any, enterprise: Enterprise, tags: Iterable[str | EnterpriseTag] | None = None, **changes: Any
) -> Enterprise:
    """Change registry fields of an enterprise (any of ENTERPRISE_FIELDS) and, if given, its tags."""
    require(actor, zone_id=enterprise.zone_id, roles=REGISTRY_ROLES, action="修改企业信息")
    unknown = set(changes) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise InvalidInput(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")
    if "uscc" in changes:
        changes["uscc"] = normalise_uscc(changes["uscc"])
    if "industry_code" in changes:
        changes["industry_code"] = normalise_industry(changes["industry_code"])
    if "registered_capital" in changes:
        changes["registered_capital"] = _money(changes["registered_capital"], "registered_capital", "注册资本")
    if "park" in changes:
        _check_park(enterprise.zone_id, changes["park"])
    tag_objs = _tags_of(enterprise.zone_id, tags) if tags is not None else None
    with transaction.atomic():
        current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        before = {**snapshot(current, ENTERPRISE_FIELDS), "tags": sorted(current.tags.values_list("name", flat=True))}
        if "uscc" in changes and changes["uscc"] != current.uscc:
            existing = Enterprise.objects.filter(zone_id=current.zone_id, uscc=changes["uscc"]).first()
            if existing is not None:
                raise Conflict(_duplicate_message(existing), fields={"uscc": _duplicate_message(existing)})
        for key, value in changes.items():
            setattr(current, key, value)
        _full_clean(current, exclude=["tags"])
        current.save()
        if tag_objs is not None:
            current.tags.set(tag_objs)
        after = {**snapshot(current, ENTERPRISE_FIELDS), "tags": sorted(current.tags.values_list("name", flat=True))}
        audit_record(actor=actor, action="enterprises.enterprise.update", obj=current, changes=diff(before, after))
    return current


def _money(value: Any, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(f"{label}应为数字（元）。", fields={field: f"{label}应为数字（元）。"}) from exc
    if not amount.is_finite():
        raise InvalidInput(f"{label}应为数字（元）。", fields={field: f"{label}应为数字（元）。"})
    return amount.quantize(Decimal("0.01"))


def enterprise_year_save(*, actor: Any, enterprise: Enterprise, year: int, **figures: Any) -> EnterpriseYear:
    """Record (or correct) an enterprise's figures for ``year``; one row per enterprise and year."""
    require(actor, zone_id=enterprise.zone_id, roles=REGISTRY_ROLES, action="登记企业年度数据")
    unknown = set(figures) - set(YEAR_FIGURES)
    if unknown:
        raise InvalidInput(f"未知的年度数据项：{'、'.join(sorted(unknown))}。")
    with transaction.atomic():
        row = EnterpriseYear.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
        creating = row is None
        if creating:
            row = EnterpriseYear(zone_id=enterprise.zone_id, enterprise=enterprise, year=year)
        before = {} if creating else snapshot(row, YEAR_FIGURES)
        for key, value in figures.items():
            setattr(
                row,
                key,
                int(value) if key == "employees" else _money(value, key, str(row._meta.get_field(key).verbose_name)),
            )
        _full_clean(row)
        row.save()
        audit_record(
            actor=actor,
            action="enterprises.year.create" if creating else "enterprises.year.update",
            obj=row,
            changes=diff(before, snapshot(row, YEAR_FIGURES)),
        )
    return row


def contact_add(
    *,
    actor: Any,
    enterprise: Enterprise,
    name: str,
    role: str = "",
    mobile: str = "",
    id_number: str = "",
    is_primary: bool = False,
) -> EnterpriseContact:
    """Add a contact person; the mobile and ID number are validated and stored normalised."""
    require(actor, zone_id=enterprise.zone_id, roles=REGISTRY_ROLES, action="登记企业联系人")
    fields = {}
    if not (name or "").strip():
        fields["name"] = "请填写联系人姓名。"
    try:
        mobile = validate_mobile(mobile) if mobile else ""
    except CodeError as exc:
        fields["mobile"] = exc.message
    try:
        id_number = validate_resident_id(id_number) if id_number else ""
    except CodeError as exc:
        fields["id_number"] = exc.message
    if fields:
        raise InvalidInput("；".join(fields.values()), fields=fields)
    with transaction.atomic():
        contact = EnterpriseContact.objects.create(
            zone_id=enterprise.zone_id,
            enterprise=enterprise,
            name=name.strip(),
            role=role,
            mobile=mobile,
            id_number=id_number,
            is_primary=is_primary,
        )
        audit_record(
            actor=actor,
            action="enterprises.contact.create",
            obj=contact,
            # The audit keeps the masked forms only: the log must not become a copy of personal data.
            changes={"name": contact.name, "mobile": contact.mobile_masked, "id_number": contact.id_number_masked},
        )
    return contact


def contact_reveal(*, actor: Any, contact: EnterpriseContact) -> dict[str, str]:
    """The contact's full mobile and ID number; every such view is logged."""
    require(actor, zone_id=contact.zone_id, roles=PERSONAL_DATA_ROLES, action="查看联系人完整信息")
    with transaction.atomic():
        audit_record(actor=actor, action="enterprises.contact.view_personal_data", obj=contact)
    return {"name": contact.name, "mobile": contact.mobile, "id_number": contact.id_number}


def member_link(*, actor: Any, user: Any, enterprise: Enterprise) -> EnterpriseMember:
    """Let a login user act for ``enterprise`` in the portal. The user must hold the 企业用户 role."""
    require(actor, zone_id=enterprise.zone_id, roles=[Role.ADMIN], action="关联企业账号")
    if Role.ENTERPRISE not in roles_in(user, enterprise.zone_id):
        raise InvalidInput(
            f"账号“{user.get_username()}”在本开发区没有“企业用户”角色，请先在“角色授权”中授予，再关联企业。",
            fields={"user": "该账号没有企业用户角色。"},
        )
    with transaction.atomic():
        existing = EnterpriseMember.objects.select_for_update().filter(zone_id=enterprise.zone_id, user=user).first()
        if existing is not None and existing.enterprise_id != enterprise.pk:
            raise Conflict(
                f"账号“{user.get_username()}”已关联企业“{existing.enterprise}”，一个账号在一个开发区只能代表一家企业；"
                "请先解除原关联。"
            )
        member = existing or EnterpriseMember.objects.create(
            zone_id=enterprise.zone_id, user=user, enterprise=enterprise
        )
        if existing is None:
            audit_record(
                actor=actor,
                action="enterprises.member.link",
                obj=member,
                changes={"user": user.get_username(), "enterprise": enterprise.uscc},
            )
    return member
