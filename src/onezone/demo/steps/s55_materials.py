"""Demo step: the materials of cases and the enterprises' pre-reviews (演示数据).

The demo enterprise (金昌鑫源新材料有限公司, account demo-enterprise) has three pre-reviews: one
submitted and waiting at the window, one returned with the clerk's note on a line, and one the clerk
took into the enterprise's case at intake. A few open cases carry scans attached by the clerk. Every
file is a small PDF or picture made here, marked as demo data, and goes through the same services as
at the window: checked by content, stored under its hash, audited.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from onezone.core.errors import NotFound
from onezone.core.roles import Role
from onezone.window import materials, prereview, services
from onezone.window.models import Case
from onezone.window.services import Applicant

FONT = "STSong-Light"
CASES_WITH_SCANS = 4


def _pdf(title: str, subject: str) -> bytes:
    """A one-page A4 PDF saying what it stands for, marked as demo data."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=1)
    width, height = A4
    page.setFont(FONT, 22)
    page.drawCentredString(width / 2, height - 120, title)
    page.setFont(FONT, 13)
    page.drawCentredString(width / 2, height - 160, subject)
    page.setFillColorRGB(0.8, 0.1, 0.1)
    page.setFont(FONT, 16)
    page.drawCentredString(width / 2, height - 220, "演示数据 · 非真实材料")
    page.showPage()
    page.save()
    return out.getvalue()


def _png(text_seed: int) -> bytes:
    """A small picture standing for a phone photo of a document (a plain coloured page)."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (420, 300), (245, 245, 240))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((20, 20, 400, 280), outline=(180, 30, 30), width=4)
    for row in range(6):
        y = 60 + row * 35
        draw.line((50, y, 370 - (row * 17 + text_seed * 11) % 120, y), fill=(90, 90, 90), width=6)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _file(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _items_with_materials(ctx: Any) -> list[Any]:
    from onezone.powers.selectors import item_terms_in_force

    found = []
    for code, item in sorted((ctx.extra.get("powers") or {}).items()):
        if not code.startswith(("YC-XK-0", "YC-QT-", "YC-GF-")) or not item.materials.exists():
            continue
        try:
            item_terms_in_force(zone_id=ctx.zone.pk, item_id=item.pk, on=_today())
        except NotFound:  # not in force today: not offered
            continue
        found.append(item)
    return found


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _upload_lines(user: Any, started: Any, enterprise: Any, *, every: bool) -> None:
    for index, line in enumerate(started.materials):
        if not (line["required"] or every):
            continue
        data = _png(index) if index % 3 == 2 else _pdf(line["name"], f"{enterprise.name} · {started.item_name}")
        name = f"{line['name']}{'.png' if index % 3 == 2 else '.pdf'}"
        prereview.prereview_file_add(
            actor=user, prereview_id=started.pk, material_id=int(line["material_id"]), upload=_file(name, data)
        )


def load(ctx: Any) -> None:
    enterprise = ctx.extra.get("enterprise")
    clerk = ctx.users.get(Role.CLERK.value)
    user = ctx.users.get(Role.ENTERPRISE.value)
    items = _items_with_materials(ctx)
    if enterprise is None or clerk is None or user is None or len(items) < 3:
        ctx.say("材料预审：缺少演示企业、窗口人员或带材料的事项，未生成")
        return

    waiting = prereview.prereview_start(actor=user, zone_id=ctx.zone.pk, item_id=items[0].pk)
    _upload_lines(user, waiting, enterprise, every=True)
    prereview.prereview_submit(actor=user, prereview_id=waiting.pk)

    returned = prereview.prereview_start(actor=user, zone_id=ctx.zone.pk, item_id=items[1].pk)
    _upload_lines(user, returned, enterprise, every=False)
    prereview.prereview_submit(actor=user, prereview_id=returned.pk)
    first = int(returned.materials[0]["material_id"])
    prereview.prereview_return(
        actor=clerk,
        prereview_id=returned.pk,
        line_notes={first: "扫描件不清晰，公章看不清，请重新扫描（300dpi 以上）后上传。"},
        note="其余材料齐全。",
    )

    taken = prereview.prereview_start(actor=user, zone_id=ctx.zone.pk, item_id=items[2].pk)
    _upload_lines(user, taken, enterprise, every=False)
    prereview.prereview_submit(actor=user, prereview_id=taken.pk)
    applicant = Applicant(kind="enterprise", name=enterprise.name, uscc=enterprise.uscc, contact_name="吴国庆")
    case = services.case_receive(
        actor=clerk,
        zone_id=ctx.zone.pk,
        item_id=items[2].pk,
        applicant=applicant,
        presented=[int(m["material_id"]) for m in taken.materials if m["required"]],
    )
    prereview.prereview_take(actor=clerk, prereview_id=taken.pk, case_id=case.pk)

    scanned = 0
    for other in Case.objects.filter(zone=ctx.zone, is_open=True).exclude(pk=case.pk).order_by("-received_on", "id"):
        if scanned >= CASES_WITH_SCANS or not other.materials:
            continue
        line = other.materials[0]
        materials.case_file_attach(
            actor=clerk,
            case_id=other.pk,
            material_id=int(line["material_id"]),
            upload=_file(f"扫描_{other.number}.pdf", _pdf(line["name"], f"{other.applicant_name} · {other.item_name}")),
        )
        scanned += 1
    ctx.say(f"材料预审：3 件（待预审 1、退回修改 1、转入办件 1）；{scanned} 个在办办件挂接了扫描件")
