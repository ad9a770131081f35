"""A learner's way through a course: which courses are theirs, the completion rules, progress.

The server owns the clock. Opening a lesson records when (first open only); an "opened"
lesson is done at once, a "min_time" lesson is done when the learner says so at least its
minimum seconds after that first open, a quiz lesson is done once the learner has a
graded, passed attempt whose score the exam's review policy lets them see, and a scenario
lesson once they have a passed role-play run whose score is final (reviewed, not provisional). A course is done
when every lesson is; the first time that happens is written down once (and audited).

Who a course reaches is the audience rule (`training.people.audience`). A person reached by
several assignments of one course gets the earliest due date.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, case, exists, func, not_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from training.audit.services import record
from training.courses.models import (
    Course,
    CourseAssignment,
    CourseCompletion,
    Lesson,
    LessonProgress,
)
from training.database import db, utcnow
from training.errors import DomainError, NotFound
from training.events import Event, publish
from training.exams.availability import ExamStatus, exam_statuses, last_closes
from training.exams.errors import ExamRefused
from training.exams.models import Attempt, Exam
from training.exams.serialise import visibility
from training.exams.withheld import review_shows
from training.people.audience import due_dates, is_overdue, reaching
from training.people.models import User
from training.roleplay.models import RunState, ScenarioRun
from training.roleplay.services import OpenScenario, open_scenarios


@dataclass(frozen=True)
class LessonResult:
    """A learner's attempts at a lesson quiz, or runs of a lesson scenario, reduced to what
    the lesson needs."""

    attempted: bool = False
    passed_at: datetime | None = None


NO_RESULT = LessonResult()


class LessonLocked(DomainError):
    """A sequential course's lesson opened before the lessons in front of it are done."""


