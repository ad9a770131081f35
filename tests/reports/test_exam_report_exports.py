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
    overview = by_heading(workbook["概况"])[0]
    assert (overview["应考人数"].value, overview["参考人数"].value) == (2, 2)  # 一组 only
    assert overview["通过率"].value == pytest.approx(0.5)  # a fraction, with a percent format
    assert "%" in overview["通过率"].number_format
    people = {row["姓名"].value: row["计入成绩"].value for row in by_heading(workbook["成绩名单"])}
    assert people == {"组长甲": pytest.approx(0.7143, abs=1e-4),
                      "员工乙": pytest.approx(0.2857, abs=1e-4)}


def by_heading(sheet) -> list[dict]:
    """The sheet's rows as {heading: cell}, whatever order the report puts its columns in."""
    headings = [cell.value for cell in sheet[1]]
    return [dict(zip(headings, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_the_exam_reports_pdf_prints_the_same_figures_and_its_charts(client, hr, sitting):
    exam, _people = sitting
    text = pdf_text(export_from_page(client, "/reports/exams",
                                     {"exam": exam.id, "department": ONE}, "pdf"))
    for expected in ("考试报表", ONE, exam.title, "成绩分布", "组长甲", "71.43%", "28.57%",
                     "50.00%"):
        assert expected in text, expected
    assert "员工丙" not in text  # 二组, outside the filter
