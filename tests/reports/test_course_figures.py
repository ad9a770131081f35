"""Course completion and overdue in the team and learning reports, counted against the raw
progress, and report queries that do not grow with the number of people."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tests.courses.conftest import make_course, page_lesson  # noqa: F401  (fixture)
from tests.reports.history import CENTER, TEAM_ONE, TEAM_TWO, exam, graded
from training.courses.progress import open_lesson, progress_for
from training.database import db, utcnow
from training.reports.document import build
from training.reports.filters import Filters


def test_course_completion_and_overdue_by_department(make_user, make_course):  # noqa: F811
    done = make_user(department_path=TEAM_ONE)
    late = make_user(department_path=TEAM_ONE)
    also_late = make_user(department_path=TEAM_TWO)
    now = utcnow()
    course = make_course([page_lesson("一")], now=now - timedelta(days=10),
                         due_in=timedelta(days=3))  # due a week ago
    open_lesson(done, progress_for(done, course.id, now).lessons[0], now)
    db.session.commit()

    learning = build("learning", Filters(department=CENTER))
    rows = {row[0]: row[1:] for row in learning.tables[0].rows}
    # assigned, done, completion, overdue
    assert rows[TEAM_ONE] == (2, 1, 50.0, 1)
    assert rows[TEAM_TWO] == (1, 0, 0.0, 1)
    assert rows["合计"] == (3, 1, 33.33, 2)
    assert {late.display_name, also_late.display_name} < {
        row[1] for row in build("learning", Filters(course_id=course.id)).tables[1].rows}

    # due a week ago: this week's comparison has no course, the week before has all three
    start = now.date() - timedelta(days=1 if (now.date() - timedelta(days=1)).day != 1 else 2)
    this_week = build("teams", Filters(start, start + timedelta(days=6), department=CENTER))
    total = {row[0]: row for row in this_week.tables[0].rows}["合计"]
    assert total[7] == 0
    before = {row[0]: row for row in this_week.tables[1].rows}["合计"]
    assert (before[7], before[8], before[9]) == (3, 33.33, 2)


def test_the_team_report_asks_the_same_queries_for_five_or_fifty_people(make_user,
                                                                       count_queries):
    november = exam("十一月考核", datetime(2026, 11, 20, 8))
    filters = Filters(date(2026, 11, 1), date(2026, 11, 30), department=CENTER)

    def add_people(count: int) -> None:
        for index in range(count):
            person = make_user(department_path=(TEAM_ONE, TEAM_TWO)[index % 2])
            graded(november, person, 50 + index % 50, datetime(2026, 11, 19, 2))

    add_people(5)
    with count_queries() as few:
        build("teams", filters)
    add_people(45)
    with count_queries() as many:
        build("teams", filters)
    assert many.count == few.count
