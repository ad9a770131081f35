"""Each feature's own path evaluates the person it happened to: a course completed, a role-play
run ended or reviewed, a required manual confirmed as read (the exam paths are in
test_evaluate: every award there comes from a graded attempt)."""

from __future__ import annotations

from sqlalchemy import select

from tests.courses.conftest import page_lesson
from tests.manuals.samples import EDITION_1, EDITION_2, TITLE, parsed
from tests.roleplay.factories import CRITICAL_PATH, GOOD_PATH, play, saved_scenario
from training.certification import rules
from training.certification.lifecycle import Status
from training.certification.models import CertStatus
from training.courses.progress import open_lesson, progress_for, record_completions
from training.database import db, utcnow
from training.manuals.services import confirm_reading, import_manuals, update_manual
from training.roleplay.models import RunState
from training.roleplay.runs import review, start_or_resume


def status(user, level) -> Status | None:
    db.session.expire_all()
    row = db.session.scalar(select(CertStatus).filter_by(user_id=user.id, level_id=level.id))
    return Status(row.status) if row else None


def test_completing_a_course_certifies(make_level, make_user, make_course):
    course = make_course([page_lesson()])
    level = make_level(rules.CourseCompleted(course.id, within_days=7))
    user = make_user()
    now = utcnow()
    open_lesson(user, progress_for(user, course.id, now).lessons[0], now)
    record_completions(user, [progress_for(user, course.id, now)])
    db.session.commit()
    assert status(user, level) == Status.CERTIFIED


def test_a_role_play_run_counts_once_ended_and_without_a_critical_mistake(make_level, make_user):
    scenario = saved_scenario()
    level = make_level(rules.ScenarioPassed(scenario.id, min_score=0, no_critical=True))
    careless, careful, trainer = make_user(), make_user(), make_user(roles=("trainer",))
    play(start_or_resume(careless, scenario), CRITICAL_PATH)
    assert status(careless, level) in (None, Status.NOT_STARTED)
    run = play(start_or_resume(careful, scenario), GOOD_PATH)
    assert run.state == RunState.PENDING_REVIEW  # a typed reply awaits the trainer
    assert status(careful, level) in (None, Status.NOT_STARTED)
    play(start_or_resume(trainer, scenario, playtest=True), GOOD_PATH)
    review(run.steps[3], {"resolve": 10, "ownership": 5}, reviewer=trainer, reason="承诺明确")
    db.session.commit()
    assert status(careful, level) == Status.CERTIFIED
    assert status(trainer, level) is None  # a trainer's playtest counts nowhere


def test_confirming_the_current_edition_certifies_and_a_new_edition_asks_again(make_level, make_user):
    (imported,) = import_manuals(parsed(EDITION_1), "制度.txt")
    update_manual(imported.edition.manual, TITLE, True)
    db.session.commit()
    level = make_level(rules.ManualConfirmed(imported.edition.manual_id))
    user = make_user()
    confirm_reading(user, imported.edition)
    db.session.commit()
    assert status(user, level) == Status.CERTIFIED
    (second,) = import_manuals(parsed(EDITION_2), "制度.txt")
    db.session.commit()
    other = make_user()
    confirm_reading(other, second.edition)
    db.session.commit()
    assert status(other, level) == Status.CERTIFIED