@dataclass(frozen=True)
class LessonState:
    """One lesson as one learner stands with it now."""

    lesson: Lesson
    opened_at: datetime | None
    done_at: datetime | None
    attempted: bool
    locked: bool
    now: datetime

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def status(self) -> str:
        if self.done:
            return "done"
        return "in_progress" if self.opened_at or self.attempted else "not_started"

    @property
    def seconds_read(self) -> int:
        """Seconds since the first open, by the server clock."""
        if self.opened_at is None:
            return 0
        return max(0, int((self.now - self.opened_at).total_seconds()))

    @property
    def seconds_left(self) -> int:
        """Reading time still needed before a min-time lesson can be marked read."""
        if self.done or self.lesson.completion != "min_time":
            return 0
        if self.opened_at is None:
            return self.lesson.min_seconds
        elapsed = (self.now - self.opened_at).total_seconds()
        return max(0, math.ceil(self.lesson.min_seconds - elapsed))

    @property
    def percent(self) -> int:
        """100 when done; a min-time lesson being read shows its share of the time (≤ 99)."""
        if self.done:
            return 100
        if self.lesson.completion == "min_time" and self.opened_at is not None:
            return min(99, 100 * self.seconds_read // self.lesson.min_seconds)
        return 0


@dataclass(frozen=True)
class Standing:
    """Where one learner stands in a course, in numbers: what `CourseProgress` derives from its
    lessons, and what `standings` selects in SQL for every learner of a course at once."""

    total: int
    done_count: int
    started: bool  # some lesson opened, attempted or done
    last_done_at: datetime | None
    due_at: datetime | None
    recorded_at: datetime | None  # the stored first completion, if any
    now: datetime

    @property
    def percent(self) -> int:
        return 100 * self.done_count // self.total if self.total else 0

    @property
    def done(self) -> bool:
        return self.total > 0 and self.done_count == self.total

    @property
    def completed_at(self) -> datetime | None:
        """When the course was (first) done: recorded, else when its last lesson was."""
        return (self.recorded_at or self.last_done_at) if self.done else None

    @property
    def status(self) -> str:
        if self.done:
            return "done"
        return "in_progress" if self.started else "not_started"

    @property
    def overdue(self) -> bool:
        return is_overdue(self.due_at, self.done, self.now)


@dataclass(frozen=True)
class CourseProgress:
    """A course as one learner stands with it now: lessons, share done, due date."""

    course: Course
    lessons: list[LessonState]
    due_at: datetime | None
    recorded_at: datetime | None  # the stored first completion, if any
    now: datetime

    @property
    def standing(self) -> Standing:
        done_at = [state.done_at for state in self.lessons if state.done_at is not None]
        started = any(state.status != "not_started" for state in self.lessons)
        return Standing(len(self.lessons), len(done_at), started, max(done_at, default=None),
                        self.due_at, self.recorded_at, self.now)

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def done_count(self) -> int:
        return self.standing.done_count

    @property
    def percent(self) -> int:
        return self.standing.percent

    @property
    def done(self) -> bool:
        return self.standing.done

    @property
    def completed_at(self) -> datetime | None:
        return self.standing.completed_at

    @property
    def status(self) -> str:
        return self.standing.status

    @property
    def overdue(self) -> bool:
        return self.standing.overdue

    @property
    def next_lesson(self) -> LessonState | None:
        """Where 继续学习 leads: the first lesson not yet done."""
        return next((state for state in self.lessons if not state.done), None)

    def state_of(self, lesson_id: int) -> LessonState:
        state = next((s for s in self.lessons if s.lesson.id == lesson_id), None)
        if state is None:
            raise NotFound(_("课时不存在"))
        return state


# --- who takes which course ---------------------------------------------------------------


def assigned_course_ids(user: User) -> Select:
    return reaching(CourseAssignment, user, CourseAssignment.course_id)


def _due_dates(user: User, course_id: int | None) -> dict[int, datetime]:
    """The user's courses with the earliest due date among the assignments reaching them."""
    mine = [User.id == user.id]
    if course_id is not None:
        mine.append(CourseAssignment.course_id == course_id)
    return {course: due for course, _user, due in db.session.execute(course_dues(*mine))}


def course_dues(*criteria: ColumnElement[bool]) -> Select:
    """SQL: per (course, learner) reached by the assignments matching `criteria`, the earliest
    due date (columns owner_id, user_id, due_at)."""
    return due_dates(CourseAssignment, CourseAssignment.course_id, *criteria)


def overdue_learners(now: datetime, *criteria: ColumnElement[bool]) -> Select:
    """SQL twin of `CourseProgress.overdue` for reports: (course id, user id, due date) of
    everyone reached by the assignments matching `criteria` who has not finished the course
    although its due date has passed."""
    dues = course_dues(*criteria).subquery()
    return (
        select(dues.c.owner_id.label("course_id"), dues.c.user_id, dues.c.due_at)
        .join(Course, Course.id == dues.c.owner_id)
        .join(User, User.id == dues.c.user_id)
        .where(dues.c.due_at < now, not_(course_done(now)))
    )


def quiz_courses(user: User, exam_id: int) -> list[Course]:
    """The user's courses with a lesson on this quiz (the exam page links back to them)."""
    return list(db.session.scalars(
        select(Course)
        .where(Course.id.in_(assigned_course_ids(user)),
               Course.lessons.any(Lesson.exam_id == exam_id))
        .order_by(Course.title)
    ))


# --- computing progress -------------------------------------------------------------------


def quiz_results(
    exam_ids: Iterable[int], user_ids: Iterable[int] | Select, now: datetime
) -> dict[tuple[int, int], LessonResult]:
    """(user id, exam id) → attempted / first visible pass, for many learners in 3 queries."""
    exam_ids = set(exam_ids)
    if not exam_ids:
        return {}
    exams = list(db.session.scalars(select(Exam).where(Exam.id.in_(exam_ids))))
    closes = last_closes(exams)
    results: dict[tuple[int, int], LessonResult] = {}
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.exam_id.in_(closes), Attempt.user_id.in_(user_ids))
        .order_by(Attempt.graded_at)
    )
    for attempt in attempts:
        key = (attempt.user_id, attempt.exam_id)
        passed_at = results.get(key, NO_RESULT).passed_at
        if passed_at is None and _visible_pass(attempt, now, closes[attempt.exam_id]):
            passed_at = attempt.graded_at
        results[key] = LessonResult(True, passed_at)
    return results


