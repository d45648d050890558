"""The ranking report (结果通报): the ranking the page shows, as a 公文 in GB/T 9704 format."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document

from onezone.assessment import selectors
from onezone.assessment.ranking_report import ranking_report_docx
from onezone.assessment.services import evaluation_compute, evaluation_transition
from tests.conftest import PASSWORD
from tests.core.test_documents_layout import SCIENTIFIC, assert_gongwen_docx, docx_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(root, scheme, province_values):
    evaluation = evaluation_compute(actor=root, scheme=scheme, year=2025)
    evaluation_transition(actor=root, evaluation=evaluation, to="published")
    return evaluation


def _table_rows(document):
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "名次")
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_zone_reads_its_rank_and_only_the_scores_of_others(users, published, province_values):
    table = selectors.ranking(published, users["leader"])
    document = assert_gongwen_docx(ranking_report_docx(table))
    text = docx_text(document)
    assert document.paragraphs[0].text == "2025年度测试评价体系结果通报"
    assert "测试工业园区综合得分 41.84 分，位列第 3 名。分项得分：甲 " in text
    rows = _table_rows(document)
    assert rows[0] == ["名次", "开发区", "综合得分"]  # other zones' group points are not the zone's to read
    assert [row[:3] for row in rows[1:]] == [
        ["1", "第三工业园区", "65.66"],
        ["2", province_values["Y"].name, "50.00"],
        ["3", "测试工业园区", "41.84"],
    ]
    assert "其他开发区的分项得分不对开发区用户公开" in text
    assert not SCIENTIFIC.search(text) and "E+" not in text


def test_the_supervisor_reads_every_zones_points(users, published):
    document = Document(io.BytesIO(ranking_report_docx(selectors.ranking(published, users["province_supervisor"]))))
    rows = _table_rows(document)
    assert rows[0] == ["名次", "开发区", "综合得分", "甲", "乙"]
    assert all(row[3] != "—" and row[4] != "—" for row in rows[1:])
    assert "不对开发区用户公开" not in docx_text(document)


def test_the_ranking_page_offers_the_report(users, published):
    client = Client()
    client.login(username="u-leader", password=PASSWORD)
    page = client.get(f"/desk/assessment/rankings/{published.pk}/").content.decode()
    assert "生成结果通报（Word）" in page
    response = client.get(f"/desk/assessment/rankings/{published.pk}/report.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert Document(io.BytesIO(response.content)).paragraphs[0].text == "2025年度测试评价体系结果通报"
