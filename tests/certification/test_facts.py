"""Facts gathering: each requirement kind read in bulk, only for what the rules name, and the
number of queries independent of the number of people."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.certification.conftest import ALL_RIGHT, HALF, today
from tests.courses.conftest import page_lesson
from tests.exams.helpers import sit_exam
from tests.manuals.samples import EDITION_1, EDITION_2, TITLE, parsed
from tests.roleplay.factories import CRITICAL_PATH, play, saved_scenario
from training.certification import rules
from training.certification.facts import Person, Wanted, wanted
from training.certification.facts import gather as gather_people
from training.courses.models import CourseCompletion
from training.database import db, utcnow
from training.manuals.services import confirm_reading, import_manuals, update_manual
from training.people.models import User
from training.roleplay.runs import start_or_resume
from training.timezones import to_local


def gather(users, want):
    return gather_people([Person.of(user) for user in users], want)


def test_wanted_lists_what_the_rules_name():
    rule = rules.AllOf((rules.ExamPassed(1), rules.AnyOf((rules.CourseCompleted(2),
                        rules.ScenarioPassed(3))), rules.ManualConfirmed(4), rules.MinimumTenure(3)))
    assert wanted([rule, rules.ExamPassed(5)]) == Wanted(
        frozenset({1, 5}), frozenset({2}), frozenset({3}), frozenset({4}))


def test_graded_attempts_of_named_exams_only(exam, make_exam, make_user):
    other_exam = make_exam(title="另一场考试", attempts_allowed=None)
    one, two = make_user(), make_user(hire_date=today() - timedelta(days=90))
    sit_exam(exam, one, ALL_RIGHT)
    sit_exam(exam, one, HALF)
    sit_exam(other_exam, two, ALL_RIGHT)
    facts = gather([one, two], Wanted(exam_ids=frozenset({exam.id})))
    assert sorted((a.percent, a.passed) for a in facts[one.id].attempts) == [
        (42.86, True), (100.0, True)]
    assert all(a.exam_id == exam.id and a.finished_at for a in facts[one.id].attempts)
    assert facts[two.id].attempts == () and facts[two.id].hire_date == today() - timedelta(days=90)


def test_completions_carry_the_earliest_assignment_that_reaches(make_user, make_course):
    assigned_at = utcnow() - timedelta(days=20)
    course = make_course([page_lesson()], now=assigned_at)  # assigned to the test company
    unassigned = make_course([page_lesson()], title="自学课程", assign=())
    user = make_user()
    for each in (course, unassigned):
        db.session.add(CourseCompletion(course_id=each.id, user_id=user.id, completed_at=utcnow()))
    db.session.commit()
    facts = gather([user], Wanted(course_ids=frozenset({course.id, unassigned.id})))
    found = {c.course_id: c for c in facts[user.id].courses}
    assert abs(found[course.id].assigned_at - to_local(assigned_at)) < timedelta(seconds=1)
    assert found[unassigned.id].assigned_at is None


def test_runs_are_ended_counted_ones_with_their_critical_mistake(make_user):
    scenario = saved_scenario()
    employee, trainer = make_user(), make_user(roles=("trainer",))
    play(start_or_resume(employee, scenario), CRITICAL_PATH)
    play(start_or_resume(trainer, scenario, playtest=True), CRITICAL_PATH)
    facts = gather([employee, trainer], Wanted(scenario_ids=frozenset({scenario.id})))
    [run] = facts[employee.id].runs
    assert run.critical and run.scenario_id == scenario.id and run.ended_at is not None
    assert facts[trainer.id].runs == ()


def test_confirmations_count_for_the_current_edition_only(make_user):
    (first,) = import_manuals(parsed(EDITION_1), "制度.txt")
    update_manual(first.edition.manual, TITLE, True)
    user = make_user()
    confirm_reading(user, first.edition)
    db.session.commit()
    manual_id = first.edition.manual_id
    want = Wanted(manual_ids=frozenset({manual_id}))
    assert set(gather([user], want)[user.id].confirmed_manuals) == {manual_id}
    import_manuals(parsed(EDITION_2), "制度.txt")  # a new edition asks again
    db.session.commit()
    assert gather([user], want)[user.id].confirmed_manuals == {}


def test_queries_do_not_grow_with_people(exam, make_user, count_queries, make_course):
    course = make_course([page_lesson()])
    people = [make_user() for _ in range(6)]
    for user in people:
        sit_exam(exam, user, ALL_RIGHT)
        db.session.add(CourseCompletion(course_id=course.id, user_id=user.id, completed_at=utcnow()))
    db.session.commit()
    want = Wanted(frozenset({exam.id}), frozenset({course.id}), frozenset({1}), frozenset({1}))
    db.session.expire_all()
    people = list(db.session.scalars(select(User).where(User.id.in_([u.id for u in people]))))
    with count_queries() as few:
        small = gather(people[:2], want)
    with count_queries() as many:
        large = gather(people, want)
    assert many.count == few.count <= 6
    assert len(small) == 2 and all(len(f.attempts) == 1 and len(f.courses) == 1
                                   for f in large.values())
