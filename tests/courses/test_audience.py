"""The audience rule: one reach for exams, courses and role-play scenarios
(training/people/audience.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests.roleplay.factories import saved_scenario
from training.courses.models import CourseAssignment
from training.courses.progress import learner_progress, open_lesson, overdue_learners
from training.courses.reports import course_report
from training.courses.services import LessonValues, assign_course
from training.database import db, utcnow
from training.exams.availability import exam_statuses
from training.exams.models import ExamAssignment
from training.exams.services import assign_exam, exam_reach, remove_exam_assignment
from training.people.audience import ReachCounts, Target, reached_user_ids, target_of, targets
from training.people.services import ensure_department, set_active
from training.roleplay.models import ScenarioAssignment
from training.roleplay.services import assign_scenario, open_scenarios, scenario_reach


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


# --- positions, counts, due dates ------------------------------------------------------------


def _staff(make_user):
    """Team leaders and agents in two teams, plus people a position must not reach."""
    return {
        "lead_a": make_user(department_path="测试公司/热线一组", position="组长"),
        "lead_a_below": make_user(department_path="测试公司/热线一组/夜班", position="组长"),
        "agent_a": make_user(department_path="测试公司/热线一组", position="客服专员"),
        "lead_b": make_user(department_path="测试公司/热线二组", position="组长"),
        "lead_trainer": make_user(roles=("trainer",), department_path="测试公司/热线一组",
                                  position="组长"),
        "lead_gone": make_user(department_path="测试公司/热线二组", position="组长"),
        "lookalike": make_user(department_path="测试公司/热线一组", position="组长助理"),
    }


def _reached(model, criterion, people) -> set[str]:
    names = {user.id: name for name, user in people.items()}
    return {names[i] for i in db.session.scalars(reached_user_ids(model, criterion))}


def test_a_position_reaches_its_active_employees_anywhere_and_within_a_department_only_there(
    make_user, make_exam, make_course
):
    people = _staff(make_user)
    set_active(people["lead_gone"], False)
    team_a = ensure_department("测试公司/热线一组")
    anywhere, within = make_exam(assign_root=False), make_exam(assign_root=False)
    assign_exam(anywhere, targets([], ["组长"], []), actor=None)
    assign_exam(within, targets([team_a.id], ["组长"], []), actor=None)
    course = make_course(assign=())
    assign_course(course, targets([team_a.id], ["组长"], []), utcnow() + timedelta(days=3),
                  actor=None)
    scenario = saved_scenario()
    assign_scenario(scenario, targets([team_a.id], ["组长"], []), actor=None)
    db.session.commit()

    assert _reached(ExamAssignment, ExamAssignment.exam_id == anywhere.id, people) == {
        "lead_a", "lead_a_below", "lead_b"}
    within_a = {"lead_a", "lead_a_below"}
    assert _reached(ExamAssignment, ExamAssignment.exam_id == within.id, people) == within_a
    assert _reached(CourseAssignment, CourseAssignment.course_id == course.id, people) == within_a
    now = utcnow()
    sees = {name for name, user in people.items()
            if any(s.exam.id == within.id for s in exam_statuses(user, now))}
    learns = {name for name, user in people.items()
              if any(p.course.id == course.id for p in learner_progress(user, now))}
    plays = {name for name, user in people.items()
             if any(s.scenario.id == scenario.id for s in open_scenarios(user, now))}
    assert sees == learns == plays == within_a
    assert _reached(ScenarioAssignment, ScenarioAssignment.scenario_id == scenario.id,
                    people) == within_a
    assert scenario_reach(scenario).total == len(within_a)


def test_a_course_shares_a_position_within_a_department_with_its_scenario_lesson(
    make_user, make_course
):
    people = _staff(make_user)
    team_a = ensure_department("测试公司/热线一组")
    scenario = saved_scenario()
    course = make_course([LessonValues("scenario", scenario_id=scenario.id)], assign=())
    assign_course(course, targets([team_a.id], ["组长"], []), utcnow() + timedelta(days=3),
                  actor=None)
    db.session.commit()
    assert [target_of(a) for a in scenario.assignments] == [Target(team_a.id, "组长")]
    assert _reached(ScenarioAssignment, ScenarioAssignment.scenario_id == scenario.id,
                    people) == {"lead_a", "lead_a_below"}


def test_an_assignment_names_someone_and_each_target_once(make_user, make_exam):
    people = _staff(make_user)
    exam = make_exam(assign_root=False)
    db.session.add(ExamAssignment(exam_id=exam.id))  # names nobody: it would reach everyone
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    team_a = ensure_department("测试公司/热线一组")
    for _twice in range(2):
        assign_exam(exam, targets([team_a.id], ["组长", "客服专员"], [people["lead_b"].id]),
                    actor=None)
    assign_exam(exam, targets([team_a.id], [], []), actor=None)
    assign_exam(exam, targets([], ["组长"], []), actor=None)
    db.session.commit()
    rows = [target_of(a) for a in exam.assignments]
    assert len(rows) == 5 and set(rows) == {
        Target(team_a.id, "客服专员"), Target(team_a.id, "组长"), Target(user_id=people["lead_b"].id),
        Target(team_a.id), Target(position="组长"),
    }
    for twin in (Target(team_a.id), Target(position="组长"), Target(team_a.id, "组长")):
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(ExamAssignment(exam_id=exam.id, department_id=twin.department_id,
                                          position=twin.position))
            db.session.flush()


def test_the_panel_count_is_who_each_assignment_and_all_of_them_reach(make_user, make_exam):
    people = _staff(make_user)
    team_a = ensure_department("测试公司/热线一组")
    exam = make_exam(assign_root=False)
    assign_exam(exam, targets([team_a.id], [], [people["lead_trainer"].id]), actor=None)
    assign_exam(exam, targets([], ["组长"], []), actor=None)
    db.session.commit()
    counts = exam_reach(exam)
    by_target = {target_of(a): counts.of(a) for a in exam.assignments}
    # 热线一组's employees: lead_a, lead_a_below, agent_a, lookalike; 组长 anywhere: lead_a,
    # lead_a_below, lead_b, lead_gone; the trainer by name. Together without repeats: 7.
    assert by_target == {Target(team_a.id): 4, Target(position="组长"): 4,
                         Target(user_id=people["lead_trainer"].id): 1}
    everyone = db.session.scalars(reached_user_ids(ExamAssignment, ExamAssignment.exam_id == exam.id))
    assert counts.total == len(list(everyone)) == 7
    assert exam_reach(make_exam(assign_root=False)) == ReachCounts({}, 0)


def test_course_overdue_in_sql_agrees_with_each_learners_progress(make_user, make_course):
    now = utcnow()
    late = make_course(title="已过期课程", assign=(), now=now - timedelta(days=10))
    soon = make_course(title="未到期课程", assign=(), now=now)
    people = {name: make_user(position=name) for name in ("done", "idle")}
    for course, due in ((late, now - timedelta(days=1)), (soon, now + timedelta(days=3))):
        assign_course(course, targets([], ["done", "idle"], []), due, actor=None,
                      now=now - timedelta(days=2))
    db.session.commit()
    state = learner_progress(people["done"], now, late.id)[0].lessons[0]
    open_lesson(people["done"], state, now)  # an "opened" lesson: the course is done
    db.session.commit()

    in_sql = {(row.course_id, row.user_id) for row in db.session.execute(
        overdue_learners(now, CourseAssignment.course_id.in_([late.id, soon.id])))}
    in_python = {(p.course.id, user.id) for user in people.values()
                 for p in learner_progress(user, now) if p.overdue}
    assert in_sql == in_python == {(late.id, people["idle"].id)}
