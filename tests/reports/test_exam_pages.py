"""The exam report and item analysis pages: HR and trainers only, filters in the URL, the
question editor and regrade links for trainers, the articles each question tests."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.reports.fixtures import ONE
from training.database import db
from training.exams.models import AttemptQuestion


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_hr_reads_the_exam_report_with_its_figures_and_lists(client, login_as, sitting):
    exam, _people = sitting
    login_as("hr")
    html = page(client.get("/reports/exams", query_string={"exam": exam.id}))
    overview = html.split('data-testid="report-table-0"')[1].split("</section>")[0]
    # assigned 5, took part 4, participation 80 %, passed 2, pass rate 50 %, mean 42.86 %
    for figure in (">5<", ">4<", "80.00%", ">2<", "50.00%", "42.86%"):
        assert figure in overview.replace("\n", "").replace(" ", ""), figure
    people = html.split('data-testid="report-table-2"')[1].split("</section>")[0]
    assert "组长甲" in people and "71.43%" in people and "缺考戊" not in people
    absent = html.split('data-testid="report-table-3"')[1]
    assert "缺考戊" in absent
    assert 'data-testid="report-chart-0"' in html and "image/svg+xml" in html
    assert f'/reports/exams/{exam.id}/items' in overview  # drill down to the item analysis


def test_the_department_filter_narrows_the_page_and_stays_in_the_form(client, login_as, sitting):
    exam, _people = sitting
    login_as("trainer")
    html = page(client.get("/reports/exams", query_string={"exam": exam.id, "department": ONE}))
    assert "组长甲" in html and "员工丙" not in html
    assert f'<option value="{ONE}" selected>' in html


def test_a_malformed_filter_is_explained_not_a_server_error(client, login_as, sitting):
    login_as("hr")
    response = client.get("/reports/exams", query_string={"from": "yesterday"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/reports/exams")
    assert "from" in page(client.get(response.headers["Location"]))


def test_trainers_get_the_editor_and_regrade_links_hr_does_not(client, login_as, sitting):
    exam, _people = sitting
    question_id = db.session.scalars(select(AttemptQuestion.question_id)).first()
    login_as("trainer")
    html = page(client.get(f"/reports/exams/{exam.id}/items"))
    assert f'/bank/questions/{question_id}/edit' in html
    assert f'/exams/manage/{exam.id}/regrade' in html
    assert "所有人都答错" in html  # nobody filled the blanks
    client.post("/logout")
    login_as("hr")
    html = page(client.get(f"/reports/exams/{exam.id}/items"))
    assert "/bank/questions/" not in html and "/regrade" not in html
    assert "信度 α" in html


def test_item_analysis_names_the_article_each_question_tests(client, login_as, sitting, link,
                                                             questions):
    exam, _people = sitting
    link(questions[0], "a3")
    login_as("trainer")
    html = page(client.get(f"/reports/exams/{exam.id}/items"))
    assert "第三条" in html


def test_choosing_an_exam_for_item_analysis_keeps_the_filters(client, login_as, sitting):
    exam, _people = sitting
    login_as("hr")
    response = client.get("/reports/items", query_string={"exam": exam.id, "from": "2026-01-01"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/reports/exams/{exam.id}/items?from=2026-01-01")
    assert "请选择一场考试" in page(client.get("/reports/items"))


def test_employees_are_refused_the_report_pages(client, login_as, sitting):
    exam, _people = sitting
    login_as("employee")
    for url in ("/reports/", "/reports/exams", f"/reports/exams/{exam.id}/items", "/reports/items"):
        assert client.get(url).status_code == 403, url


def test_an_unknown_exam_is_a_404_page(client, login_as, sitting):
    login_as("hr")
    assert client.get("/reports/exams/999999/items").status_code == 404
    assert client.get("/reports/exams", query_string={"exam": 999999}).status_code == 404


def test_the_item_analysis_exports_the_numbers_the_api_gives(client, login_as, sitting):
    from tests.reports.test_jobs import start, wait_until

    exam, _people = sitting
    login_as("trainer")
    html = page(client.get(f"/reports/exams/{exam.id}/items"))
    assert f'action="/reports/items/export?exam={exam.id}&amp;format=xlsx"' in html
    api = client.get(f"/api/v1/reports/exams/{exam.id}/items").get_json()
    job_id = start(client, "items", query=f"exam={exam.id}")
    finished = wait_until(client, job_id)
    assert finished["status"] == "done", finished
    sheet = load_workbook(io.BytesIO(client.get(finished["download_url"]).data))["试题分析"]
    exported = {row[0].value: row[4].value for row in sheet.iter_rows(min_row=2)}
    assert exported == {q["question_id"]: pytest.approx(q["facility"], abs=5e-5)
                        for q in api["questions"]}
