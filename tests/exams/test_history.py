"""考试记录: my finished attempts, scores only where the review policy shows them, the trend chart."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from tests.exams.helpers import sit_exam as sit
from training.database import db, utcnow
from training.exams.attempts import save_answer, start_or_resume, submit
from training.exams.history import score_trend

# The objective paper: 7 points. {1: B} scores 2 (28.57%), {1: B, 3: False} 3 (42.86%),
# {1: B, 2: A+C, 3: False} 5 (71.43%).
TWO, THREE, FIVE = {1: ["B"]}, {1: ["B"], 3: False}, {1: ["B"], 2: ["A", "C"], 3: False}



def history_rows(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'data-testid="history-row" data-attempt-id="(\d+)"', html)}


def chart_values(svg: str) -> list[str]:
    return re.findall(r'<desc class="value">([^<]*)</desc>', svg)


def series(svg: str) -> dict[str, list[str]]:
    """Legend name → the values of its line ("time: percent"), from pygal's series groups."""
    names = re.findall(r'id="activate-serie-(\d+)".*?<text[^>]*>([^<]*)</text>', svg, re.S)
    values: dict[str, list[str]] = {}
    for index, group in re.findall(r'<g class="series serie-(\d+) [^"]*">(.*?)(?=<g class="series|$)',
                                   svg, re.S):
        values.setdefault(index, []).extend(chart_values(group))
    return {name: values.get(index, []) for index, name in names}


def axis_labels(svg: str) -> list[str]:
    axis = svg.split('class="axis x', 1)[1].split('<g class="series', 1)[0]
    return re.findall(r"<text[^>]*>([^<]+)</text>", axis)


def test_history_lists_only_my_finished_attempts(client, login_as, make_exam, make_user,
                                                 objective_only):
    mock = make_exam(title="模拟考试甲", kind="mock", attempts_allowed=None,
                     review_when="immediately")
    me = login_as("employee")
    mine = [sit(mock, me, TWO), sit(mock, me, FIVE)]
    theirs = sit(mock, make_user(), THREE)
    start_or_resume(me, mock.id)  # in progress: not history yet
    db.session.commit()
    html = client.get("/exams/history").get_data(as_text=True)
    assert history_rows(html) == {a.id for a in mine} and theirs.id not in history_rows(html)
    assert "2 / 7" in html and "71.43%" in html and "通过" in html
    assert 'src="/exams/history/trend.svg"' in html


def test_scores_hidden_by_the_review_policy_are_not_shown(client, login_as, make_exam,
                                                          objective_only):
    closes = utcnow() + timedelta(days=1)
    formal = make_exam(title="正式考试乙", review_when="after_close", closes_at=closes)
    never = make_exam(title="不公布考试丙", review_when="never")
    me = login_as("employee")
    hidden = [sit(formal, me, FIVE), sit(never, me, THREE)]
    assert all(a.graded_at is not None for a in hidden)
    html = client.get("/exams/history").get_data(as_text=True)
    assert history_rows(html) == {a.id for a in hidden}
    assert "5 / 7" not in html and "71.43" not in html and "3 / 7" not in html
    assert "成绩将在考试结束后公布" in html and "本场考试不向考生公布成绩" in html
    assert "trend-chart" not in html and "还没有已公布的成绩" in html
    assert chart_values(client.get("/exams/history/trend.svg").get_data(as_text=True)) == []

    with time_machine.travel(closes + timedelta(minutes=1), tick=False):
        assert [p.percent for p in score_trend(me, utcnow())] == [71.43]  # after close: shown


