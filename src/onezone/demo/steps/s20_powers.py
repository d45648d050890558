"""Demo step 2: the Yongchang zone's three lists (演示数据).

- 18 items written out in full (conditions, materials, limits, fees, place): the ones the window
  demo uses, including instant items, calendar-day limits, joint handling and special procedures.
- 221 county powers delegated to the zone in three batches (2021, 2022, 2023). Besides the full
  items among them, the bulk is made by ``generated_delegations``: licensing items from a table of
  real item names split into their handling sub-items (新办/变更/延续/注销), as implementation
  lists do, and penalties, inspections and coercive measures from a table of typical offences.
  Their names are realistic, but the list as a whole is demo data, not the zone's real list.
- A responsibility list for the full items, an enforcement list for the enforcement team, each
  published with the power list (2025) and again after the 2026 adjustments.
- Version 1 (effective 2025-01-01), then adjustments (new items, revoked and suspended items,
  shorter committed limits), and version 2 (effective 2026-03-01).

Everything goes through the services, so every item has its ``add`` adjustment and audit entry.
``ctx.extra["powers"]`` maps implementation code → PowerItem for later steps.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from onezone.core.roles import Role
from onezone.demo.steps._powers_items import (
    APPLICATION,
    BATCHES,
    COMPLAINT,
    CONTACT,
    DELEGATED_TOTAL,
    DEPT_BODY,
    FULL_ITEMS,
    HOURS,
    LICENCE,
    PLACE,
    _m,
    generated_delegations,
)
from onezone.powers.models import Delegation
from onezone.powers.services import (
    batch_create,
    delegation_propose,
    delegation_transition,
    duty_list_publish,
    enforcement_item_set,
    item_create,
    item_revoke,
    item_suspend,
    item_update,
    list_publish,
    responsibility_set,
)


def _data(spec: dict[str, Any], bodies: dict[str, Any]) -> dict[str, Any]:
    handling = spec.get("handling", "promised")
    return {
        "name": spec["name"],
        "implementation_code": spec["code"],
        "basic_code": spec["code"].rsplit("-", 1)[0].replace("YC-", "6203"),
        "category": spec["category"],
        "legal_basis": spec.get("basis", ""),
        "implementing_body_id": bodies[spec.get("body", "service")].pk,
        "source_department": spec.get("dept") or "",
        "power_source": "entrusted" if spec.get("dept") else "statutory",
        "exercise_level": "zone",
        "legal_limit": spec["legal"],
        "legal_limit_unit": spec.get("legal_unit", "working"),
        "legal_limit_note": spec.get("legal_note", ""),
        "committed_limit": spec["committed"],
        "committed_limit_unit": "working",
        "handling_type": handling,
        "joint_handling": spec.get("joint", False),
        "joint_bodies": spec.get("joint_bodies", ""),
        "special_procedures": spec.get("special", []),
        "acceptance_conditions": spec.get("conditions", "申请人符合法定条件，申请材料齐全、符合法定形式。"),
        "procedure": "申请 → 受理 → 审查 → 决定 → 送达" if handling == "promised" else "申请 → 受理并当场办结",
        "service_objects": "企业法人、其他组织",
        "has_fee": spec.get("has_fee", False),
        "fee_basis": spec.get("fee_basis", ""),
        "visits": spec.get("visits", 1),
        "online": spec.get("online", False),
        "online_depth": spec.get("depth", ""),
        "place": PLACE,
        "hours": HOURS,
        "contact": CONTACT,
        "complaint_channel": COMPLAINT,
    }


def load(ctx) -> None:
    admin, leader = ctx.users[Role.ADMIN.value], ctx.users[Role.LEADER.value]
    zone_id = ctx.zone.pk
    items: dict[str, Any] = {}
    full_delegated = [s for s in FULL_ITEMS if s.get("dept")]
    bulk = generated_delegations()[: DELEGATED_TOTAL - len(full_delegated)]
    delegated = full_delegated + bulk

    batches = [
        batch_create(actor=admin, zone_id=zone_id, number=n, title=t, document_number=doc, issued_on=on)
        for n, t, doc, on in BATCHES
    ]
    # Batch sizes 90 / 80 / the rest; each batch's items enter the list on the batch's date.
    cut = [0, 90, 170, len(delegated)]
    for b, batch in enumerate(batches):
        for spec in delegated[cut[b] : cut[b + 1]]:
            items[spec["code"]] = item_create(
                actor=admin,
                zone_id=zone_id,
                data=_data(spec, ctx.bodies),
                reason="县政府赋予园区县级管理权限",
                document=batch.document_number,
                effective_on=batch.issued_on,
                materials=spec.get("materials", [APPLICATION, LICENCE])
                if spec["category"] in ("licensing", "other")
                else [],
                fees=spec.get("fees"),
            )
    for spec in FULL_ITEMS:
        if not spec.get("dept"):
            items[spec["code"]] = item_create(
                actor=admin,
                zone_id=zone_id,
                data=_data(spec, ctx.bodies),
                reason="园区服务事项纳入清单",
                document="永工管发〔2021〕8号",
                effective_on=dt.date(2021, 6, 1),
                materials=spec["materials"],
            )

    for b, batch in enumerate(batches):
        for n, spec in enumerate(delegated[cut[b] : cut[b + 1]]):
            receiving = ctx.bodies["enforcement" if spec["category"] in DEPT_BODY["enforcement"] else "service"]
            d = delegation_propose(
                actor=admin,
                batch_id=batch.pk,
                item_id=items[spec["code"]].pk,
                form="entrust" if spec["category"] in DEPT_BODY["enforcement"] else "devolve",
                original_department=spec["dept"],
                receiving_body_id=receiving.pk,
                effective_on=batch.issued_on,
            )
            _advance(admin, d.pk, batch.issued_on, stage=_stage(b, n))

    for spec in FULL_ITEMS:
        _responsibilities(admin, items[spec["code"]])
    _enforcement_list(admin, zone_id, ctx, items)

    v1 = list_publish(
        actor=leader,
        zone_id=zone_id,
        title="永昌工业园区权责清单（2025年版）",
        document="永工管发〔2024〕56号",
        effective_on=dt.date(2025, 1, 1),
    )

    # Adjustments of 2025 (动态调整): faster promises, items the zone could not carry, new services.
    for code, days in (("YC-XK-001", 7), ("YC-XK-002", 2), ("YC-XK-010", 3), ("YC-XK-012", 3)):
        item_update(
            actor=admin,
            item_id=items[code].pk,
            changes={"committed_limit": days},
            reason="深化“放管服”改革，压缩承诺办结时限",
            document="永工管发〔2025〕21号",
            effective_on=dt.date(2025, 9, 1),
        )
    for code in ("YC-XK-108-4", "YC-XK-126-2"):
        item_revoke(
            actor=admin,
            item_id=items[code].pk,
            reason="办件量长期为零，经评估交回县级部门行使",
            document="永政发〔2025〕44号",
            effective_on=dt.date(2025, 12, 1),
        )
    for d in Delegation.objects.filter(item__in=[items["YC-XK-108-4"], items["YC-XK-126-2"]]):
        delegation_transition(
            actor=admin,
            delegation_id=d.pk,
            to="withdrawn",
            on=dt.date(2025, 12, 1),
            note="办件量长期为零，交回县级部门",
        )
    item_suspend(
        actor=admin,
        item_id=items["YC-XK-125-1"].pk,
        reason="承接人员调整，暂停受理，待培训后恢复",
        document="永工管发〔2026〕3号",
        effective_on=dt.date(2026, 2, 1),
    )
    for code, name in (
        ("YC-GF-003", "标准化厂房租赁申请受理"),
        ("YC-GF-004", "企业用工招聘服务"),
        ("YC-GF-005", "园区人才公寓入住申请"),
    ):
        items[code] = item_create(
            actor=admin,
            zone_id=zone_id,
            data=_data(
                {
                    "code": code,
                    "name": name,
                    "category": "public_service",
                    "legal": 15,
                    "committed": 5,
                    "body": "service",
                },
                ctx.bodies,
            ),
            reason="新增园区公共服务事项",
            document="永工管发〔2026〕9号",
            effective_on=dt.date(2026, 2, 15),
            materials=[_m("申请表"), LICENCE],
        )
    v2 = list_publish(
        actor=leader,
        zone_id=zone_id,
        title="永昌工业园区权责清单（2026年版）",
        document="永工管发〔2026〕12号",
        effective_on=dt.date(2026, 3, 1),
    )

    duty_versions = _duty_lists(admin, leader, zone_id, ctx, items)

    ctx.extra["powers"] = items
    ctx.extra["powers_versions"] = {1: v1, 2: v2}
    ctx.extra["powers_batches"] = {b.number: b for b in batches}
    ctx.say(
        f"三张清单（演示数据）：事项 {len(items)} 项，县级赋权 {len(delegated)} 项分 {len(batches)} 批；"
        f"清单第1版 {v1.item_count} 项，第2版 {v2.item_count} 项（{v2.summary}）；"
        f"责任清单、执法事项清单各发布 {max(duty_versions)} 版"
    )


def _stage(batch_index: int, n: int) -> str:
    """How far a delegation has come: early batches operate, the last one is still being taken over."""
    if batch_index < 2:
        return "operating" if n % 20 else "taken_over"
    return ("operating", "taken_over", "issued")[n % 3]


def _advance(actor, delegation_id: int, issued_on: dt.date, *, stage: str) -> None:
    delegation_transition(actor=actor, delegation_id=delegation_id, to="issued", on=issued_on)
    if stage == "issued":
        return
    delegation_transition(
        actor=actor,
        delegation_id=delegation_id,
        to="taken_over",
        staff_trained=True,
        window_ready=True,
        on=issued_on + dt.timedelta(days=30),
    )
    if stage == "operating":
        delegation_transition(
            actor=actor, delegation_id=delegation_id, to="operating", on=issued_on + dt.timedelta(days=45)
        )


RESPONSIBILITY_ROWS = [
    (
        "acceptance",
        "依法受理或不予受理，材料不齐全的一次性告知需要补正的全部内容。",
        "对符合法定条件的申请不予受理的；未一次性告知补正内容的。",
    ),
    ("review", "对申请材料进行审查，需要核查的组织现场核查。", "对不符合法定条件的申请人准予许可的。"),
    (
        "decision",
        "在承诺时限内作出决定，不予许可的书面说明理由。",
        "超越法定职权作出决定的；未在法定期限内作出决定的。",
    ),
    ("delivery", "自作出决定之日起十日内向申请人颁发、送达决定书或证件。", "未依法送达的。"),
    ("supervision", "依法对被许可人从事许可事项的活动进行监督检查。", "不依法履行监督职责或者监督不力的。"),
]
ENFORCEMENT_KINDS = ("penalty", "inspection", "coercion")


def _responsibilities(actor, item, rows=RESPONSIBILITY_ROWS) -> None:
    for stage, content, accountability in rows:
        responsibility_set(actor=actor, item_id=item.pk, stage=stage, content=content, accountability=accountability)


def _enforcement(actor, zone_id: int, code: str, item, body, **changes: Any) -> None:
    data = {
        "name": item.name,
        "kind": item.category,
        "item_id": item.pk,
        "enforcing_body_id": body.pk,
        "basis": item.legal_limit_note or "相关法律法规",
        "discretion": "按《甘肃省应急管理行政处罚裁量权基准》分档裁量" if item.category == "penalty" else "",
        **changes,
    }
    enforcement_item_set(actor=actor, zone_id=zone_id, code=code, data=data)


def _enforcement_list(actor, zone_id: int, ctx, items: dict[str, Any]) -> None:
    for code, item in items.items():
        if item.category in ENFORCEMENT_KINDS:
            _enforcement(actor, zone_id, code, item, ctx.bodies["enforcement"])


def _duty_lists(admin, leader, zone_id: int, ctx, items: dict[str, Any]) -> list[int]:
    """Both lists published with the power list (2025), then adjusted with it and published again (2026)."""
    _publish_duty_lists(leader, zone_id, "2025年版", "永工管发〔2024〕56号", dt.date(2025, 1, 1))
    # 2026: the new public services answer for acceptance and delivery; the shorter promise is written in.
    for code in ("YC-GF-003", "YC-GF-004", "YC-GF-005"):
        _responsibilities(admin, items[code], [RESPONSIBILITY_ROWS[0], RESPONSIBILITY_ROWS[3]])
    responsibility_set(
        actor=admin,
        item_id=items["YC-XK-001"].pk,
        stage="decision",
        content="自受理之日起7个工作日内作出决定，不予许可的书面说明理由。",
        accountability=RESPONSIBILITY_ROWS[2][2],
    )
    first_penalty = next(code for code, item in items.items() if item.category == "penalty")
    _enforcement(
        admin,
        zone_id,
        first_penalty,
        items[first_penalty],
        ctx.bodies["enforcement"],
        discretion="按《甘肃省应急管理行政处罚裁量权基准（2026年修订）》分档裁量；首次轻微违法依法不予处罚",
    )
    return _publish_duty_lists(leader, zone_id, "2026年版", "永工管发〔2026〕12号", dt.date(2026, 3, 1))


def _publish_duty_lists(leader, zone_id: int, edition: str, document: str, effective_on: dt.date) -> list[int]:
    numbers = []
    for kind, title in (("responsibilities", "责任清单"), ("enforcement", "执法事项清单")):
        version = duty_list_publish(
            actor=leader,
            zone_id=zone_id,
            kind=kind,
            title=f"永昌工业园区{title}（{edition}）",
            document=document,
            effective_on=effective_on,
        )
        numbers.append(version.number)
    return numbers
