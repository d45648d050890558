"""Writes of bundles (一件事): defining a bundle, the one application and its fan-out into cases.

The bundle case is received, given the one-time notice, accepted or refused once, at one window;
each of those steps is applied to the member items' cases through the window's own services, so
every sub-case has its statutory clock, events, notices and audit trail as any case. Later stages
are received and accepted when the stage before them is decided, with the materials collected
once at the start. The bundle's own clock is joint handling (Art. 26/42), see ``rules``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core import limits
from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, NotFound, StaleObject, TransitionNotAllowed
from onezone.core.limits import require_lengths
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.window import services as window
from onezone.window.bundles import rules
from onezone.window.bundles.models import Bundle, BundleCase, BundleIntake, BundleMember, BundleSubCase
from onezone.window.clock import JOINT_LEGAL_DAYS
from onezone.window.models import Case, CaseState, Channel, RatingLevel

CLERKS = window.CLERKS
DEFINERS = frozenset({Role.ADMIN})
# Art. 42 para. 2: the extension of joint handling is approved by the government's head.
EXTENDERS = frozenset({Role.LEADER})


def _today() -> dt.date:
    return timezone.localdate()


# --- defining a bundle -----------------------------------------------------------------------------------


def bundle_define(
    *,
    actor: Any,
    zone_id: int,
    code: str,
    name: str,
    members: Iterable[tuple[int, int]],
    description: str = "",
    service_objects: str = "",
    committed_limit: int = 0,
    visits: int = 1,
    place: str = "",
) -> Bundle:
    """Define a bundle with its member items ``(item id, stage)``: items of one stage run in parallel."""
    from onezone.powers.models import PowerItem
    from onezone.powers.rules import applied_for_problem

    require(actor, zone_id=zone_id, roles=DEFINERS, action="设置一件事")
    require_lengths(name=("一件事名称", name, 100), code=("一件事代码", code, 40))
    members = list(members)
    fields: dict[str, str] = {}
    if not name.strip():
        fields["name"] = "请填写一件事名称。"
    if not code.strip():
        fields["code"] = "请填写一件事代码（字母、数字或短横线）。"
    if len(members) < 2:
        fields["members"] = "一件事至少包含两个事项。"
    if committed_limit > JOINT_LEGAL_DAYS:
        fields["committed_limit"] = f"承诺时限不能超过联合办理的法定时限 {JOINT_LEGAL_DAYS} 个工作日。"
    stages = sorted({stage for _, stage in members})
    if stages and stages != list(range(1, len(stages) + 1)):
        fields["members"] = "阶段应从第 1 阶段起连续编号。"
    if fields:
        raise InvalidInput("一件事设置有误：" + "；".join(fields.values()), fields=fields)
    items = {i.pk: i for i in PowerItem.objects.filter(zone_id=zone_id, pk__in=[m for m, _ in members])}
    for item_id, _ in members:
        item = items.get(item_id)
        if item is None:
            raise NotFound("所选事项不在本开发区的清单中。")
        problem = applied_for_problem(item.category, item.name)
        if problem:
            raise InvalidInput(problem, fields={"members": problem})
    with transaction.atomic():
        if Bundle.objects.filter(zone_id=zone_id, code=code.strip()).exists():
            raise Conflict(f"一件事代码“{code.strip()}”已被使用，请换一个代码。")
        bundle = Bundle.objects.create(
            zone_id=zone_id,
            code=code.strip(),
            name=name.strip(),
            description=description.strip(),
            service_objects=service_objects.strip(),
            committed_limit=committed_limit,
            visits=visits,
            place=place.strip(),
        )
        for order, (item_id, stage) in enumerate(members):
            BundleMember.objects.create(zone_id=zone_id, bundle=bundle, item_id=item_id, stage=stage, order=order)
        audit_record(
            actor=actor, action="bundle.define", obj=bundle, changes={"code": bundle.code, "items": len(members)}
        )
    return bundle


# --- the one application -------------------------------------------------------------------------------------


def _members(bundle_id: int) -> list[BundleMember]:
    return list(BundleMember.objects.filter(bundle_id=bundle_id).order_by("stage", "order", "id"))


def _stages(members: list[BundleMember]) -> int:
    return max((m.stage for m in members), default=0)


def _presented_ids(case_terms: dict[str, Any], names: set[str]) -> list[int]:
    return [int(m["material_id"]) for m in case_terms.get("materials", []) if m["name"].strip() in names]


def _presented_names(bundle_case: BundleCase) -> set[str]:
    return {line["name"] for line in bundle_case.materials if line.get("presented")}


def _open_stage(actor: Any, bundle_case: BundleCase, stage: int, on: dt.date, *, accept: bool) -> list[Case]:
    """Receive a case for every member item of ``stage`` (and accept it, for a later stage)."""
    names = _presented_names(bundle_case)
    applicant = window.Applicant(
        kind=bundle_case.applicant_kind,
        name=bundle_case.applicant_name,
        uscc=bundle_case.applicant_uscc,
        id_number=bundle_case.applicant_id_number,
        contact_name=bundle_case.contact_name,
        mobile=bundle_case.contact_mobile,
    )
    cases = []
    for member in (m for m in _members(bundle_case.bundle_id) if m.stage == stage):
        from onezone.powers.selectors import item_terms_in_force

        terms = item_terms_in_force(zone_id=bundle_case.zone_id, item_id=member.item_id, on=on)
        case = window.case_receive(
            actor=actor,
            zone_id=bundle_case.zone_id,
            item_id=member.item_id,
            applicant=applicant,
            presented=[m.material_id for m in terms.materials if m.name.strip() in names],
            channel=bundle_case.channel,
            park_id=bundle_case.park_id,
            on=on,
        )
        BundleSubCase.objects.create(zone_id=bundle_case.zone_id, bundle_case=bundle_case, member=member, case=case)
        if accept:
            case = window.case_accept(actor=actor, case_id=case.pk, on=on)
        cases.append(case)
    bundle_case.stage = stage
    return cases


def bundle_receive(
    *,
    actor: Any,
    zone_id: int,
    bundle_id: int,
    applicant: window.Applicant,
    presented: Iterable[str] = (),
    channel: str = Channel.WINDOW,
    park_id: int | None = None,
    on: dt.date | None = None,
) -> BundleCase:
    """One application for a bundle: one form, the merged materials, one number; the first stage's items
    are received as cases at once."""
    from onezone.powers.selectors import item_terms_in_force
    from onezone.zones.models import Zone

    require(actor, zone_id=zone_id, roles=CLERKS, action="一件事收件")
    on = on or _today()
    if on > _today():
        raise InvalidInput(f"收件日期 {on} 晚于今天，请核对。", fields={"on": "收件日期不能晚于今天。"})
    if channel not in Channel.values:
        raise InvalidInput("渠道应为窗口、网上或代办。", fields={"channel": "请选择渠道。"})
    bundle = Bundle.objects.filter(pk=bundle_id, zone_id=zone_id).first()
    if bundle is None:
        raise NotFound("本开发区没有该一件事，请从列表中选择。")
    applicant = window._check_applicant(applicant)
    members = _members(bundle.pk)
    terms = [item_terms_in_force(zone_id=zone_id, item_id=m.item_id, on=on) for m in members]
    lines = rules.merged_materials(
        (t.code, [{"name": m.name, "required": m.required} for m in t.materials]) for t in terms
    )
    presented = {p.strip() for p in presented}
    unknown = presented - {line["name"] for line in lines}
    if unknown:
        raise InvalidInput(
            "勾选的材料不属于该一件事的材料清单，请刷新后重新勾选。", fields={"presented": "材料不在清单中。"}
        )
    for line in lines:
        line["presented"] = line["name"] in presented
    with transaction.atomic():
        number = window._next_number(zone_id, on.year, "bundle")
        prefix = window.zone_prefix(Zone.objects.filter(pk=zone_id).values_list("code", flat=True).get())
        bundle_case = BundleCase.objects.create(
            zone_id=zone_id,
            bundle=bundle,
            number=f"{prefix}-YJS-{on.year}-{number:05d}",
            year=on.year,
            query_code=window._query_code(),
            channel=channel,
            park_id=park_id,
            applicant_kind=applicant.kind,
            applicant_name=applicant.name,
            applicant_uscc=applicant.uscc,
            applicant_id_number=applicant.id_number,
            contact_name=applicant.contact_name.strip(),
            contact_mobile=applicant.mobile,
            clerk=actor,
            materials=lines,
            received_on=on,
        )
        _open_stage(actor, bundle_case, 1, on, accept=False)
        bundle_case.save(update_fields=["stage", "updated_at"])
        audit_record(
            actor=actor,
            action="bundle.receive",
            obj=bundle_case,
            changes={"bundle": bundle.name, "on": on, "items": len(members)},
        )
    return bundle_case


def _locked(actor: Any, bundle_case_id: int, roles: frozenset[str], label: str, expected_version: int | None):
    row = BundleCase.objects.filter(pk=bundle_case_id).values("zone_id").first()
    if row is None:
        raise NotFound("一件事办件不存在，请核对编号。")
    require(actor, zone_id=row["zone_id"], roles=roles, action=label)
    bundle_case = BundleCase.objects.select_for_update().get(pk=bundle_case_id)
    if expected_version is not None and bundle_case.version != expected_version:
        raise StaleObject(f"一件事办件 {bundle_case.number} 已被他人更新，请刷新页面后再操作。")
    return bundle_case


def _in_intake(bundle_case: BundleCase, allowed: set[str], label: str) -> None:
    if bundle_case.intake not in allowed:
        current = BundleIntake(bundle_case.intake).label
        raise TransitionNotAllowed(f"一件事办件 {bundle_case.number} 当前为“{current}”，不能“{label}”。")


def _subcases(bundle_case: BundleCase, stage: int | None = None) -> list[Case]:
    links = BundleSubCase.objects.filter(bundle_case=bundle_case).select_related("case", "member")
    if stage is not None:
        links = links.filter(member__stage=stage)
    return [link.case for link in links.order_by("member__stage", "member__order", "id")]


def _saved(actor: Any, bundle_case: BundleCase, action: str, changes: dict[str, Any]) -> BundleCase:
    bundle_case.version += 1
    bundle_case.save()
    audit_record(actor=actor, action=f"bundle.{action}", obj=bundle_case, changes=changes)
    return bundle_case


def bundle_supplement_request(
    *,
    actor: Any,
    bundle_case_id: int,
    missing: Iterable[str],
    note: str = "",
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> BundleCase:
    """The one notice covering every member item: each item's case gets its part of the missing list."""
    missing = sorted({m.strip() for m in missing if m.strip()})
    on = on or _today()
    if not missing:
        raise InvalidInput("请勾选需要补正的全部材料。", fields={"missing": "至少选择一项需补正的材料。"})
    with transaction.atomic():
        bundle_case = _locked(actor, bundle_case_id, CLERKS, "一次性告知补正", expected_version)
        _in_intake(bundle_case, {BundleIntake.RECEIVED}, "一次性告知补正")
        if set(missing) - {line["name"] for line in bundle_case.materials}:
            raise InvalidInput("所选材料不属于该一件事的材料清单。", fields={"missing": "材料不在清单中。"})
        # A case of the first stage gets its part of the list; materials of later stages only are noted
        # on the bundle, whose notice covers every member item.
        for case in _subcases(bundle_case):
            ids = _presented_ids(case.terms, set(missing))
            if ids:
                window.case_supplement_request(actor=actor, case_id=case.pk, missing=ids, note=note, on=on)
        bundle_case.intake, bundle_case.notice_on, bundle_case.notice_materials = (
            BundleIntake.SUPPLEMENT_REQUESTED,
            on,
            missing,
        )
        return _saved(actor, bundle_case, "supplement_request", {"missing": missing, "on": on})