def _final_pass() -> ColumnElement[bool]:
    """A role-play run that passed with a final score (reviewed; play-tests never count)."""
    return and_(ScenarioRun.passed.is_(True), ScenarioRun.state == RunState.ENDED,
                ScenarioRun.playtest.is_(False))


def scenario_results(
    scenario_ids: Iterable[int], user_ids: Iterable[int] | Select
) -> dict[tuple[int, int], LessonResult]:
    """(user id, scenario id) → played / first final pass, for many learners in one query."""
    scenario_ids = set(scenario_ids)
    if not scenario_ids:
        return {}
    rows = db.session.execute(
        select(ScenarioRun.user_id, ScenarioRun.scenario_id,
               func.min(case((_final_pass(), ScenarioRun.ended_at))))
        .where(ScenarioRun.scenario_id.in_(scenario_ids), ScenarioRun.user_id.in_(user_ids),
               ScenarioRun.playtest.is_(False))
        .group_by(ScenarioRun.user_id, ScenarioRun.scenario_id)
    )
    return {(user_id, scenario_id): LessonResult(True, passed_at)
            for user_id, scenario_id, passed_at in rows}


def _visible_pass(attempt: Attempt, now: datetime, last_close: datetime) -> bool:
    """A graded pass the learner may already be told about (the review policy decides)."""
    if not (attempt.passed and attempt.graded_at is not None):
        return False
    return visibility(attempt.exam, attempt, now, last_close).score


def lesson_done_at(now: datetime) -> ColumnElement[datetime | None]:
    """SQL on Lesson and User: `LessonState.done_at` — for a quiz lesson the first graded pass
    whose score the review policy shows now (`_visible_pass`), else the stored completion."""
    first_pass = select(func.min(Attempt.graded_at)).where(
        Attempt.exam_id == Lesson.exam_id, Attempt.user_id == User.id, Exam.id == Attempt.exam_id,
        Attempt.passed.is_(True), Attempt.graded_at.is_not(None),
        review_shows(Exam.review_score, now),
    ).correlate_except(Attempt, Exam)  # Lesson and User come from the enclosing query
    first_run_pass = select(func.min(ScenarioRun.ended_at)).where(
        ScenarioRun.scenario_id == Lesson.scenario_id, ScenarioRun.user_id == User.id,
        _final_pass(),
    ).correlate_except(ScenarioRun)
    completed = select(LessonProgress.completed_at).where(
        LessonProgress.lesson_id == Lesson.id, LessonProgress.user_id == User.id,
    ).correlate_except(LessonProgress)
    return case((Lesson.kind == "quiz", first_pass.scalar_subquery()),
                (Lesson.kind == "scenario", first_run_pass.scalar_subquery()),
                else_=completed.scalar_subquery())


def lesson_started(now: datetime) -> ColumnElement[bool]:
    """SQL on Lesson and User: `LessonState.status != "not_started"` (opened, attempted, done)."""
    opened = exists().where(LessonProgress.lesson_id == Lesson.id,
                            LessonProgress.user_id == User.id).correlate_except(LessonProgress)
    attempted = exists().where(Attempt.exam_id == Lesson.exam_id,
                               Attempt.user_id == User.id).correlate_except(Attempt)
    played = exists().where(ScenarioRun.scenario_id == Lesson.scenario_id,
                            ScenarioRun.user_id == User.id,
                            ScenarioRun.playtest.is_(False)).correlate_except(ScenarioRun)
    return or_(lesson_done(now), opened, and_(Lesson.kind == "quiz", attempted),
               and_(Lesson.kind == "scenario", played))


