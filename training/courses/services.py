"""Building courses: details, lessons and their order, who must take them by when.

Services flush; the view commits. Assigning a course also assigns its quiz exams and role-play
scenarios to the same departments and people (and adding such a lesson to an assigned course
does the same), so everyone who must take the course can sit its quizzes and play its
scenarios. Those assignments are only ever added: removing a course assignment leaves them,
since a trainer may have given them on purpose, and a lesson opened to a few more people does
no harm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from training.audit.services import record
from training.courses.models import COMPLETION_RULES, LESSON_KINDS, Course, CourseAssignment, Lesson
from training.courses.sections import manual_section
from training.database import db, utcnow
from training.errors import Conflict, DomainError, NotFound
from training.exams.models import Exam, ExamAssignment, ExamKind
from training.people.audience import (
    ReachCounts,
    Target,
    audit_details,
    existing_targets,
    owned_assignment,
    place,
    reach_counts,
    target_of,
    unassign,
)
from training.roleplay.models import Scenario, ScenarioAssignment

MAX_MIN_SECONDS = 4 * 3600


@dataclass
class LessonValues:
    """What a trainer sets on a lesson; the fields another kind uses are ignored."""

    kind: str
    title: str = ""
    completion: str = "opened"
    min_seconds: int = 0
    manual_id: int | None = None
    anchor: str | None = None
    body: str = ""
    exam_id: int | None = None
    scenario_id: int | None = None


# --- courses ------------------------------------------------------------------------------


def get_course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None:
        raise NotFound(_("课程不存在"))
    return course


def course_list() -> Select[tuple[Course]]:
    """Every course, newest first, for the trainer's list."""
    return select(Course).order_by(Course.created_at.desc(), Course.id.desc())


def _check_title(title: str, course: Course | None = None) -> str:
    title = title.strip()
    if not title:
        raise DomainError(_("课程名称不能为空"))
    holder = db.session.scalar(select(Course).filter_by(title=title))
    if holder is not None and holder is not course:
        raise Conflict(_("已有名为「%(title)s」的课程", title=title))
    return title