def bundle_supplement_receive(
    *,
    actor: Any,
    bundle_case_id: int,
    presented: Iterable[str],
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> BundleCase:
    """The materials brought after the notice, once for every member item."""
    presented = {p.strip() for p in presented}
    on = on or _today()
    with transaction.atomic():
        bundle_case = _locked(actor, bundle_case_id, CLERKS, "收取补正材料", expected_version)
        _in_intake(bundle_case, {BundleIntake.SUPPLEMENT_REQUESTED}, "收取补正材料")
        bundle_case.materials = [
            {**line, "presented": line.get("presented") or line["name"] in presented} for line in bundle_case.materials
        ]
        for case in _subcases(bundle_case):
            if case.state == CaseState.SUPPLEMENT_REQUESTED:
                ids = _presented_ids(case.terms, _presented_names(bundle_case))
                window.case_supplement_receive(actor=actor, case_id=case.pk, presented=ids, on=on)
        bundle_case.intake, bundle_case.supplemented_on = BundleIntake.SUPPLEMENTED, on
        return _saved(actor, bundle_case, "supplement_receive", {"presented": sorted(presented), "on": on})


def bundle_accept(
    *, actor: Any, bundle_case_id: int, on: dt.date | None = None, expected_version: int | None = None
) -> BundleCase:
    """The one acceptance: every required material of every member item is there; the first stage's
    cases are accepted, each starting its own statutory clock."""
    on = on or _today()
    with transaction.atomic():
        bundle_case = _locked(actor, bundle_case_id, CLERKS, "受理", expected_version)
        _in_intake(bundle_case, {BundleIntake.RECEIVED, BundleIntake.SUPPLEMENTED}, "受理")
        missing = rules.missing_required(bundle_case.materials)
        if missing:
            advice = "请不予受理" if bundle_case.intake == BundleIntake.SUPPLEMENTED else "请一次性告知补正，或不予受理"
            raise InvalidInput(f"必要材料不齐全（缺：{'、'.join(missing)}），不能受理；{advice}。")
        for case in _subcases(bundle_case):
            if case.state in (CaseState.RECEIVED, CaseState.SUPPLEMENTED):
                window.case_accept(actor=actor, case_id=case.pk, on=on)
        bundle_case.intake, bundle_case.accepted_on = BundleIntake.ACCEPTED, on
        return _saved(actor, bundle_case, "accept", {"on": on})


def bundle_refuse(
    *,
    actor: Any,
    bundle_case_id: int,
    reason: str,
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> BundleCase:
    """Refuse the one application (不予受理) with its reason: every member item's case is refused with it."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请填写不予受理的理由。", fields={"reason": "请填写理由。"})
    on = on or _today()
    with transaction.atomic():
        bundle_case = _locked(actor, bundle_case_id, CLERKS, "不予受理", expected_version)
        _in_intake(bundle_case, {BundleIntake.RECEIVED, BundleIntake.SUPPLEMENTED}, "不予受理")
        for case in _subcases(bundle_case):
            window.case_refuse(actor=actor, case_id=case.pk, reason=reason, on=on)
        bundle_case.intake, bundle_case.refused_on, bundle_case.refusal_reason = BundleIntake.REFUSED, on, reason
        return _saved(actor, bundle_case, "refuse", {"reason": reason, "on": on})


def bundle_intake(
    *,
    actor: Any,
    zone_id: int,
    bundle_id: int,
    applicant: window.Applicant,
    presented: Iterable[str],
    outcome: str,
    missing: Iterable[str] = (),
    note: str = "",
    reason: str = "",
    channel: str = Channel.WINDOW,
    park_id: int | None = None,
    on: dt.date | None = None,
) -> BundleCase:
    """The desk in one step: receive the bundle, then accept, send the one notice, or refuse."""
    if outcome not in {"accept", "supplement", "refuse"}:
        raise InvalidInput("请选择受理、一次性告知补正或不予受理。", fields={"outcome": "请选择处理方式。"})
    with transaction.atomic():
        bundle_case = bundle_receive(
            actor=actor,
            zone_id=zone_id,
            bundle_id=bundle_id,
            applicant=applicant,
            presented=presented,
            channel=channel,
            park_id=park_id,
            on=on,
        )
        if outcome == "accept":
            return bundle_accept(actor=actor, bundle_case_id=bundle_case.pk, on=on)
        if outcome == "supplement":
            return bundle_supplement_request(
                actor=actor, bundle_case_id=bundle_case.pk, missing=missing, note=note, on=on
            )
        return bundle_refuse(actor=actor, bundle_case_id=bundle_case.pk, reason=reason, on=on)


def _views(bundle_case: BundleCase) -> list[rules.SubCaseView]:
    links = BundleSubCase.objects.filter(bundle_case=bundle_case).select_related("case", "member")
    return [
        rules.SubCaseView(link.member.stage, link.case.state, link.case.granted, link.case.decided_on) for link in links
    ]


def bundle_advance(
    *, actor: Any, bundle_case_id: int, on: dt.date | None = None, expected_version: int | None = None
) -> BundleCase:
    """Start the next stage once every item of the stage before has been granted: its items' cases are
    received and accepted with the materials collected at the start."""
    on = on or _today()
    with transaction.atomic():
        bundle_case = _locked(actor, bundle_case_id, CLERKS, "启动下一阶段", expected_version)
        _in_intake(bundle_case, {BundleIntake.ACCEPTED}, "启动下一阶段")
        stages = _stages(_members(bundle_case.bundle_id))
        views = _views(bundle_case)
        if bundle_case.stage >= stages:
            raise TransitionNotAllowed(f"一件事办件 {bundle_case.number} 的各阶段均已启动。")
        if rules.stage_blocked(views, bundle_case.stage):
            raise TransitionNotAllowed(
                f"第 {bundle_case.stage} 阶段有事项未获准予，后续阶段不能启动；请告知申请人办理结果。"
            )
        if not rules.stage_done(views, bundle_case.stage):
            raise TransitionNotAllowed(f"第 {bundle_case.stage} 阶段的事项尚未全部作出决定，不能启动下一阶段。")
        last = max(v.decided_on for v in views if v.stage == bundle_case.stage and v.decided_on)
        if on < last:
            raise InvalidInput(
                f"日期 {on} 早于上一阶段的决定日期（{last}），请核对日期。", fields={"on": "日期早于上一步。"}
            )
        _open_stage(actor, bundle_case, bundle_case.stage + 1, on, accept=True)
        return _saved(actor, bundle_case, "advance", {"stage": bundle_case.stage, "on": on})


def bundle_extend(
    *,
    actor: Any,
    bundle_case_id: int,
    reason: str,
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> BundleCase:
    """One extension of the bundle's joint-handling limit (15 working days), approved by the leadership
    before the legal deadline, with the reason the applicant is told."""
    from onezone.window.bundles.selectors import bundle_clock

    reason = reason.strip()
    if not reason:
        raise InvalidInput("请填写延期理由（将书面告知申请人）。", fields={"reason": "请填写延期理由。"})
    on = on or _today()
    with transaction.atomic():
        bundle_case = _locked(actor, bundle_case_id, EXTENDERS, "批准一件事延期", expected_version)
        _in_intake(bundle_case, {BundleIntake.ACCEPTED}, "批准延期")
        if bundle_case.extended_on is not None:
            raise Conflict(f"一件事办件 {bundle_case.number} 已延期过一次，依法只能延期一次。")
        clock = bundle_clock(bundle_case, _views(bundle_case))
        if clock.decided_on is not None:
            raise TransitionNotAllowed(f"一件事办件 {bundle_case.number} 的各事项均已作出决定，无需延期。")
        if clock.legal_deadline is not None and on > clock.legal_deadline:
            raise TransitionNotAllowed(
                f"法定时限 {clock.legal_deadline} 已过，不能再批准延期；延期须在法定时限届满前批准。"
            )
        bundle_case.extended_on, bundle_case.extension_reason = on, reason
        return _saved(actor, bundle_case, "extend", {"reason": reason, "on": on})


def bundle_rate(
    *, number: str, query_code: str, level: int, comment: str = "", on: dt.date | None = None
) -> BundleCase:
    """The applicant rates the bundle once, when it is done; the rating is given to every member item's
    case (so a bad rating opens each body's rectification, as for any case)."""
    if level not in RatingLevel.values:
        raise InvalidInput("请选择评价等级（非常满意至非常不满意）。", fields={"level": "请选择评价等级。"})
    require_lengths(comment=("评价内容", comment, limits.COMMENT))
    on = on or _today()
    with transaction.atomic():
        found = BundleCase.objects.filter(number=number.strip().upper(), query_code=query_code.strip().upper()).first()
        if found is None:
            raise NotFound("一件事编号或查询码不正确，请核对受理通知书上的编号和查询码。")
        bundle_case = BundleCase.objects.select_for_update().get(pk=found.pk)
        views = _views(bundle_case)
        stages = _stages(_members(bundle_case.bundle_id))
        state = rules.bundle_state(bundle_case.intake, views, stages, bundle_case.stage)
        if state not in ("done", BundleIntake.REFUSED):
            raise TransitionNotAllowed(f"一件事 {bundle_case.number} 尚未办结，办结后才能评价。")
        if bundle_case.rating_level is not None:
            raise Conflict(f"一件事 {bundle_case.number} 已评价过，每件只能评价一次。")
        for case in _subcases(bundle_case):
            if case.state in (CaseState.CLOSED, CaseState.REFUSED, CaseState.DELIVERED):
                window.rating_submit(
                    case_number=case.number, query_code=case.query_code, level=level, comment=comment, on=on
                )
        bundle_case.rating_level, bundle_case.rating_comment, bundle_case.rated_on = level, comment.strip(), on
        return _saved("public", bundle_case, "rate", {"level": level})
