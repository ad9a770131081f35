"""Course completion in SQL (`lesson_done`, `course_done`, the report's `standings`) agrees
with `learner_progress`:
page lessons by their stored completion, quiz lessons by a pass the review policy shows now
(hidden until the last per-user window closes), a failed quiz, nothing done at all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.courses.conftest import page_lesson, sit
from training.courses.models import Course, Lesson
from training.courses.progress import course_done, learner_progress, lesson_done, open_lesson
from training.courses.reports import course_report
from training.courses.services import LessonValues
from training.database import db, utcnow
from training.exams.models import ExamOverride, ReviewWhen
from training.people.models import User


def _in_sql(course: Course, users: list[User], now) -> dict[int, tuple[list[bool], bool]]:
    """user id → (each lesson done, course done), by the SQL forms."""
    ids = [user.id for user in users]
    lessons: dict[int, list[bool]] = {user_id: [] for user_id in ids}
    for user_id, done in db.session.execute(
        select(User.id, lesson_done(now)).join(Lesson, Lesson.course_id == course.id)
        .where(User.id.in_(ids)).order_by(User.id, Lesson.ordinal)
    ):
        lessons[user_id].append(bool(done))
    courses = dict(db.session.execute(
        select(User.id, course_done(now)).join(Course, Course.id == course.id)
        .where(User.id.in_(ids))
    ).all())
    return {user_id: (lessons[user_id], bool(courses[user_id])) for user_id in ids}


def _in_python(course: Course, user: User, now) -> tuple[list[bool], bool]:
    (progress,) = learner_progress(user, now, course.id)
    return [state.done for state in progress.lessons], progress.done


def _numbers(progress) -> tuple:
    return (progress.status, progress.percent, progress.due_at, progress.completed_at,
            progress.overdue)


def _report_rows(course: Course, now) -> dict[int, tuple]:
    """user id → what the report shows of them, counted in SQL."""
    return {learner.user.id: _numbers(learner.progress)
            for learner in course_report(course, now).learners}


@pytest.mark.parametrize("review_when", [ReviewWhen.IMMEDIATELY, ReviewWhen.AFTER_CLOSE])
def test_course_completion_is_the_same_in_sql(make_user, make_course, quiz, review_when):
    quiz.review_when = review_when
    db.session.commit()
    course = make_course([page_lesson("一"), page_lesson("二"), LessonValues("quiz", exam_id=quiz.id)])
    done, partial, failed, idle = (make_user() for _ in range(4))
    now = utcnow()
    for user in (done, partial, failed):
        for n in (0, 1) if user is not partial else (0,):
            (progress,) = learner_progress(user, now, course.id)
            open_lesson(user, progress.lessons[n], now)
        db.session.commit()
    sit(done, quiz)
    sit(failed, quiz, right=False)
    db.session.add(ExamOverride(exam_id=quiz.id, user_id=idle.id,
                                closes_at=quiz.closes_at + timedelta(days=1)))
    db.session.commit()
    users = [done, partial, failed, idle]
    for moment in (now, quiz.closes_at, quiz.closes_at + timedelta(days=2)):
        db.session.expire_all()
        expected = {user.id: _in_python(course, user, moment) for user in users}
        assert _in_sql(course, users, moment) == expected, moment
        assert _report_rows(course, moment) == {
            user.id: _numbers(learner_progress(user, moment, course.id)[0]) for user in users
        }, moment
    assert _in_python(course, done, now)[1] is (review_when == ReviewWhen.IMMEDIATELY)
