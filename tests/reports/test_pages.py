"""The reports index, the shared filter form and the report template."""

from __future__ import annotations

from datetime import date

from question_bank.statistics import histogram
from training.reports import charts
from training.reports.document import Column, Kind, Report, Table
from training.reports.filters import Filters
from training.reports.pages import render_report
from training.spreadsheets import Percent


def test_hr_and_trainers_find_reports_in_the_navigation(client, login_as):
    login_as("hr")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/reports/"' in page
    assert client.get("/reports/").status_code == 200


def test_employees_are_refused_the_reports(client, login_as):
    login_as("employee")
    assert 'href="/reports/"' not in client.get("/").get_data(as_text=True)
    assert client.get("/reports/").status_code == 403


def test_a_report_renders_its_filters_notes_charts_and_linked_rows(app):
    filters = Filters(date_from=date(2026, 1, 1), department="总公司/客服中心")
    report = Report(
        "demo", "演示报表", filters,
        tables=(Table("名单", (Column("姓名"), Column("得分率", Kind.PERCENT)),
                      [("张三", Percent(87.5)), ("李四", None)], links=["/people/1", None]),),
        charts=(charts.histogram("分布", histogram([55, 87.5], 60), 60),),
        notes=("按最高分计。",),
    )
    with app.test_request_context("/reports/x"):
        html = render_report(report, fields=("from", "to", "department"))
    assert 'value="2026-01-01"' in html and 'name="position"' not in html
    assert '<a href="/people/1">张三</a>' in html and "87.50%" in html and "—" in html
    assert "按最高分计。" in html and 'src="data:image/svg+xml;base64,' in html


def test_charts_hold_no_script():
    svg = charts.histogram("分布", histogram([10, 65, 100], 65), 65).svg
    assert b"<script" not in svg and "达到及格线 65%".encode() in svg
