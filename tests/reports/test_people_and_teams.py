"""Person profile, team comparison, learning and weak articles: the numbers against the raw
rows, the filters, the previous period, and who may open whose profile."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from tests.exams.conftest import drawn, make_exam, paper, questions  # noqa: F401  (fixtures)
from tests.reports.history import CENTER, TEAM_ONE, TEAM_TWO, exam, graded, practised
from training.database import db
from training.exams.models import Attempt
from training.reports.document import build
from training.reports.filters import Filters
from training.reports.scope import previous_period

NOV = Filters(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30), department=CENTER)


def rows_of(report, title_start: str) -> dict[str, tuple]:
    """A table's rows keyed by their first cell."""
    table = next(t for t in report.tables if t.title.startswith(title_start))
    return {row[0]: tuple(row[1:]) for row in table.rows}


@pytest.fixture
def teams(make_user):
    """Three employees in 一组 (one a 组长), two in 二组."""
    one = [make_user(department_path=TEAM_ONE, position="组长"),
           make_user(department_path=TEAM_ONE), make_user(department_path=TEAM_ONE)]
    two = [make_user(department_path=TEAM_TWO), make_user(department_path=TEAM_TWO)]
    return one, two


@pytest.mark.parametrize(("period", "before"), [
    ((date(2026, 12, 1), date(2026, 12, 6)), (date(2026, 11, 1), date(2026, 11, 6))),
    ((date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 10, 1), date(2026, 10, 31))),
    ((date(2026, 10, 1), date(2026, 12, 31)), (date(2026, 7, 1), date(2026, 9, 30))),
    ((date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))),
    ((date(2026, 11, 10), date(2026, 11, 19)), (date(2026, 10, 31), date(2026, 11, 9))),
])
def test_the_previous_period_is_the_month_quarter_or_days_before(period, before):
    assert previous_period(*period) == before


def test_team_totals_reconcile_with_the_raw_rows(teams):
    one, two = teams
    november = exam("十一月考核", datetime(2026, 11, 20, 8))
    graded(november, one[0], 50, datetime(2026, 11, 19, 2))
    graded(november, one[0], 90, datetime(2026, 11, 19, 3), number=2)  # highest counts
    graded(november, one[1], 40, datetime(2026, 11, 19, 2))
    graded(november, two[0], 70, datetime(2026, 11, 19, 2))
    exam("十月考核", datetime(2026, 10, 20, 8))  # another period: not counted

    report = build("teams", NOV)
    current = rows_of(report, "本期")
    # expected, took part, participation, passed, pass rate, mean, courses, completion, overdue
    assert current[TEAM_ONE][:6] == (3, 2, 66.67, 1, 50.0, 65.0)
    assert current[TEAM_TWO][:6] == (2, 1, 50.0, 1, 100.0, 70.0)
    total = current["合计"]
    attempts_by_people = db.session.scalar(
        select(func.count(func.distinct(Attempt.user_id))).where(Attempt.exam_id == november.id))
    assert total[1] == attempts_by_people == 3
    assert total[0] == 5 and total[3] == 2 and total[5] == pytest.approx((90 + 40 + 70) / 3, 0.01)



def test_a_result_counts_only_for_someone_the_exam_reaches(teams):
    """One of 二组 sat 一组's exam (moved teams since): 二组 was not expected to, so that
    result is no one's; 二组 counts only its own exam, which nobody sat."""
    one, two = teams
    team_exam = exam("一组考核", datetime(2026, 11, 20, 8), assign=TEAM_ONE)
    exam("二组考核", datetime(2026, 11, 21, 8), assign=TEAM_TWO)
    graded(team_exam, one[0], 80, datetime(2026, 11, 19, 2))
    graded(team_exam, two[0], 30, datetime(2026, 11, 19, 2))

    current = rows_of(build("teams", NOV), "本期")
    assert current[TEAM_ONE][:6] == (3, 1, 33.33, 1, 100.0, 80.0)
    assert current[TEAM_TWO][:6] == (2, 0, 0.0, 0, None, None)
    assert current["合计"][:2] == (5, 1)

