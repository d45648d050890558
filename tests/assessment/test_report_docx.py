"""The zone's yearly report: 公文 layout, and figures as officials write them (never 2E+6)."""

from __future__ import annotations

import datetime as dt

import pytest

from onezone.assessment import reports, selectors
from onezone.assessment.services import actual_enter, target_set
from tests.core.test_documents_layout import SCIENTIFIC, assert_gongwen_docx, docx_text

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 8)


def test_yearly_report_follows_the_layout_and_writes_figures_plainly(users, zone):
    target = target_set(
        actor=users["leader"],
        zone_id=zone.pk,
        year=2026,
        indicator_key="energy_per_value_added",
        value="2000000",
        weight="20",
    )
    actual_enter(actor=users["leader"], target=target, value="1500000.0000", evidence_reference="县统计局能耗报表")
    board = selectors.dashboard(zone, users["leader"], year=2026, today=TODAY)
    rows = selectors.target_rows(zone.pk, 2026, today=TODAY)
    document = assert_gongwen_docx(reports.yearly_report_docx(board, rows))
    text = docx_text(document)
    assert document.paragraphs[0].text == "测试工业园区2026年度发展情况报告"
    assert "（数据截至2026年12月8日，根据业务记录生成）" in text and "2026年12月8日" in text
    targets = next(t for t in document.tables if t.rows[0].cells[0].text == "考核对象")
    row = [c.text for c in targets.rows[1].cells]
    assert row[1:4] == ["单位工业增加值能耗（吨标准煤/万元）", "2,000,000", "1,500,000"]
    assert all(c.paragraphs[0].alignment == 2 for c in targets.rows[1].cells[2:6])  # figures right-aligned
    assert not SCIENTIFIC.search(text) and "E+" not in text
    headings = [p.text for p in document.paragraphs if p.text.startswith(("一、", "二、", "三、", "四、", "五、"))]
    assert headings == [
        "一、改革以来的发展",
        "二、关键指标",
        "三、年度目标完成情况",
        "四、全省考核排名",
        "五、园区对比",
    ]
