"""Course fixtures: a small manual, a lesson quiz (the exams' fixed draw), a course factory.

The quiz reuses the exam tests' bank and monkeypatched draw, without the subjective question,
so a submitted attempt is graded at once: all four answered right scores 7 of 7 (pass), none
answered scores 0 (fail).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.exams.conftest import (  # noqa: F401  (fixtures)
    SECRET_BLANK,
    drawn,
    make_exam,
    objective_only,
    paper,
    questions,
)
from tests.exams.helpers import sit_exam
from tests.manuals.samples import EDITION_1, parsed
from training.courses.models import Course
from training.courses.services import LessonValues, add_lesson, assign_course, create_course
from training.database import db, utcnow
from training.exams.models import Attempt, Exam
from training.manuals.models import Manual
from training.manuals.services import import_manuals
from training.people.audience import targets
from training.people.services import ensure_department

COMPANY = "测试公司"
RIGHT_ANSWERS = (["B"], ["A", "C"], False, [SECRET_BLANK, "解决"])


@pytest.fixture
def manual(app) -> Manual:
    """客户服务管理制度 with 第一章 (a1, a2) and 第二章 投诉处理 (a3 with items, a4)."""
    (imported,) = import_manuals(parsed(EDITION_1), "制度.txt")
    db.session.commit()
    return imported.edition.manual


@pytest.fixture
def quiz(make_exam, objective_only) -> Exam:  # noqa: F811
    """A lesson quiz open now, retakes allowed, scores shown at once; assigned to nobody."""
    return make_exam(assign_root=False, title="服务规范课程测验", kind="quiz",
                     attempts_allowed=None, review_when="immediately")


def sit(user: Any, exam: Exam, *, right: bool = True, now: datetime | None = None) -> Attempt:
    """Sit the quiz: every answer right (7/7, passed) or nothing answered (0, failed)."""
    return sit_exam(exam, user, dict(enumerate(RIGHT_ANSWERS, start=1)) if right else {}, now=now)


def page_lesson(title: str = "欢迎页", rule: str = "opened", seconds: int = 0) -> LessonValues:
    return LessonValues("page", title, rule, seconds, body=f"## {title}\n\n欢迎学习。")


@pytest.fixture
def make_course(app) -> Callable[..., Course]:
    """Factory: make_course(lessons, assign=("测试公司",), due_in=timedelta(days=7), ...)."""

    def factory(
        lessons: list[LessonValues] | None = None,
        *,
        title: str = "服务规范课程",
        sequential: bool = False,
        assign: tuple[str, ...] = (COMPANY,),
        users: tuple[Any, ...] = (),
        due_in: timedelta = timedelta(days=7),
        now: datetime | None = None,
    ) -> Course:
        now = now or utcnow()
        course = create_course(title, "课程简介", sequential, actor=None)
        for values in lessons if lessons is not None else [page_lesson()]:
            add_lesson(course, values, actor=None)
        departments = [ensure_department(path).id for path in assign]
        if departments or users:
            assign_course(course, targets(departments, [], [u.id for u in users]), now + due_in, actor=None,
                          now=now)
        db.session.commit()
        return course

    return factory