def test_this_period_against_the_one_before_by_hand(teams):
    one, two = teams
    october = exam("十月考核", datetime(2026, 10, 20, 8))
    for person, score in zip([*one, *two], (80, 30, 30, 90, 20), strict=True):
        graded(october, person, score, datetime(2026, 10, 19, 2))
    november = exam("十一月考核", datetime(2026, 11, 20, 8))
    for person, score in zip(one, (80, 70, 60), strict=True):
        graded(november, person, score, datetime(2026, 11, 19, 2))

    report = build("teams", NOV)
    before = rows_of(report, "上期")
    assert before[TEAM_ONE][:6] == (3, 3, 100.0, 1, 33.33, 46.67)
    assert before[TEAM_TWO][:6] == (2, 2, 100.0, 1, 50.0, 55.0)
    change = rows_of(report, "变化")
    # 一组 pass rate 100 % against 33.33 %; 二组 took no November exam: nothing to compare
    assert change[TEAM_ONE][:3] == (0.0, 66.67, 23.33)
    assert change[TEAM_TWO][:3] == (-100.0, None, None)


def test_a_department_filter_takes_its_subtree_and_a_position_filter_its_holders(teams):
    one, two = teams
    november = exam("十一月考核", datetime(2026, 11, 20, 8))
    for person in (*one, *two):
        graded(november, person, 75, datetime(2026, 11, 19, 2))

    only_one = build("teams", Filters(NOV.date_from, NOV.date_to, department=TEAM_ONE))
    assert set(rows_of(only_one, "本期")) == {TEAM_ONE, "合计"}  # a leaf is its own bucket
    assert rows_of(only_one, "本期")["合计"][:2] == (3, 3)
    leads = build("teams", Filters(NOV.date_from, NOV.date_to, department=CENTER,
                                   position="组长"))
    assert rows_of(leads, "本期")["合计"][:2] == (1, 1)
    # 测试公司 holds only 客服中心: the comparison looks through it to its teams
    company = build("teams", Filters(NOV.date_from, NOV.date_to, department="测试公司"))
    assert set(rows_of(company, "本期")) == {TEAM_ONE, TEAM_TWO, "合计"}


def test_the_profile_lists_counted_scores_and_practice_by_local_week(teams, questions):  # noqa: F811
    person = teams[0][1]
    november = exam("十一月考核", datetime(2026, 11, 20, 8))
    graded(november, person, 45, datetime(2026, 11, 19, 2))
    graded(november, person, 85, datetime(2026, 11, 19, 4), number=2)
    question = questions[0]
    # 29 Nov 17:00 UTC is Monday 30 Nov 01:00 in Shanghai: the week of 30 Nov
    practised(person, question.id, question.current_version_id, datetime(2026, 11, 29, 17),
              right=True)
    practised(person, question.id, question.current_version_id, datetime(2026, 11, 29, 15),
              right=False)
    practised(person, question.id, question.current_version_id, datetime(2026, 11, 23, 1),
              right=True)

    report = build("profile", Filters(user_id=person.id))
    exams = rows_of(report, "考试成绩")
    assert exams["十一月考核"][2:] == (85.0, 60.0, "通过")
    weeks = rows_of(report, "练习")
    assert weeks == {"2026-11-30": (1, 1, 100.0), "2026-11-23": (2, 1, 50.0)}
    assert b"<script" not in report.charts[0].svg


def test_an_employee_is_not_told_a_score_before_the_exam_shows_it(teams):
    person = teams[0][1]
    later = exam("未截止考试", datetime(2099, 1, 1), review_when="after_close")
    graded(later, person, 77, datetime(2026, 11, 19, 2))
    assert "未截止考试" in rows_of(build("profile", Filters(user_id=person.id)), "考试成绩")
    released = build("profile_released", Filters(user_id=person.id))
    assert rows_of(released, "考试成绩") == {}


def test_learning_counts_read_confirmations_and_practice_by_department(teams, questions):  # noqa: F811
    from tests.manuals.samples import EDITION_1, parsed
    from training.manuals.services import confirm_reading, import_manuals

    one, two = teams
    (imported,) = import_manuals(parsed(EDITION_1), "制度.txt")
    imported.edition.requires_confirmation = True
    confirm_reading(one[0], imported.edition)
    confirm_reading(two[0], imported.edition)
    confirm_reading(two[1], imported.edition)
    question = questions[0]
    practised(one[2], question.id, question.current_version_id, datetime(2026, 11, 3, 4),
              right=False)
    db.session.commit()

    report = build("learning", Filters(department=CENTER))
    confirmations = {row[1]: row[2:] for row in next(
        t for t in report.tables if t.title.startswith("制度阅读确认")).rows}
    assert confirmations == {TEAM_ONE: (3, 1, 33.33), TEAM_TWO: (2, 2, 100.0)}
    unconfirmed = next(t for t in report.tables if t.title == "未确认阅读的人员")
    assert sorted(row[2] for row in unconfirmed.rows) == sorted(
        [one[1].display_name, one[2].display_name])
    practice = rows_of(report, "练习活跃度")
    assert practice[TEAM_ONE] == (3, 1, 33.33, 1, 0.33, 0.0)
    assert practice[TEAM_TWO][:4] == (2, 0, 0.0, 0)


