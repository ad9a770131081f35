"""The exam's attempts list: who has not started, who is sitting it, the figures, the
department filter and the Excel export."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from tests.exams.helpers import sit_exam
from training.database import db, utcnow

ONE, TWO = "测试公司/客服中心/一组", "测试公司/客服中心/二组"


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def figure(html: str, name: str) -> str:
    return html.split(f'data-testid="figure-{name}">')[1].split("<")[0].strip()


@pytest.fixture
def sitting(make_exam, make_user, objective_only):
    """A 7-point objective exam (pass 40%) for the company's employees: in 一组 a pass (3 of 7)
    and a fail (0), in 二组 one in progress, one who has not started, one formula-like name."""
    exam = make_exam(pass_mark=40, time_limit_minutes=30)
    people = {
        "pass": make_user(display_name="通过者", department_path=ONE),
        "fail": make_user(display_name="未过者", department_path=ONE),
        "sitting": make_user(display_name="作答者", department_path=TWO),
        "absent": make_user(display_name="缺考者", department_path=TWO),
        "formula": make_user(display_name='=HYPERLINK("x")', department_path=TWO),
        "trainer": make_user(roles=("trainer",), display_name="培训师", department_path=TWO),
    }
    sit_exam(exam, people["pass"], {1: ["B"], 3: False})
    sit_exam(exam, people["fail"], {1: ["A"]})
    sit_exam(exam, people["sitting"], {1: ["B"]}, hand_in=False,
             now=utcnow() - timedelta(minutes=10))
    db.session.commit()
    return exam, people


def test_the_list_counts_everyone_assigned_and_shows_the_figures(client, login_as, sitting):
    exam, _people = sitting
    login_as("trainer")
    html = page(client.get(f"/exams/manage/{exam.id}/attempts"))
    # Reached: five employees (the trainer in 二组 is not a learner of a department assignment).
    assert [figure(html, n) for n in ("assigned", "not-started", "in-progress", "finished")] == [
        "5", "2", "1", "2"]
    assert figure(html, "average") == "21.4%"  # (42.86 + 0) / 2
    assert figure(html, "pass-rate") == "50.0%" and "1 / 2 人" in html
    row = html.split('data-testid="attempt-')[1:]
    sitting_row = next(r for r in row if "作答者" in r)
    assert "作答中" in sitting_row and "剩余约 20 分钟" in sitting_row

    absent = page(client.get(f"/exams/manage/{exam.id}/attempts?show=not_started"))
    table = absent.split('data-testid="absent-table"')[1]
    assert "缺考者" in table and "HYPERLINK" in table
    assert "通过者" not in table and "作答者" not in table and "培训师" not in table

    in_progress = page(client.get(f"/exams/manage/{exam.id}/attempts?show=in_progress"))
    table = in_progress.split('data-testid="attempt-table"')[1]
    assert "作答者" in table and "通过者" not in table


def test_the_department_filter_narrows_rows_and_figures(client, login_as, sitting):
    exam, people = sitting
    login_as("trainer")
    group = people["pass"].department_id
    html = page(client.get(f"/exams/manage/{exam.id}/attempts?department={group}"))
    assert [figure(html, n) for n in ("assigned", "not-started", "in-progress", "finished")] == [
        "2", "0", "0", "2"]
    table = html.split('data-testid="attempt-table"')[1]
    assert "通过者" in table and "作答者" not in table
    # The tabs and the sheet links keep the filter.
    assert f"show=not_started&amp;department={group}" in html or \
        f"department={group}&amp;show=not_started" in html
    assert f"?department={group}" in table


def test_the_excel_export_has_numbers_percentages_times_and_safe_text(client, login_as, sitting):
    exam, _people = sitting
    login_as("trainer")
    export = client.get(f"/exams/manage/{exam.id}/attempts.xlsx")
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(export.data))
    sheet = book["答卷"]
    assert sheet.freeze_panes == "A2"
    titles = [cell.value for cell in sheet[1]]
    assert titles[:5] == ["工号", "姓名", "部门", "次数", "状态"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    column = {title: i for i, title in enumerate(titles)}
    passed = rows["通过者"]
    assert (passed[column["得分"]].value, passed[column["满分"]].value) == (3, 7)
    rate = passed[column["得分率"]]
    assert rate.data_type == "n" and rate.value == pytest.approx(0.4286)
    assert rate.number_format == "0.0%"
    assert isinstance(passed[column["开始时间"]].value, datetime)
    assert passed[column["是否通过"]].value == "通过"
    assert rows["作答者"][column["剩余分钟"]].value == 20
    assert rows["缺考者"][column["状态"]].value == "未开始"
    guarded = "'=HYPERLINK(\"x\")"
    assert rows[guarded][column["状态"]].value == "未开始"  # the name stays text
    assert "培训师" not in rows

    figures = {row[0].value: row[1] for row in book["汇总"].iter_rows(min_row=2)}
    assert figures["应考人数"].value == 5 and figures["未开始"].value == 2
    assert figures["通过率"].value == pytest.approx(0.5)
    assert figures["通过率"].number_format == "0.0%"


def test_the_list_reads_a_bounded_number_of_queries(client, login_as, make_exam, make_user,
                                                    objective_only, count_queries):
    exam = make_exam()
    for n in range(6):
        sit_exam(exam, make_user(department_path=ONE if n % 2 else TWO), {1: ["B"]})
    login_as("trainer")
    url = f"/exams/manage/{exam.id}/attempts"
    client.get(url)
    with count_queries() as few:
        page(client.get(url))
    for _n in range(6):
        sit_exam(exam, make_user(), {1: ["A"]})
    with count_queries() as many:
        page(client.get(url))
    assert many.count == few.count