def lesson_done(now: datetime) -> ColumnElement[bool]:
    """SQL on Lesson and User: `LessonState.done`."""
    return lesson_done_at(now).is_not(None)


def course_done(now: datetime) -> ColumnElement[bool]:
    """SQL on Course and User: `CourseProgress.done` — it has lessons and every one is done."""
    return and_(
        exists().where(Lesson.course_id == Course.id),
        ~exists().where(Lesson.course_id == Course.id, not_(lesson_done(now))),
    )


def lesson_states(
    course: Course,
    records: _Records,
    now: datetime,
) -> list[LessonState]:
    """Each lesson's state; in a sequential course a lesson is locked until all before are done."""
    states: list[LessonState] = []
    blocked = False
    for lesson in course.lessons:
        row = records.rows.get(lesson.id)
        if lesson.kind in ("quiz", "scenario"):
            result = records.result_of(lesson)
            done_at, attempted = result.passed_at, result.attempted
        else:
            done_at, attempted = (row.completed_at if row else None), False
        state = LessonState(lesson, row.opened_at if row else None, done_at, attempted,
                            course.sequential and blocked, now)
        blocked = blocked or not state.done
        states.append(state)
    return states


@dataclass
class _Records:
    """One learner's stored rows for a set of courses."""

    rows: dict[int, LessonProgress] = field(default_factory=dict)
    quizzes: dict[int, LessonResult] = field(default_factory=dict)  # by exam
    scenarios: dict[int, LessonResult] = field(default_factory=dict)  # by scenario
    completions: dict[int, datetime] = field(default_factory=dict)

    def result_of(self, lesson: Lesson) -> LessonResult:
        """A quiz or scenario lesson's result, read from the exam attempts or role-play runs."""
        if lesson.kind == "scenario":
            return self.scenarios.get(lesson.scenario_id, NO_RESULT)  # type: ignore[arg-type]
        return self.quizzes.get(lesson.exam_id, NO_RESULT)  # type: ignore[arg-type]


def learner_progress(user: User, now: datetime, course_id: int | None = None) -> list[CourseProgress]:
    """The user's assigned courses (or one of them) with progress: unfinished and soonest due
    first. At most eight queries, however many courses and lessons."""
    dues = _due_dates(user, course_id)
    if not dues:
        return []
    courses = list(db.session.scalars(
        select(Course).where(Course.id.in_(list(dues))).options(selectinload(Course.lessons))
    ))
    records = _records_of(user, courses, now)
    progress = [
        CourseProgress(
            course, lesson_states(course, records, now), dues[course.id],
            records.completions.get(course.id), now,
        )
        for course in courses
    ]
    return sorted(progress, key=lambda p: (p.done, p.due_at, p.course.title))


def _records_of(user: User, courses: list[Course], now: datetime) -> _Records:
    lessons = [lesson for course in courses for lesson in course.lessons]
    records = _Records()
    lesson_ids = [lesson.id for lesson in lessons]
    if lesson_ids:
        records.rows = {row.lesson_id: row for row in db.session.scalars(
            select(LessonProgress).where(LessonProgress.user_id == user.id,
                                         LessonProgress.lesson_id.in_(lesson_ids))
        )}
    quizzes = quiz_results([x.exam_id for x in lessons if x.exam_id], [user.id], now)
    records.quizzes = {exam_id: result for (_user, exam_id), result in quizzes.items()}
    scenarios = scenario_results([x.scenario_id for x in lessons if x.scenario_id], [user.id])
    records.scenarios = {scenario_id: result for (_user, scenario_id), result in scenarios.items()}
    records.completions = dict(db.session.execute(
        select(CourseCompletion.course_id, CourseCompletion.completed_at)
        .where(CourseCompletion.user_id == user.id,
               CourseCompletion.course_id.in_([c.id for c in courses]))
    ).all())
    return records


def progress_for(user: User, course_id: int, now: datetime) -> CourseProgress:
    """One of the user's courses; NotFound when it is not assigned to them."""
    found = learner_progress(user, now, course_id)
    if not found:
        raise NotFound(_("课程不存在"))
    return found[0]


