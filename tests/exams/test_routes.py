"""The exam pages: 我的考试, start, the exam page, results per policy, and the trainer's pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.exams.conftest import SECRET_EXPLANATION, SECRET_REFERENCE
from training.database import db, utcnow
from training.exams.attempts import record_event, save_answer, start_or_resume, submit
from training.exams.models import Answer, Attempt, Exam, ExamOverride


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_employee_sees_and_starts_an_exam(client, login_as, make_exam):
    exam = make_exam(title="服务规范正式考试")
    login_as("employee")
    listing = page(client.get("/exams/"))
    assert "服务规范正式考试" in listing and "可以参加" in listing
    assert "开始考试" in page(client.get(f"/exams/{exam.id}"))
    started = client.post(f"/exams/{exam.id}/start")
    assert started.status_code == 302 and "/exams/attempts/" in started.headers["Location"]
    again = client.post(f"/exams/{exam.id}/start")
    assert again.headers["Location"] == started.headers["Location"]
    taking = page(client.get(started.headers["Location"]))
    assert 'data-exam' in taking and "第 5 题" in taking and "负责到底" in taking
    assert "继续作答" in page(client.get("/exams/"))


def test_reload_restores_saved_answers_and_the_remaining_time(client, login_as, make_exam):
    exam = make_exam(time_limit_minutes=30)
    user = login_as("employee")
    attempt = start_or_resume(user, exam.id, now=utcnow() - timedelta(minutes=10))
    ids = [q.question_id for q in attempt.questions]
    save_answer(attempt, ids[0], ["B"], 4)
    save_answer(attempt, ids[2], False, 1)
    save_answer(attempt, ids[3], ["倾听", "解决"], 2)
    save_answer(attempt, ids[4], "先倾听客户", 3)
    db.session.commit()
    html = page(client.get(f"/exams/attempts/{attempt.id}"))
    assert 'value="B" checked' in html
    assert 'value="false" checked' in html
    assert 'value="倾听"' in html and "先倾听客户</textarea>" in html
    assert 'data-seq="4"' in html
    remaining = int(html.split('data-remaining="')[1].split('"')[0])
    assert 1190 <= remaining <= 1200


def test_password_is_asked_and_checked(client, login_as, make_exam):
    exam = make_exam(password="kaochang-7")
    login_as("employee")
    assert 'name="password"' in page(client.get(f"/exams/{exam.id}"))
    wrong = client.post(f"/exams/{exam.id}/start", data={"password": "x"}, follow_redirects=True)
    assert "考试密码不正确" in page(wrong)
    right = client.post(f"/exams/{exam.id}/start", data={"password": "kaochang-7"})
    assert "/exams/attempts/" in right.headers["Location"]


def test_formal_result_waits_for_close_and_mock_review_shows_everything(client, login_as, make_exam):
    user = login_as("employee")
    formal = make_exam(review_when="after_close")
    attempt = start_or_resume(user, formal.id)
    submit(attempt)
    db.session.commit()
    html = page(client.get(f"/exams/attempts/{attempt.id}/result"))
    assert "成绩将在考试结束后公布" in html
    assert SECRET_EXPLANATION not in html and SECRET_REFERENCE not in html

    mock = make_exam(kind="mock", attempts_allowed=None, review_when="immediately",
                     review_answers=True, review_explanations=True)
    client.post("/logout")
    user = login_as("employee")  # a colleague: the formal attempt above hides these keys from its examinee
    attempt = start_or_resume(user, mock.id)
    save_answer(attempt, attempt.questions[4].question_id, "倾听", 1)
    submit(attempt)
    db.session.commit()
    html = page(client.get(f"/exams/attempts/{attempt.id}/result"))
    assert "待阅卷" in html and SECRET_EXPLANATION in html and SECRET_REFERENCE in html
    # a finished attempt's exam page sends the examinee to the result
    assert client.get(f"/exams/attempts/{attempt.id}").status_code == 302


def test_trainer_creates_and_configures_an_exam(client, login_as, paper, make_user):
    login_as("trainer")
    form = page(client.get("/exams/manage/new?kind=mock"))
    assert "考试密码" in form and "允许的网段" in form
    response = client.post("/exams/manage/new", data={
        "title": "新模拟考试", "kind": "mock", "paper_id": paper.id,
        "opens_at": "2026-05-01T09:00", "closes_at": "2026-05-01T11:00",
        "time_limit_minutes": "45", "attempts_allowed": "", "grading_method": "highest",
        "pass_mark": "60", "multiple_rule": "partial", "navigation": "free",
        "review_when": "immediately", "review_score": "y", "review_answers": "y",
        "allowed_networks": "10.0.0.0/8", "password": "",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    exam = db.session.scalars(select(Exam)).one()
    assert exam.attempts_allowed is None and exam.multiple_rule == "partial"
    assert exam.opens_at.hour == 1  # 09:00 in Shanghai is 01:00 UTC
    student = make_user(username="li.si", employee_no="E9001", department_path="示范/一组")
    assign = client.post(f"/exams/manage/{exam.id}/assign",
                         data={"departments": [student.department_id], "users": "E9001, nobody"},
                         follow_redirects=True)
    assert "找不到这些考生：nobody" in page(assign)
    client.post(f"/exams/manage/{exam.id}/assign", data={"departments": [student.department_id],
                                                          "users": "li.si"})
    db.session.expire_all()
    assert {(a.department_id, a.user_id) for a in exam.assignments} == {
        (student.department_id, None), (None, student.id)
    }
    client.post(f"/exams/manage/{exam.id}/overrides", data={"user": "li.si", "extra_minutes": "20"})
    assert db.session.scalars(select(ExamOverride)).one().extra_minutes == 20
    assert "新模拟考试" in page(client.get("/exams/manage/"))


def test_trainer_sees_attempts_with_focus_events_and_grades_the_queue(
    client, login_as, make_exam, make_user
):
    exam = make_exam()
    student = make_user(display_name="王小明")
    attempt = start_or_resume(student, exam.id)
    essay = attempt.questions[4].question_id
    save_answer(attempt, essay, "我会先倾听客户的诉求。", 1)
    record_event(attempt, "focus_lost")
    record_event(attempt, "focus_back")
    submit(attempt)
    db.session.commit()
    trainer = login_as("trainer")
    listing = page(client.get(f"/exams/manage/{exam.id}/attempts"))
    assert "王小明" in listing and "离开考试页面" in listing and "待阅卷" in listing
    queue = page(client.get(f"/exams/manage/{exam.id}/grading"))
    assert "我会先倾听客户的诉求。" in queue and SECRET_REFERENCE in queue
    assert "建议 2" in queue  # the 倾听 scoring point matched
    answer = db.session.scalar(select(Answer).filter_by(question_id=essay))
    client.post(f"/exams/manage/answers/{answer.id}/grade", data={"points": "2.5", "comment": "好"})
    db.session.expire_all()
    graded = db.session.get(Attempt, attempt.id)
    assert graded.graded_at is not None and graded.score == 2.5
    assert db.session.get(Answer, answer.id).graded_by_id == trainer.id
    assert "没有待阅的答卷" in page(client.get(f"/exams/manage/{exam.id}/grading"))


@pytest.mark.parametrize("url", ["/exams/manage/", "/exams/manage/new"])
def test_employees_cannot_manage_exams(client, login_as, url):
    login_as("employee")
    assert client.get(url).status_code == 403


def test_list_pages_do_not_grow_queries_with_rows(client, login_as, make_exam, make_user, count_queries):
    exam = make_exam(attempts_allowed=None)
    for _ in range(2):
        attempt = start_or_resume(make_user(), exam.id)
        record_event(attempt, "focus_lost")
    db.session.commit()
    login_as("trainer")
    with count_queries() as few:
        page(client.get(f"/exams/manage/{exam.id}/attempts"))
    for _ in range(6):
        attempt = start_or_resume(make_user(), exam.id)
        record_event(attempt, "focus_lost")
    db.session.commit()
    with count_queries() as many:
        page(client.get(f"/exams/manage/{exam.id}/attempts"))
    assert many.count == few.count
