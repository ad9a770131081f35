"""The audience rule: one reach for exams and courses (training/people/audience.py)."""

from __future__ import annotations

from sqlalchemy import select

from training.courses.models import CourseAssignment
from training.courses.progress import learner_progress
from training.courses.reports import course_report
from training.database import db, utcnow
from training.exams.availability import exam_statuses
from training.exams.models import ExamAssignment
from training.exams.services import assign_exam, remove_exam_assignment
from training.people.audience import reached_user_ids, targets
from training.people.services import ensure_department, set_active


def _people(make_user):
    """Who sits in and around 测试公司/客服_A (the '_' must not act as a LIKE wildcard)."""
    return {
        "member": make_user(department_path="测试公司/客服_A"),
        "below": make_user(department_path="测试公司/客服_A/一组"),
        "lookalike": make_user(department_path="测试公司/客服XA"),
        "trainer": make_user(roles=("trainer",), department_path="测试公司/客服_A"),
        "both": make_user(roles=("employee", "trainer"), department_path="测试公司/客服_A"),
        "named_trainer": make_user(roles=("trainer",), department_path="别处"),
        "gone": make_user(department_path="测试公司/客服_A"),
        "no_department": make_user(department_path=None),
    }


REACHED = {"member", "below", "both", "named_trainer"}


def _assign_both(make_exam, make_course, people):
    department = ensure_department("测试公司/客服_A")
    exam = make_exam(assign_root=False)
    assign_exam(exam, targets([department.id], [], [people["named_trainer"].id]), actor=None)
    course = make_course(assign=("测试公司/客服_A",), users=(people["named_trainer"],))
    set_active(people["gone"], False)
    db.session.commit()
    return exam, course


def test_a_department_reaches_its_active_employees_below_it_and_a_name_reaches_anyone(
    make_user, make_exam, make_course
):
    people = _people(make_user)
    exam, course = _assign_both(make_exam, make_course, people)
    now = utcnow()
    sees_exam = {name for name, user in people.items()
                 if any(s.exam.id == exam.id for s in exam_statuses(user, now))}
    sees_course = {name for name, user in people.items()
                   if any(p.course.id == course.id for p in learner_progress(user, now))}
    assert sees_exam == sees_course == REACHED


def test_the_reach_from_the_assignments_matches_the_reach_from_each_user(
    make_user, make_exam, make_course
):
    people = _people(make_user)
    exam, course = _assign_both(make_exam, make_course, people)
    names = {user.id: name for name, user in people.items()}
    for model, criterion in ((ExamAssignment, ExamAssignment.exam_id == exam.id),
                             (CourseAssignment, CourseAssignment.course_id == course.id)):
        ids = db.session.scalars(reached_user_ids(model, criterion)).all()
        assert len(ids) == len(set(ids))
        assert {names[i] for i in ids} == REACHED
    report = course_report(course, utcnow())
    assert {names[learner.user.id] for learner in report.learners} == REACHED


def test_a_removed_assignment_reaches_nobody(make_user, make_exam, make_course):
    people = _people(make_user)
    exam, _course = _assign_both(make_exam, make_course, people)
    department_row = next(a for a in exam.assignments if a.department_id is not None)
    remove_exam_assignment(department_row, actor=None)
    db.session.commit()
    reached = db.session.scalars(
        reached_user_ids(ExamAssignment, ExamAssignment.exam_id == exam.id)
    ).all()
    assert reached == [people["named_trainer"].id]
    assert db.session.scalar(select(ExamAssignment.id).where(
        ExamAssignment.exam_id == exam.id, ExamAssignment.department_id.is_not(None))) is None