# --- writes -------------------------------------------------------------------------------


def _progress_row(user: User, lesson: Lesson, now: datetime) -> LessonProgress:
    """The user's row for a lesson, created at the first open (a racing twin gets the first)."""
    existing = db.session.scalar(select(LessonProgress).filter_by(lesson_id=lesson.id, user_id=user.id))
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            row = LessonProgress(lesson_id=lesson.id, user_id=user.id, opened_at=now)
            db.session.add(row)
    except IntegrityError:
        return db.session.scalars(
            select(LessonProgress).filter_by(lesson_id=lesson.id, user_id=user.id)
            .execution_options(populate_existing=True)
        ).one()
    return row


def _check_unlocked(state: LessonState) -> None:
    if state.locked:
        raise LessonLocked(_("本课程需按顺序学习，请先完成前面的课时。"))


def open_lesson(user: User, state: LessonState, now: datetime) -> bool:
    """Note the first open (server time); an "opened" lesson is done by it. True if anything
    changed. Quiz and scenario lessons are done by the exam or the run, not by opening."""
    _check_unlocked(state)
    lesson = state.lesson
    needs_completing = lesson.completion == "opened" and not state.done
    if lesson.kind in ("quiz", "scenario") or (state.opened_at is not None and not needs_completing):
        return False
    row = _progress_row(user, lesson, now)
    if needs_completing:
        row.completed_at = now
    return True


def complete_reading(user: User, state: LessonState, now: datetime) -> None:
    """完成阅读: accepted only when the minimum time has passed since the first open."""
    _check_unlocked(state)
    lesson = state.lesson
    if lesson.completion != "min_time":
        raise DomainError(_("本课时不需要确认阅读。"))
    if state.done:
        return
    row = _progress_row(user, lesson, now)
    needed = lesson.min_seconds - (now - row.opened_at).total_seconds()
    if needed > 0:
        raise DomainError(
            _("阅读时间还不够：请再阅读 %(n)d 秒后点击“完成阅读”。", n=math.ceil(needed))
        )
    row.completed_at = now


def record_completions(user: User, progress: Iterable[CourseProgress]) -> int:
    """Write down (once) and audit each course the user has now finished; how many were new.
    New completions are published (`Event.COURSE_COMPLETED`): a certification may need them."""
    written = 0
    for item in progress:
        if not item.done or item.recorded_at is not None:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(CourseCompletion(
                    course_id=item.course.id, user_id=user.id, completed_at=item.completed_at
                ))
        except IntegrityError:  # another request recorded it first
            continue
        record(user, "course.completed", item.course, completed_at=item.completed_at.isoformat())
        written += 1
    if written:
        publish(Event.COURSE_COMPLETED, user.id, utcnow())
    return written


def check_quiz_unlocked(user: User, exam: Exam, now: datetime) -> None:
    """Refuse starting a lesson quiz (through its exam page or the API) while every lesson of
    the user's courses that uses it is locked; a quiz in no course of theirs is not held."""
    if exam.kind != "quiz":
        return
    states = [
        state for course in learner_progress(user, now) for state in course.lessons
        if state.lesson.exam_id == exam.id
    ]
    if states and all(state.locked for state in states):
        raise ExamRefused(
            "lesson_locked", _("本测验所在的课时尚未解锁：请先按顺序完成课程中前面的课时。")
        )


def quiz_status(user: User, lesson: Lesson, now: datetime) -> ExamStatus | None:
    """The quiz as the learner's exam list shows it; None when it is not open to them."""
    statuses = exam_statuses(user, now, lesson.exam_id)
    return statuses[0] if statuses else None


def scenario_standing(user: User, scenario_id: int | None) -> OpenScenario | None:
    """The scenario as the learner's scenario list shows it; None when it is not open to them."""
    return next((item for item in open_scenarios(user) if item.scenario.id == scenario_id), None)
