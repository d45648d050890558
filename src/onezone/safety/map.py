"""The park map as inline SVG from stored coordinates: no tile server, no internet, no script.

Coordinates are metres east (x) and north (y) of the park's map origin. The drawing fits every point into
the picture with a margin, keeps the aspect ratio (a metre is as long east as north) and draws a scale bar.
Every label passes through ``html.escape``; the caller may mark the result safe.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 1000
HEIGHT = 640
MARGIN = 48
MAX_POINTS = 5_000

# Marker kinds and how they are drawn.
SITE = "site"
INSTALLATION = "installation"
GATE = "gate"
PARKING = "parking"
WORK = "work"

LEVEL_COLOURS = {1: "#b91c1c", 2: "#ea580c", 3: "#ca8a04", 4: "#2563eb"}
LEVEL_NAMES = {1: "一级重大危险源", 2: "二级重大危险源", 3: "三级重大危险源", 4: "四级重大危险源"}
GATE_COLOURS = {"hazmat": "#7c2d12", "ordinary": "#374151", "unattended": "#6b7280", "emergency": "#15803d"}


@dataclass(frozen=True)
class Point:
    kind: str
    x: Decimal
    y: Decimal
    label: str
    detail: str = ""
    tone: str = ""  # installation: its level "1".."4"; gate: its kind; work: "special" for 特级 hot work
    link: str = ""


def _scale(points: list[Point]) -> tuple[float, float, float, float]:
    xs = [float(p.x) for p in points]
    ys = [float(p.y) for p in points]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = max(max_x - min_x, 100.0), max(max_y - min_y, 100.0)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN - 50) / span_y)
    return scale, min_x, max_y, span_x


def _nice_length(metres: float) -> int:
    for step in (50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000):
        if step >= metres:
            return step
    return 50000


def _marker(p: Point, cx: float, cy: float) -> str:
    title = html.escape(p.label + (f"：{p.detail}" if p.detail else ""))
    label = html.escape(p.label[:14])
    if p.kind == SITE:
        shape = f'<rect x="{cx - 9:.1f}" y="{cy - 9:.1f}" width="18" height="18" rx="3" class="oz-map-site"/>'
        text = f'<text x="{cx + 12:.1f}" y="{cy + 4:.1f}" class="oz-map-label">{label}</text>'
    elif p.kind == INSTALLATION:
        colour = LEVEL_COLOURS.get(int(p.tone or 4), "#2563eb")
        shape = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="7" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
        text = ""
    elif p.kind == GATE:
        colour = GATE_COLOURS.get(p.tone, "#374151")
        shape = (
            f'<polygon points="{cx:.1f},{cy - 9:.1f} {cx + 8:.1f},{cy + 6:.1f} {cx - 8:.1f},{cy + 6:.1f}" '
            f'fill="{colour}"/>'
        )
        text = f'<text x="{cx + 10:.1f}" y="{cy + 14:.1f}" class="oz-map-small">{label}</text>'
    elif p.kind == PARKING:
        shape = (
            f'<rect x="{cx - 8:.1f}" y="{cy - 8:.1f}" width="16" height="16" fill="#1d4ed8"/>'
            f'<text x="{cx:.1f}" y="{cy + 5:.1f}" class="oz-map-p">P</text>'
        )
        text = ""
    else:
        colour = "#dc2626" if p.tone == "special" else "#9333ea"
        shape = (
            f'<polygon points="{cx:.1f},{cy - 10:.1f} {cx + 9:.1f},{cy:.1f} '
            f'{cx:.1f},{cy + 10:.1f} {cx - 9:.1f},{cy:.1f}" '
            f'fill="{colour}" stroke="#fff" stroke-width="1.5" class="oz-map-work"/>'
        )
        text = ""
    body = f"<title>{title}</title>{shape}{text}"
    if p.link:
        body = f'<a href="{html.escape(p.link)}">{body}</a>'
    return f'<g class="oz-map-{p.kind}">{body}</g>'


def _legend() -> str:
    items = [
        '<rect x="0" y="-9" width="14" height="14" rx="3" class="oz-map-site"/><text x="20" y="3">企业厂址</text>',
        *(
            f'<circle cx="7" cy="-2" r="6" fill="{LEVEL_COLOURS[level]}"/>'
            f'<text x="20" y="3">{LEVEL_NAMES[level]}</text>'
            for level in (1, 2, 3, 4)
        ),
        f'<polygon points="7,-10 14,4 0,4" fill="{GATE_COLOURS["hazmat"]}"/><text x="20" y="3">卡口</text>',
        '<rect x="0" y="-9" width="14" height="14" fill="#1d4ed8"/><text x="20" y="3">危化品停车场</text>',
        '<polygon points="7,-10 15,-2 7,6 -1,-2" fill="#9333ea"/><text x="20" y="3">今日特殊作业</text>',
        '<polygon points="7,-10 15,-2 7,6 -1,-2" fill="#dc2626"/><text x="20" y="3">特级动火作业</text>',
    ]
    per_row = 5
    step = (WIDTH - 2 * MARGIN) // per_row
    return "".join(
        f'<g transform="translate({MARGIN + (i % per_row) * step},{HEIGHT - 34 + 20 * (i // per_row)})" '
        f'class="oz-map-legend">{item}</g>'
        for i, item in enumerate(items)
    )


def draw(points: Iterable[Point], *, title: str = "园区安全一张图") -> str:
    """The SVG of ``points`` (at most ``MAX_POINTS``), or a note when none has coordinates."""
    placed = [p for p in points if p.x is not None and p.y is not None][:MAX_POINTS]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{html.escape(title)}" class="oz-map" id="park-map">'
        "<style>.oz-map-site{fill:#e5e7eb;stroke:#6b7280}.oz-map-label{font-size:12px;fill:#111827}"
        ".oz-map-small{font-size:11px;fill:#374151}.oz-map-p{font-size:12px;fill:#fff;text-anchor:middle;"
        "font-weight:700}.oz-map-legend text{font-size:12px;fill:#374151}</style>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f8fafc" stroke="#cbd5e1"/>'
    )
    if not placed:
        return head + (
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="16" fill="#6b7280">'
            "尚无登记坐标的企业、单元或卡口</text></svg>"
        )
    scale, min_x, max_y, span_x = _scale(placed)
    order = {SITE: 0, PARKING: 1, GATE: 2, INSTALLATION: 3, WORK: 4}
    marks = []
    for p in sorted(placed, key=lambda p: order.get(p.kind, 5)):
        cx = MARGIN + (float(p.x) - min_x) * scale
        cy = MARGIN + (max_y - float(p.y)) * scale
        marks.append(_marker(p, cx, cy))
    bar_m = _nice_length(span_x / 5)
    bar_px = bar_m * scale
    scale_bar = (
        f'<g transform="translate({WIDTH - MARGIN - bar_px:.1f},{MARGIN - 20})">'
        f'<line x1="0" y1="0" x2="{bar_px:.1f}" y2="0" stroke="#111827" stroke-width="2"/>'
        f'<text x="{bar_px / 2:.1f}" y="-6" text-anchor="middle" font-size="12">{bar_m} 米</text></g>'
        f'<g transform="translate({MARGIN - 20},{MARGIN})"><text font-size="14" font-weight="700">北 ↑</text></g>'
    )
    return head + "".join(marks) + scale_bar + _legend() + "</svg>"