def test_trend_chart_is_an_svg_of_my_visible_scores_only(client, login_as, make_exam, make_user,
                                                         objective_only):
    mock = make_exam(title="模拟考试丁", kind="mock", attempts_allowed=None,
                     review_when="immediately", pass_mark=60)
    me = login_as("employee")
    sit(mock, me, TWO)
    sit(mock, me, FIVE)
    sit(mock, make_user(), THREE)  # a colleague's 42.86% must not appear
    response = client.get("/exams/history/trend.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "no-store" in response.headers["Cache-Control"]
    svg = response.get_data(as_text=True)
    assert svg.lstrip().startswith(("<?xml", "<svg")) and "<script" not in svg
    assert [value.rsplit(": ", 1)[1] for value in chart_values(svg)] == ["28.57%", "71.43%"]
    assert "得分率" in svg and "及格线" in svg and "Noto Sans CJK SC" in svg
    assert "42.86" not in svg


def test_pending_review_is_said_not_scored(client, login_as, make_exam):
    exam = make_exam(review_when="immediately")
    me = login_as("employee")
    attempt = start_or_resume(me, exam.id)
    save_answer(attempt, attempt.questions[4].question_id, "先倾听再道歉", 1)
    submit(attempt)
    db.session.commit()
    html = client.get("/exams/history").get_data(as_text=True)
    assert history_rows(html) == {attempt.id} and "待阅卷" in html


def test_empty_history(client, login_as):
    login_as("employee")
    html = client.get("/exams/history").get_data(as_text=True)
    assert "还没有完成的考试" in html and "history-table" not in html


def test_lesson_quizzes_have_their_own_list_in_my_exams(client, login_as, make_exam):
    make_exam(title="第一课随堂测验", kind="quiz", attempts_allowed=None)
    make_exam(title="季度正式考试")
    login_as("employee")
    html = client.get("/exams/").get_data(as_text=True)
    quiz_section = html.split('data-testid="group-quiz"')[1]
    assert "第一课随堂测验" in quiz_section and "季度正式考试" not in quiz_section
    assert "季度正式考试" in html.split('data-testid="group-available"')[1].split("group-quiz")[0]
    assert "考试记录与成绩趋势" in html


def test_trend_chart_draws_one_line_per_exam_with_distinct_time_labels(
    client, login_as, make_exam, objective_only
):
    start = utcnow().replace(hour=2, minute=0, second=0, microsecond=0) - timedelta(days=3)
    mock = make_exam(title="模拟考试戊", kind="mock", attempts_allowed=None,
                     review_when="immediately", pass_mark=60, opens_at=start)
    formal = make_exam(title="正式考试己", review_when="immediately", pass_mark=80,
                       opens_at=start)
    me = login_as("employee")
    # three mock attempts on one day, minutes apart, and a formal one two days later
    for minutes, answers in ((0, TWO), (0.2, FIVE), (7, THREE)):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            sit(mock, me, answers)
    with time_machine.travel(start + timedelta(days=2), tick=False):
        sit(formal, me, FIVE)
    svg = client.get("/exams/history/trend.svg").get_data(as_text=True)
    lines = series(svg)
    assert [v.rsplit(": ", 1)[1] for v in lines["模拟考试戊（模拟考试）"]] == [
        "28.57%", "71.43%", "42.86%"
    ]
    assert [v.rsplit(": ", 1)[1] for v in lines["正式考试己（正式考试）"]] == ["71.43%"]
    assert "及格线 60%" in lines and "及格线 80%" in lines
    labels = axis_labels(svg)
    assert labels and len(labels) == len(set(labels))  # days here: no label twice
    assert all(re.fullmatch(r"\d\d-\d\d", label) for label in labels)


def test_scores_of_one_day_are_labelled_by_minute_without_twins(app):
    from datetime import datetime

    from training.exams.charts import time_axis

    moments = [datetime(2026, 12, 5, 9, 0, 5), datetime(2026, 12, 5, 9, 0, 40),
               datetime(2026, 12, 5, 9, 30)]
    ticks, label, title = time_axis(moments)
    assert [label(tick) for tick in ticks] == ["09:00", "09:30"] and title == "2026-12-05"
    many = [datetime(2026, 1, 1, 8) + timedelta(days=i) for i in range(40)]
    ticks, label, title = time_axis(many)
    texts = [label(tick) for tick in ticks]
    assert len(texts) == 10 == len(set(texts)) and texts[0] == "01-01" and texts[-1] == "02-09"