# --- who sees whose profile ---------------------------------------------------------------


def test_an_employee_sees_only_their_own_profile(client, login_as, make_user):
    me = login_as("employee", department_path=TEAM_ONE)
    other = make_user(department_path=TEAM_ONE)
    page = client.get("/")
    assert 'href="/reports/me"' in page.get_data(as_text=True)
    assert client.get("/reports/me").headers["Location"].endswith(f"/reports/people/{me.id}")
    own = client.get(f"/reports/people/{me.id}").get_data(as_text=True)
    assert "成绩档案" in own and 'data-testid="export-xlsx"' not in own  # exports are HR's
    assert client.get(f"/reports/people/{other.id}").status_code == 404
    assert client.get("/reports/people/").status_code == 403
    assert client.get("/reports/teams").status_code == 403


def test_a_team_leader_sees_the_profiles_of_their_department_only(client, login_as, make_user):
    member = make_user(department_path=TEAM_ONE, display_name="一组组员")
    outsider = make_user(department_path=TEAM_TWO, display_name="二组组员")
    login_as("employee", department_path=TEAM_ONE, position="组长")
    assert client.get(f"/reports/people/{member.id}").status_code == 200
    assert client.get(f"/reports/people/{outsider.id}").status_code == 404
    listed = client.get("/reports/people/").get_data(as_text=True)
    assert "一组组员" in listed and "二组组员" not in listed


def test_hr_opens_any_profile_and_filters_the_people_list(client, login_as, make_user):
    one = make_user(department_path=TEAM_ONE, display_name="一组组员")
    make_user(department_path=TEAM_TWO, display_name="二组组员")
    login_as("hr", department_path="测试公司/人力资源部")
    profile = client.get(f"/reports/people/{one.id}").get_data(as_text=True)
    assert 'data-testid="export-xlsx"' in profile
    listed = client.get("/reports/people/", query_string={"department": TEAM_TWO})
    text = listed.get_data(as_text=True)
    assert "二组组员" in text and "一组组员" not in text


@pytest.mark.parametrize("path", ["/reports/teams?from=2026-11-01&to=2026-11-30",
                                  "/reports/learning", "/reports/weak-articles"])
def test_report_pages_render_for_hr(client, login_as, teams, path):
    login_as("hr")
    page = client.get(path)
    assert page.status_code == 200
    assert 'data-testid="report-filters"' in page.get_data(as_text=True)


def test_the_old_report_addresses_lead_to_the_reports(client, login_as, make_exam):  # noqa: F811
    login_as("hr", "trainer")
    assert client.get("/manuals/confirmations").headers["Location"].endswith("/reports/learning")
    quiz = make_exam()
    moved = client.get(f"/article-links/exams/{quiz.id}").headers["Location"]
    assert moved.endswith(f"/reports/weak-articles?exam={quiz.id}")


def test_the_team_and_profile_reports_export_the_page_s_numbers(teams):
    import io

    from openpyxl import load_workbook

    from training.reports.exports import export

    one, _two = teams
    november = exam("十一月考核", datetime(2026, 11, 20, 8))
    graded(november, one[0], 90, datetime(2026, 11, 19, 2))
    book = load_workbook(io.BytesIO(export(build("teams", NOV), "xlsx")))
    first = book.worksheets[0]
    rows = list(first.iter_rows(values_only=True))
    assert rows[0][:4] == ("部门", "应考人次", "参考人次", "参考率")
    by_department = {row[0]: row for row in rows[1:]}
    assert by_department[TEAM_ONE][1:3] == (3, 1)  # the same counts as the page
    profile = load_workbook(io.BytesIO(export(build("profile", Filters(user_id=one[0].id)),
                                              "xlsx")))
    exams = list(profile.worksheets[0].iter_rows(values_only=True))
    assert exams[1][0] == "十一月考核" and exams[1][3] == pytest.approx(0.9)  # a real percent
