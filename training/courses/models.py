"""Courses (课程): ordered lessons, who must take them by when, each learner's progress.

A lesson is one of four kinds: a section of a manual (held by manual and stable anchor, so
it follows every new edition), a rich-text page (Markdown, sanitised when shown), a lesson
quiz (an exam of kind "quiz"), or a role-play scenario. Progress is stored per lesson and
learner; a quiz lesson's progress is read from the learner's exam attempts instead, a scenario
lesson's from their role-play runs. Times are naive UTC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.database import db, utcnow
from training.exams.models import Exam
from training.manuals.models import Manual
from training.people.audience import assignment_constraints
from training.people.models import Department, User
from training.roleplay.models import Scenario

LESSON_KINDS = ("manual", "page", "quiz", "scenario")
# How a lesson counts as done: opened once, open for a minimum time, its quiz passed, or a
# run of its scenario passed.
COMPLETION_RULES = ("opened", "min_time", "quiz_passed", "run_passed")


class Course(db.Model):
    """An ordered list of lessons; `sequential` locks each lesson until the ones before are done."""

    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    sequential: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="Lesson.ordinal"
    )
    assignments: Mapped[list[CourseAssignment]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="CourseAssignment.id"
    )

    def __repr__(self) -> str:
        return f"<Course {self.title}>"


class Lesson(db.Model):
    """One step of a course; which columns are used depends on `kind` (checked by the database)."""

    __tablename__ = "course_lesson"
    __table_args__ = (
        CheckConstraint("kind IN ('manual', 'page', 'quiz', 'scenario')", name="kind"),
        CheckConstraint(
            "completion IN ('opened', 'min_time', 'quiz_passed', 'run_passed')", name="completion"
        ),
        CheckConstraint(
            "kind <> 'manual' OR (manual_id IS NOT NULL AND anchor IS NOT NULL)",
            name="manual_section",
        ),
        CheckConstraint(
            "kind <> 'quiz' OR (exam_id IS NOT NULL AND completion = 'quiz_passed')",
            name="quiz_exam",
        ),
        CheckConstraint(
            "kind <> 'scenario' OR (scenario_id IS NOT NULL AND completion = 'run_passed')",
            name="scenario_run",
        ),
        CheckConstraint("min_seconds >= 0", name="min_seconds"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    completion: Mapped[str] = mapped_column(String(12), default="opened")
    min_seconds: Mapped[int] = mapped_column(default=0)
    manual_id: Mapped[int | None] = mapped_column(ForeignKey("manual.id"), index=True)
    anchor: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown (raw HTML is sanitised)
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("exam.id"), index=True)
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenario.id"), index=True)

    course: Mapped[Course] = relationship(back_populates="lessons")
    manual: Mapped[Manual | None] = relationship()
    exam: Mapped[Exam | None] = relationship()
    scenario: Mapped[Scenario | None] = relationship()

    def __repr__(self) -> str:
        return f"<Lesson {self.course_id}#{self.ordinal} {self.kind}>"


class CourseAssignment(db.Model):
    """Who must take a course by when: a department (its employees, subtree included), a
    position, both, or one user (the audience rule, `training.people.audience`). A course is
    always given with a due date."""

    __tablename__ = "course_assignment"
    __table_args__ = assignment_constraints("course_assignment", "course_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime]
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    course: Mapped[Course] = relationship(back_populates="assignments")
    department: Mapped[Department | None] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[user_id])


class LessonProgress(db.Model):
    """When a learner first opened a lesson (server clock) and when it counted as done."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("lesson_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("course_lesson.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


class CourseCompletion(db.Model):
    """The first time a learner had every lesson of a course done; written once."""

    __tablename__ = "course_completion"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime]


class CourseImage(db.Model):
    """An image a trainer uploaded for a rich-text lesson, kept in the database (app servers
    are stateless); the same bytes uploaded twice are stored once, named by their SHA-256."""

    __tablename__ = "course_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    byte_size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    filename: Mapped[str] = mapped_column(String(255), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
