"""Excel, CSV and PDF of a report: the files are opened and their numbers read back."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tests.reports.samples import sample
from training.reports.exports import sheet_name, to_csv, to_pdf, to_xlsx
from training.reports.filters import Filters

FILTERS = Filters(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30),
                  department="测试公司/客服中心", position="组长")


@pytest.fixture
def report(app):
    return sample(FILTERS)


def test_excel_has_a_sheet_per_table_with_real_numbers_dates_and_a_frozen_bold_header(report):
    workbook = load_workbook(io.BytesIO(to_xlsx(report)))
    assert workbook.sheetnames == ["考生成绩", "按部门"]
    people = workbook["考生成绩"]
    assert [cell.value for cell in people[1]] == [
        "姓名", "部门", "得分", "题数", "得分率", "考试日期", "交卷时间"]
    assert all(cell.font.bold for cell in people[1])
    assert people.freeze_panes == "A2"
    name, department, score, count, rate, day, handed_in = people[2]
    assert (name.value, department.value) == ("张三", "客服中心/一组")
    assert score.value == 87.5 and score.number_format == "0.00"
    assert count.value == 40 and count.number_format == "0"
    assert rate.value == pytest.approx(0.875) and "%" in rate.number_format
    assert day.value == datetime(2026, 11, 3) and day.number_format == "yyyy-mm-dd"
    assert handed_in.value == datetime(2026, 11, 3, 10, 30)  # local time, Asia/Shanghai
    assert people["G3"].value == datetime(2026, 11, 5, 0, 5)
    assert people["C4"].value is None and people["E4"].value is None
    departments = workbook["按部门"]
    assert [[cell.value for cell in row] for row in departments.iter_rows(min_row=2)] == [
        ["一组", 2, 0.5], ["二组", 1, 1.0]]


def test_excel_keeps_formula_looking_text_as_text(report):
    people = load_workbook(io.BytesIO(to_xlsx(report)))["考生成绩"]
    assert people["A3"].value == "'=HYPERLINK(\"http://evil.example\")"
    assert people["A3"].data_type == "s"
    assert people["B3"].value == "'-二组"


def test_sheet_names_are_ones_excel_accepts_and_unique():
    used: set[str] = set()
    assert sheet_name("通过率/部门 [按月]", used) == "通过率 部门  按月"
    long_title = "很长的标题" * 10
    first, second = sheet_name(long_title, used), sheet_name(long_title, used)
    assert len(first) == len(second) == 31 and first != second
    assert second.endswith("(2)")


def test_csv_opens_in_excel_as_chinese_and_gives_the_same_numbers(report):
    data = to_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["考生成绩"]
    assert rows[1] == ["姓名", "部门", "得分", "题数", "得分率 (%)", "考试日期", "交卷时间"]
    assert rows[2] == ["张三", "客服中心/一组", "87.50", "40", "87.50", "2026-11-03",
                       "2026-11-03 10:30"]
    assert rows[3][:2] == ["'=HYPERLINK(\"http://evil.example\")", "'-二组"]
    assert rows[3][6] == "2026-11-05 00:05"
    assert rows[4] == ["李四", "", "", "0", "", "", ""]
    assert rows[5] == []
    assert rows[6:] == [["按部门"], ["部门", "参考人数", "通过率 (%)"],
                        ["一组", "2", "50.00"], ["二组", "1", "100.00"]]


def test_csv_of_one_table_has_no_title_line(app):
    from tests.reports.samples import DEPARTMENTS
    from training.reports.document import Report

    data = to_csv(Report("one", "一张表", FILTERS, (DEPARTMENTS,)))
    assert data.decode("utf-8-sig").splitlines()[0] == "部门,参考人数,通过率 (%)"


def pdf_text(data: bytes) -> str:
    run = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                         check=True)
    return run.stdout.decode("utf-8")


def test_pdf_has_the_filters_tables_and_chart_in_chinese(report):
    data = to_pdf(report)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in ("示例考试报表", "期间", "2026-11-01 – 2026-11-30", "部门", "测试公司/客服中心",
                     "岗位", "组长", "仅统计已交卷的答卷。", "考生成绩", "按部门", "得分分布",
                     "张三", "87.50", "87.50%", "2026-11-03 10:30", "100.00%"):
        assert expected in text, expected
    assert "分布图示" in text  # the chart's own SVG text: the chart is drawn, not just named
    assert "'=HYPERLINK" not in text  # a PDF needs no guard: the name prints as typed
    assert '=HYPERLINK("http://evil.example")' in text.replace("\n", "")
