"""Certification fixtures: the exam fixtures (a keyed objective paper), levels made through the
service, and an exam open long enough to be sat in the past (evidence made on earlier days)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from tests.courses.conftest import make_course  # noqa: F401  (fixture)
from tests.exams.conftest import drawn, make_exam, objective_only, paper, questions  # noqa: F401
from training.certification import rules
from training.certification.rule_yaml import Level
from training.certification.services import save_level
from training.database import db, utcnow
from training.timezones import local_day

# The objective paper: single (2) · multiple (2) · true/false (1) · fill-blank (2) = 7 points.
ALL_RIGHT = {1: ["B"], 2: ["A", "C"], 3: False, 4: ["秘密填空答案", "解决"]}  # 100 %
HALF = {1: ["B"], 3: False}  # 3 of 7: 42.86 %
SIX = {1: ["B"], 2: ["A", "C"], 4: ["秘密填空答案", "解决"]}  # 6 of 7: 85.71 %
NONE_RIGHT: dict[int, object] = {}


@pytest.fixture
def exam(make_exam, objective_only):  # noqa: F811
    """Open for two years back, any number of attempts, pass mark 40 %."""
    now = utcnow()
    return make_exam(pass_mark=40, attempts_allowed=None, opens_at=now - timedelta(days=800),
                     closes_at=now + timedelta(days=30), time_limit_minutes=None)


@pytest.fixture
def make_level(app) -> Callable[..., Any]:
    """Factory: make_level(rule, code=..., **LevelValues fields) → a saved level (committed)."""
    counter = iter(range(1, 1000))

    def factory(rule: rules.Rule, **fields: Any):
        n = next(counter)
        values = Level(code=fields.pop("code", f"L{n}"), name=fields.pop("name", f"等级{n}"),
                             rule=rule, **fields)
        level = save_level(values, actor=None)
        db.session.commit()
        return level

    return factory


def today() -> date:
    return local_day(utcnow())


def days_ago(days: int) -> datetime:
    return utcnow() - timedelta(days=days)

