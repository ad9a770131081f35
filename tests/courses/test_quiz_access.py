"""A lesson quiz through the exam's own URLs: locked lessons hold it, and its review keeps the
keys a formal exam of the learner still hides."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.courses.conftest import page_lesson, sit
from tests.exams.conftest import SECRET_EXPLANATION
from training.courses.services import LessonValues
from training.database import db
from training.exams.attempts import start_or_resume
from training.exams.models import Attempt


def attempts() -> int:
    return db.session.scalar(select(func.count(Attempt.id)))


def test_a_locked_lesson_quiz_cannot_be_started_through_the_exam_url_or_the_api(
    client, login_as, make_course, quiz
):
    login_as("employee")
    course = make_course([page_lesson("一"), LessonValues("quiz", exam_id=quiz.id)],
                         sequential=True)
    refused = client.post(f"/exams/{quiz.id}/start", follow_redirects=True)
    assert "本测验所在的课时尚未解锁" in refused.get_data(as_text=True)
    api = client.post(f"/api/v1/exams/{quiz.id}/attempts", json={})
    assert api.status_code == 409 and api.get_json()["error"] == "lesson_locked"
    assert attempts() == 0

    client.get(f"/courses/{course.id}/lessons/{course.lessons[0].id}")  # lesson 一 done
    started = client.post(f"/exams/{quiz.id}/start")
    assert "/exams/attempts/" in started.headers["Location"] and attempts() == 1


def test_a_quiz_unlocked_in_any_course_of_the_learner_can_be_started(
    client, login_as, make_course, quiz
):
    login_as("employee")
    make_course([page_lesson("一"), LessonValues("quiz", exam_id=quiz.id)], sequential=True)
    make_course([LessonValues("quiz", exam_id=quiz.id)], title="自由学习课程")
    assert client.post(f"/api/v1/exams/{quiz.id}/attempts", json={}).status_code == 200


def test_a_quiz_review_does_not_tell_the_key_of_an_open_formal_exam(
    client, login_as, make_course, make_exam, objective_only
):
    user = login_as("employee")
    quiz = make_exam(assign_root=False, title="带解析的课程测验", kind="quiz",
                     attempts_allowed=None, review_when="immediately", review_answers=True,
                     review_explanations=True)
    make_course([LessonValues("quiz", exam_id=quiz.id)])
    formal = make_exam(title="正式考试", review_when="after_close", review_answers=True,
                       review_explanations=True)
    start_or_resume(user, formal.id)  # open: its questions are the quiz's too
    db.session.commit()
    attempt = sit(user, quiz)
    page = client.get(f"/exams/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "答卷回顾" in page and SECRET_EXPLANATION not in page
    body = client.get(f"/api/v1/attempts/{attempt.id}").get_json()
    assert SECRET_EXPLANATION not in str(body) and "answer" not in body["review"][0]
