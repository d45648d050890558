"""The park map drawing: points placed in the picture, labels escaped, nothing without coordinates."""

from __future__ import annotations

import re
from decimal import Decimal

from onezone.safety import map as park_map


def test_points_are_placed_inside_the_picture_with_north_up():
    svg = park_map.draw(
        [
            park_map.Point(kind=park_map.SITE, x=Decimal(0), y=Decimal(0), label="南厂"),
            park_map.Point(kind=park_map.SITE, x=Decimal(1000), y=Decimal(1000), label="北厂"),
            park_map.Point(kind=park_map.INSTALLATION, x=Decimal(500), y=Decimal(500), label="液氯罐区", tone="1"),
        ]
    )
    rects = [(float(x), float(y)) for x, y in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="18"', svg)]
    assert len(rects) == 2
    (south_x, south_y), (north_x, north_y) = rects
    assert south_x < north_x and north_y < south_y  # east to the right, north up
    for x, y in rects:
        assert 0 <= x <= park_map.WIDTH and 0 <= y <= park_map.HEIGHT
    assert 'fill="#b91c1c"' in svg  # a level-1 installation is red
    assert "1000 米" in svg or "200 米" in svg or "500 米" in svg


def test_labels_and_links_are_escaped():
    svg = park_map.draw(
        [park_map.Point(kind=park_map.WORK, x=Decimal(1), y=Decimal(1), label="<script>x</script>", link='/a"b')]
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'href="/a&quot;b"' in svg


def test_no_coordinates_says_so():
    svg = park_map.draw([park_map.Point(kind=park_map.GATE, x=None, y=None, label="北门")])
    assert "尚无登记坐标的企业、单元或卡口" in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def test_special_hot_work_is_drawn_red_and_other_work_purple():
    svg = park_map.draw(
        [
            park_map.Point(kind=park_map.WORK, x=Decimal(1), y=Decimal(1), label="特级", tone="special"),
            park_map.Point(kind=park_map.WORK, x=Decimal(300), y=Decimal(300), label="二级"),
        ]
    )
    marks = re.findall(r'fill="(#[0-9a-f]+)" stroke="#fff" stroke-width="1.5" class="oz-map-work"', svg)
    assert marks == ["#dc2626", "#9333ea"]
