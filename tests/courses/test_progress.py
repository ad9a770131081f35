"""The completion rules, progress, due dates and who a course reaches."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.courses.conftest import page_lesson, sit
from training.audit.models import AuditEvent
from training.courses.models import CourseCompletion, LessonProgress
from training.courses.progress import (
    LessonLocked,
    complete_reading,
    learner_progress,
    open_lesson,
    progress_for,
    record_completions,
)
from training.courses.services import LessonValues, add_lesson, assign_course
from training.database import db, utcnow
from training.errors import DomainError, NotFound
from training.exams.availability import is_assigned
from training.people.audience import targets
from training.people.services import ensure_department


def course_state(user, course, now=None):
    db.session.expire_all()
    return progress_for(user, course.id, now or utcnow())


def open_nth(user, course, n: int, now=None):
    now = now or utcnow()
    open_lesson(user, course_state(user, course, now).lessons[n], now)
    db.session.commit()


def test_an_opened_lesson_is_done_at_the_first_open_and_keeps_that_time(make_user, make_course):
    user = make_user()
    course = make_course([page_lesson()])
    assert course_state(user, course).lessons[0].status == "not_started"
    first = utcnow()
    open_nth(user, course, 0, first)
    open_nth(user, course, 0, first + timedelta(minutes=5))
    state = course_state(user, course).lessons[0]
    assert (state.done, state.opened_at, state.done_at) == (True, first, first)
    assert db.session.scalar(select(func.count(LessonProgress.id))) == 1


def test_min_time_lesson_is_refused_early_and_accepted_once_the_time_has_passed(
    make_user, make_course
):
    user = make_user()
    course = make_course([page_lesson("制度精读", "min_time", 60)])
    with time_machine.travel(utcnow(), tick=False) as clock:
        open_nth(user, course, 0)
        assert course_state(user, course).lessons[0].status == "in_progress"
        clock.shift(timedelta(seconds=45))
        state = course_state(user, course).lessons[0]
        assert (state.seconds_left, state.percent) == (15, 75)
        with pytest.raises(DomainError, match="请再阅读 15 秒"):
            complete_reading(user, state, utcnow())
        db.session.rollback()
        assert not course_state(user, course).lessons[0].done

        clock.shift(timedelta(seconds=15))
        complete_reading(user, course_state(user, course).lessons[0], utcnow())
        db.session.commit()
        state = course_state(user, course).lessons[0]
        assert (state.done, state.percent, state.seconds_left) == (True, 100, 0)


def test_reading_time_counts_from_the_first_open_not_the_latest(make_user, make_course):
    user = make_user()
    course = make_course([page_lesson("制度精读", "min_time", 60)])
    with time_machine.travel(utcnow(), tick=False) as clock:
        open_nth(user, course, 0)
        clock.shift(timedelta(seconds=50))
        open_nth(user, course, 0)  # coming back does not restart the clock
        clock.shift(timedelta(seconds=10))
        complete_reading(user, course_state(user, course).lessons[0], utcnow())
        db.session.commit()
    assert course_state(user, course).lessons[0].done


def test_an_opened_rule_lesson_needs_no_reading_confirmation(make_user, make_course):
    user = make_user()
    course = make_course([page_lesson()])
    with pytest.raises(DomainError, match="不需要确认阅读"):
        complete_reading(user, course_state(user, course).lessons[0], utcnow())


def test_a_quiz_lesson_is_done_when_an_attempt_passes_not_when_one_fails(
    make_user, make_course, quiz
):
    user = make_user()
    course = make_course([page_lesson(), LessonValues("quiz", exam_id=quiz.id)])
    quiz_state = course_state(user, course).lessons[1]
    assert (quiz_state.lesson.title, quiz_state.status) == ("服务规范课程测验", "not_started")

    failed = sit(user, quiz, right=False)
    assert failed.passed is False
    assert course_state(user, course).lessons[1].status == "in_progress"

    passed = sit(user, quiz)
    state = course_state(user, course).lessons[1]
    assert (passed.passed, state.done, state.done_at) == (True, True, passed.graded_at)


def test_a_pass_the_review_policy_still_hides_counts_only_once_it_is_shown(
    make_user, make_course, make_exam, objective_only
):
    exam = make_exam(assign_root=False, title="结束后公布的测验", kind="quiz",
                     attempts_allowed=None, review_when="after_close")
    user = make_user()
    course = make_course([LessonValues("quiz", exam_id=exam.id)])
    sit(user, exam)
    assert not course_state(user, course).lessons[0].done
    after_close = exam.closes_at + timedelta(minutes=1)
    assert course_state(user, course, after_close).lessons[0].done


def test_progress_percent_and_a_completion_recorded_once(make_user, make_course, quiz):
    user = make_user()
    course = make_course([page_lesson("一"), page_lesson("二"), LessonValues("quiz", exam_id=quiz.id)])
    assert (course_state(user, course).percent, course_state(user, course).status) == (0, "not_started")
    open_nth(user, course, 0)
    assert (course_state(user, course).percent, course_state(user, course).status) == (33, "in_progress")
    open_nth(user, course, 1)
    assert course_state(user, course).percent == 66
    attempt = sit(user, quiz)
    progress = course_state(user, course)
    assert (progress.percent, progress.done, progress.completed_at) == (100, True, attempt.graded_at)

    assert record_completions(user, [progress]) == 1
    db.session.commit()
    assert record_completions(user, [course_state(user, course)]) == 0
    db.session.commit()
    stored = db.session.scalar(select(CourseCompletion))
    assert (stored.user_id, stored.completed_at) == (user.id, attempt.graded_at)
    events = db.session.scalars(select(AuditEvent).filter_by(action="course.completed")).all()
    assert [(e.actor_id, e.target_id) for e in events] == [(user.id, course.id)]


def test_an_empty_course_is_never_done(make_user, make_course):
    user = make_user()
    progress = course_state(user, make_course([]))
    assert (progress.percent, progress.done, progress.status) == (0, False, "not_started")


def test_overdue_once_the_due_date_passes_unless_the_course_is_done(make_user, make_course):
    late, finished = make_user(), make_user()
    course = make_course([page_lesson()], due_in=timedelta(days=1))
    open_nth(finished, course, 0)
    assert not course_state(late, course).overdue
    two_days_on = utcnow() + timedelta(days=2)
    assert course_state(late, course, two_days_on).overdue
    assert not course_state(finished, course, two_days_on).overdue


def test_a_department_assignment_reaches_employees_of_its_whole_subtree(make_user, make_course):
    in_team = make_user(department_path="测试公司/客服中心/一组")
    in_center = make_user(department_path="测试公司/客服中心")
    elsewhere = make_user(department_path="测试公司/人事部")
    trainer_in_team = make_user(roles=("trainer",), department_path="测试公司/客服中心/一组")
    named_trainer = make_user(roles=("trainer",), department_path="测试公司/培训部")
    course = make_course(assign=("测试公司/客服中心",), users=(named_trainer,))
    reached = {u.username for u in (in_team, in_center, elsewhere, trainer_in_team, named_trainer)
               if learner_progress(u, utcnow())}
    assert reached == {in_team.username, in_center.username, named_trainer.username}
    with pytest.raises(NotFound):
        progress_for(elsewhere, course.id, utcnow())


def test_the_earliest_due_date_among_a_learners_assignments_applies(make_user, make_course):
    user = make_user()
    now = utcnow()
    course = make_course(due_in=timedelta(days=30), now=now)
    assign_course(course, targets([], [], [user.id]), now + timedelta(days=3), actor=None, now=now)
    db.session.commit()
    assert course_state(user, course).due_at == now + timedelta(days=3)


def test_learner_list_puts_unfinished_soonest_due_first(make_user, make_course):
    user = make_user()
    later = make_course(title="三十天课程", due_in=timedelta(days=30))
    sooner = make_course(title="七天课程", due_in=timedelta(days=7))
    finished = make_course(title="已学完课程", due_in=timedelta(days=1))
    open_nth(user, finished, 0)
    titles = [p.course.title for p in learner_progress(user, utcnow())]
    assert titles == [sooner.title, later.title, finished.title]


def test_a_sequential_course_locks_each_lesson_until_the_ones_before_are_done(
    make_user, make_course
):
    user = make_user()
    course = make_course([page_lesson("一"), page_lesson("二")], sequential=True)
    assert [s.locked for s in course_state(user, course).lessons] == [False, True]
    with pytest.raises(LessonLocked):
        open_lesson(user, course_state(user, course).lessons[1], utcnow())
    open_nth(user, course, 0)
    assert [s.locked for s in course_state(user, course).lessons] == [False, False]

    free = make_course([page_lesson("一"), page_lesson("二")], title="自由顺序课程")
    open_nth(user, free, 1)
    assert [s.done for s in course_state(user, free).lessons] == [False, True]


def test_assigning_a_course_opens_its_quiz_to_the_same_people(make_user, make_course, quiz):
    employee = make_user()
    named = make_user(department_path="其他公司/某组")
    outsider = make_user(department_path="其他公司/某组")
    make_course([LessonValues("quiz", exam_id=quiz.id)], users=(named,))
    assert is_assigned(quiz, employee) and is_assigned(quiz, named)
    assert not is_assigned(quiz, outsider)


def test_a_quiz_added_to_an_assigned_course_is_opened_to_its_learners(
    make_user, make_course, quiz
):
    employee = make_user()
    course = make_course([page_lesson()])
    assert not is_assigned(quiz, employee)
    add_lesson(course, LessonValues("quiz", exam_id=quiz.id), actor=None)
    db.session.commit()
    assert is_assigned(quiz, employee)


def test_assigning_again_changes_the_due_date_without_a_twin(make_user, make_course):
    course = make_course(due_in=timedelta(days=7))
    company = ensure_department("测试公司")
    later = utcnow() + timedelta(days=20)
    assign_course(course, targets([company.id], [], []), later, actor=None)
    db.session.commit()
    assert [(a.department_id, a.due_at) for a in course.assignments] == [(company.id, later)]


def test_learner_progress_takes_a_fixed_number_of_queries(
    make_user, make_course, quiz, count_queries
):
    user = make_user()
    make_course([page_lesson(), LessonValues("quiz", exam_id=quiz.id)], title="课程一")
    make_course([page_lesson("甲"), page_lesson("乙")], title="课程二")
    db.session.expire_all()
    with count_queries() as two_courses:
        assert len(learner_progress(user, utcnow())) == 2
    for n in range(3):
        make_course([page_lesson(), page_lesson("二")], title=f"更多课程{n}")
    db.session.expire_all()
    with count_queries() as five_courses:
        assert len(learner_progress(user, utcnow())) == 5
    assert five_courses.count == two_courses.count <= 10  # 8, and 2 to reload the user
