"""The real exam report exported from its page: the buttons post to the export, the job makes
the file, and Excel and PDF say what the page says for the department chosen."""

from __future__ import annotations

import html as html_text
import io
import re

import pytest
from openpyxl import load_workbook

from tests.reports.fixtures import ONE
from tests.reports.test_exports import pdf_text
from tests.reports.test_jobs import wait_until


def export_from_page(client, page_url: str, query: dict, file_format: str) -> bytes:
    """Press the page's export button (post its form), follow the job, download the file."""
    page = client.get(page_url, query_string=query).get_data(as_text=True)
    action = re.search(rf'<form method="post" action="([^"]*format={file_format}[^"]*)"', page)
    response = client.post(html_text.unescape(action.group(1)),
                           data={"title": "考试报表", "next": page_url})
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    finished = wait_until(client, job_id)
    assert finished["status"] == "done", finished
    return client.get(finished["download_url"]).data


@pytest.fixture
def hr(client, login_as):
    return login_as("hr")


def test_the_exam_reports_excel_has_the_departments_people_as_numbers(client, hr, sitting):
    exam, _people = sitting
    data = export_from_page(client, "/reports/exams", {"exam": exam.id, "department": ONE}, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["概况", "按部门", "成绩名单", "已安排但无成绩"]
    overview = [cell.value for cell in workbook["概况"][2]]
    assert overview[1:3] == [2, 2]  # 一组: two assigned, both took part
    assert overview[5] == pytest.approx(0.5)  # pass rate, a fraction with a percent format
    assert "%" in workbook["概况"]["F2"].number_format
    people = {row[2]: row[4] for row in workbook["成绩名单"].iter_rows(min_row=2, values_only=True)}
    assert people == {"组长甲": pytest.approx(0.7143, abs=1e-4),
                      "员工乙": pytest.approx(0.2857, abs=1e-4)}


def test_the_exam_reports_pdf_prints_the_same_figures_and_its_charts(client, hr, sitting):
    exam, _people = sitting
    text = pdf_text(export_from_page(client, "/reports/exams",
                                     {"exam": exam.id, "department": ONE}, "pdf"))
    for expected in ("考试报表", ONE, exam.title, "成绩分布", "组长甲", "71.43%", "28.57%",
                     "50.00%"):
        assert expected in text, expected
    assert "员工丙" not in text  # 二组, outside the filter
