"""Figures shown on the role home pages, each one query over plain records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from training.audit.models import AuditEvent
from training.certification.queries import CertTask, certification_tasks
from training.courses.progress import CourseProgress, LessonState, learner_progress
from training.database import db
from training.exams.availability import ExamStatus, exam_statuses
from training.exams.models import Answer, Attempt, Exam, ExamKind
from training.manuals.models import Manual, ManualEdition
from training.manuals.services import reading_owed
from training.people.models import DEPARTMENT_SEPARATOR, Department, User, UserRole
from training.roleplay.services import OpenScenario, open_scenarios
from training.timezones import local_day


@dataclass
class Headcount:
    department: str
    active: int


@dataclass
class AdminSummary:
    users: int
    active: int
    must_change: int
    by_role: dict[str, int]
    recent_events: list[tuple[AuditEvent, str | None]]


def headcount_by_top_department(level: int = 2) -> list[Headcount]:
    """Active employees per department at `level` of the tree (1 = company, 2 = center)."""
    rows = db.session.execute(
        select(Department.path, func.count(User.id))
        .join(User, User.department_id == Department.id)
        .where(User.active.is_(True))
        .group_by(Department.path)
    )
    totals: dict[str, int] = {}
    for path, count in rows:
        key = DEPARTMENT_SEPARATOR.join(path.split(DEPARTMENT_SEPARATOR)[:level])
        totals[key] = totals.get(key, 0) + count
    return [Headcount(name, count) for name, count in sorted(totals.items())]


def admin_summary(recent: int = 8) -> AdminSummary:
    """Account figures and the latest audited actions with the actor's name."""
    users, active, must_change = db.session.execute(
        select(
            func.count(User.id),
            func.count(User.id).filter(User.active.is_(True)),
            func.count(User.id).filter(User.must_change_password.is_(True)),
        )
    ).one()
    by_role = dict(
        db.session.execute(select(UserRole.role, func.count()).group_by(UserRole.role)).all()
    )
    events = db.session.execute(
        select(AuditEvent, User.display_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .order_by(AuditEvent.id.desc())
        .limit(recent)
    ).all()
    return AdminSummary(users, active, must_change, by_role, [(event, name) for event, name in events])


@dataclass
class EmployeeTasks:
    """What 我的任务 lists: unfinished courses, exams to sit, role-plays still to pass,
    regulations to confirm."""

    courses: list[CourseProgress]
    exams: list[ExamStatus]
    editions: list[ManualEdition]
    scenarios: list[OpenScenario]
    retakes: frozenset[int] = frozenset()  # course quizzes failed so far, with attempts left
    certifications: list[CertTask] = field(default_factory=list)  # to earn, renew, or lapsed

    @property
    def empty(self) -> bool:
        return not (self.courses or self.exams or self.editions or self.scenarios
                    or self.certifications)


def _is_task(status: ExamStatus, quiz: LessonState | None) -> bool:
    """An exam in progress; one open and not yet sat; a course quiz not passed yet but sat.

    An exam counts while an attempt is in progress, or while it is open and either not yet sat
    or owed (due by a date and not passed; a mock exam sat already without a due date stays off
    the list: retakes are the examinee's choice). A course's own quiz is left to its course,
    which leads to it, until it has been sat and not passed: then it is listed, so a failed
    quiz with attempts left does not drop out of sight.
    """
    if status.open_attempt is not None:
        return True
    if not status.can_start:
        return False
    if quiz is None:
        return not status.attempts or status.owed
    return quiz.attempted and not quiz.done


def employee_tasks(user: User, now: datetime) -> EmployeeTasks:
    """The user's open tasks, soonest due first, in about a dozen queries."""
    courses = [item for item in learner_progress(user, now) if not item.done]
    quizzes = {state.lesson.exam_id: state for item in courses for state in item.lessons
               if state.lesson.exam_id is not None}
    exams = [status for status in exam_statuses(user, now)
             if _is_task(status, quizzes.get(status.exam.id))]
    exams.sort(key=lambda status: (status.open_attempt is None, not status.overdue_shown,
                                   status.window.closes_at))
    retakes = frozenset(s.exam.id for s in exams if s.exam.id in quizzes and s.open_attempt is None)
    return EmployeeTasks(courses, exams, unconfirmed_editions(user), scenarios_to_play(user, now),
                         retakes, certification_tasks(user, local_day(now)))


def scenarios_to_play(user: User, now: datetime) -> list[OpenScenario]:
    """Assigned role-plays not yet passed that can still be played (a run in progress counts),
    soonest due first."""
    return [
        item for item in open_scenarios(user, now)
        if item.open_run_id is not None
        or (not item.passed and (item.runs_left is None or item.runs_left > 0))
    ]


def unconfirmed_editions(user: User) -> list[ManualEdition]:
    """Current editions that require 已阅读确认 and that the user has not confirmed."""
    return list(db.session.scalars(
        select(ManualEdition).join(ManualEdition.manual).join(User, User.id == user.id)
        .where(reading_owed())
        .order_by(Manual.title)
    ))


OPENING_SOON = timedelta(days=7)
CLOSING_SOON = timedelta(days=3)


@dataclass
class TrainerWork:
    """What waits for a trainer, each list in the order it should be done."""

    to_grade: list[tuple[Exam, int]]  # exams with answers waiting for a grader, oldest first
    opening: list[Exam]  # exams opening within OPENING_SOON
    closing: list[Exam]  # open exams closing within CLOSING_SOON

    @property
    def empty(self) -> bool:
        return not (self.to_grade or self.opening or self.closing)


def trainer_work(now: datetime) -> TrainerWork:
    """The trainer's exams to attend to, in three queries. Drafts needing a key come with the
    banks, questions flagged by a new edition from article_links' `article_review_counts`."""
    pending = db.session.execute(
        select(Exam, func.count(Answer.id))
        .join(Attempt, Attempt.exam_id == Exam.id)
        .join(Answer, Answer.attempt_id == Attempt.id)
        .where(Attempt.submitted_at.is_not(None), Answer.needs_manual.is_(True),
               Answer.graded_at.is_(None))
        .group_by(Exam.id)
        .order_by(func.min(Attempt.submitted_at))
    ).all()
    windows = select(Exam).where(Exam.kind != ExamKind.QUIZ)  # a lesson quiz's window is its course's
    opening = db.session.scalars(windows.where(Exam.opens_at > now,
                                               Exam.opens_at <= now + OPENING_SOON)
                                 .order_by(Exam.opens_at)).all()
    closing = db.session.scalars(windows.where(Exam.opens_at <= now, Exam.closes_at > now,
                                               Exam.closes_at <= now + CLOSING_SOON)
                                 .order_by(Exam.closes_at)).all()
    return TrainerWork([(e, n) for e, n in pending], list(opening), list(closing))