def create_course(title: str, description: str, sequential: bool, *, actor: Any) -> Course:
    course = Course(
        title=_check_title(title), description=description.strip(), sequential=sequential,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(course)
    record(actor, "course.created", course, title=course.title)
    return course


def update_course(
    course: Course, title: str, description: str, sequential: bool, *, actor: Any
) -> None:
    course.title = _check_title(title, course)
    course.description, course.sequential = description.strip(), sequential
    course.updated_at = utcnow()
    record(actor, "course.updated", course, title=course.title, sequential=sequential)


# --- lessons ------------------------------------------------------------------------------


def get_lesson(course: Course, lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.course_id != course.id:
        raise NotFound(_("课时不存在"))
    return lesson


def quiz_exams() -> list[Exam]:
    """Exams of kind 课程测验, the ones a quiz lesson may use, newest first."""
    return list(db.session.scalars(
        select(Exam).where(Exam.kind == ExamKind.QUIZ).order_by(Exam.created_at.desc(), Exam.id.desc())
    ))


def _manual_values(values: LessonValues) -> tuple[LessonValues, str]:
    section = manual_section(values.manual_id, values.anchor)
    if section is None:
        raise DomainError(_("请选择制度中的章节（当前版本中已找不到所选章节）"))
    kept = LessonValues("manual", values.title, values.completion, values.min_seconds,
                        manual_id=values.manual_id, anchor=values.anchor)
    return kept, section.part.heading


def _page_values(values: LessonValues) -> tuple[LessonValues, str]:
    if not values.body.strip():
        raise DomainError(_("图文内容不能为空"))
    return LessonValues("page", values.title, values.completion, values.min_seconds,
                        body=values.body), ""


def _quiz_values(values: LessonValues) -> tuple[LessonValues, str]:
    exam = db.session.get(Exam, values.exam_id) if values.exam_id else None
    if exam is None or exam.kind != "quiz":
        raise DomainError(_("请选择一场课程测验"))
    return LessonValues("quiz", values.title, "quiz_passed", exam_id=exam.id), exam.title


def _scenario_values(values: LessonValues) -> tuple[LessonValues, str]:
    scenario = db.session.get(Scenario, values.scenario_id) if values.scenario_id else None
    if scenario is None or scenario.archived:
        raise DomainError(_("请选择一个情景演练"))
    return LessonValues("scenario", values.title, "run_passed", scenario_id=scenario.id), scenario.title


def lesson_scenarios() -> list[Scenario]:
    """Scenarios a scenario lesson may use (not archived), by title."""
    return list(db.session.scalars(
        select(Scenario).where(Scenario.archived.is_(False)).order_by(Scenario.title)
    ))


# Per kind: the fields it keeps (the others cleared) and the title it offers by default.
_KIND_VALUES = {"manual": _manual_values, "page": _page_values, "quiz": _quiz_values,
                "scenario": _scenario_values}
assert set(_KIND_VALUES) == set(LESSON_KINDS)


def _checked(values: LessonValues) -> LessonValues:
    """The values a lesson of this kind stores, its title defaulting to its source's."""
    if values.kind not in _KIND_VALUES:
        raise DomainError(_("未知的课时类型"))
    kept, default_title = _KIND_VALUES[values.kind](values)
    kept.title = kept.title.strip() or default_title
    if not kept.title:
        raise DomainError(_("课时名称不能为空"))
    _check_rule(kept)
    return kept


def _check_rule(values: LessonValues) -> None:
    if values.kind not in ("quiz", "scenario") and values.completion not in COMPLETION_RULES[:2]:
        raise DomainError(_("无效的完成条件"))
    if values.completion != "min_time":
        values.min_seconds = 0
    elif not 1 <= values.min_seconds <= MAX_MIN_SECONDS:
        raise DomainError(_("最短阅读时间应在 1 秒到 4 小时之间"))


def _apply(lesson: Lesson, values: LessonValues) -> None:
    for name, value in vars(values).items():
        setattr(lesson, name, value)


def add_lesson(course: Course, values: LessonValues, *, actor: Any) -> Lesson:
    """Append a lesson; a quiz or scenario lesson is opened to everyone the course is assigned
    to."""
    checked = _checked(values)
    lesson = Lesson(ordinal=len(course.lessons) + 1)
    _apply(lesson, checked)
    course.lessons.append(lesson)
    share_lessons(course)
    _touch(course, actor, "course.lesson_added", lesson=lesson.title, kind=lesson.kind)
    return lesson


def update_lesson(lesson: Lesson, values: LessonValues, *, actor: Any) -> None:
    """Change a lesson; its kind stays (a different kind is a different lesson)."""
    values.kind = lesson.kind
    _apply(lesson, _checked(values))
    share_lessons(lesson.course)
    _touch(lesson.course, actor, "course.lesson_updated", lesson=lesson.title)


def _in_order(course: Course) -> list[Lesson]:
    return sorted(course.lessons, key=lambda lesson: lesson.ordinal)


def _renumber(course: Course, lessons: list[Lesson]) -> None:
    """Number the lessons 1, 2, 3… in the given order, which the course's list then follows."""
    for ordinal, item in enumerate(lessons, start=1):
        item.ordinal = ordinal
    course.lessons = lessons


def move_lesson(lesson: Lesson, offset: int, *, actor: Any) -> None:
    """Move a lesson `offset` places up (negative) or down, within the course."""
    course = lesson.course
    lessons = _in_order(course)
    index = lessons.index(lesson)
    target = min(max(index + offset, 0), len(lessons) - 1)
    if target == index:
        return
    lessons.insert(target, lessons.pop(index))
    _renumber(course, lessons)
    _touch(course, actor, "course.lesson_moved", lesson=lesson.title, position=target + 1)


def remove_lesson(lesson: Lesson, *, actor: Any) -> None:
    """Delete a lesson and its learners' progress on it; the others close up."""
    course = lesson.course
    _renumber(course, [item for item in _in_order(course) if item is not lesson])
    _touch(course, actor, "course.lesson_removed", lesson=lesson.title)


def _touch(course: Course, actor: Any, action: str, **details: Any) -> None:
    course.updated_at = utcnow()
    record(actor, action, course, **details)


# --- assignments --------------------------------------------------------------------------


def assign_course(
    course: Course,
    wanted: list[Target],
    due_at: datetime | None,
    *,
    actor: Any,
    now: datetime | None = None,
) -> int:
    """Add departments, positions and people to the course with a due date (a target already
    there gets the new date); returns how many assignments were added or changed."""
    now = now or utcnow()
    if due_at is None:
        raise DomainError(_("请选择今天或以后的截止日期"))
    found = existing_targets(wanted, due_at, now)
    count = place(course.assignments, CourseAssignment, found, due_at=due_at, assigned_at=now,
                  assigned_by_id=getattr(actor, "id", None))
    share_lessons(course)
    record(actor, "course.assigned", course, **audit_details(found, due_at))
    return count


def remove_assignment(assignment: CourseAssignment, *, actor: Any) -> None:
    unassign(assignment.course, assignment, action="course.unassigned", actor=actor)


def get_assignment(course: Course, assignment_id: int) -> CourseAssignment:
    return owned_assignment(CourseAssignment, assignment_id, owner_field="course_id",
                            owner_id=course.id, missing=_("课程分配不存在"))


def share_lessons(course: Course) -> None:
    """Give every quiz and scenario of the course the course's departments, positions and
    people."""
    wanted = {target_of(a) for a in course.assignments}
    if not wanted:
        return
    exam_ids = {lesson.exam_id for lesson in course.lessons if lesson.exam_id is not None}
    for exam in db.session.scalars(select(Exam).where(Exam.id.in_(exam_ids))):
        present = {target_of(a) for a in exam.assignments}
        place(exam.assignments, ExamAssignment, sorted(wanted - present, key=str))
    scenario_ids = {lesson.scenario_id for lesson in course.lessons if lesson.scenario_id}
    for scenario in db.session.scalars(select(Scenario).where(Scenario.id.in_(scenario_ids))):
        present = {target_of(a) for a in scenario.assignments}
        place(scenario.assignments, ScenarioAssignment, sorted(wanted - present, key=str))


def course_reach(course: Course) -> ReachCounts:
    """How many people each of the course's assignments reaches, and all together."""
    return reach_counts(CourseAssignment, CourseAssignment.course_id == course.id)


def assignment_counts(course_ids: list[int]) -> dict[int, int]:
    """How many departments and people each course is assigned to, in one query."""
    if not course_ids:
        return {}
    return dict(db.session.execute(
        select(CourseAssignment.course_id, func.count(CourseAssignment.id))
        .where(CourseAssignment.course_id.in_(course_ids))
        .group_by(CourseAssignment.course_id)
    ).all())
