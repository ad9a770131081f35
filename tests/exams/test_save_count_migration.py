"""Migration 0010 moves the save count from the attempt to its answers and keeps every total.

Runs on a database of its own (one per engine), because it walks the schema back and forth.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tests.conftest import postgres_schema, skip_or_fail
from training import create_app
from training.database import db

NOW = "2026-11-23 09:00:00"


@pytest.fixture(params=["sqlite", "postgresql"])
def migrating_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrating.db'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        skip_or_fail("TEST_DATABASE_URL is not set; PostgreSQL tests skipped", "REQUIRE_POSTGRES")
    with postgres_schema(base) as url:
        yield url


def _rows_without_parents(statements: list[str]) -> None:
    """Attempts and answers alone: the exams, users and questions they point at don't matter."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # before its first write
        else:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for statement in statements:
            connection.exec_driver_sql(statement)
    db.engine.dispose()  # the migration gets fresh connections, foreign keys on


def _attempt(attempt_id: int, saves: int) -> str:
    return ("INSERT INTO attempt (id, exam_id, user_id, number, seed, started_at, deadline, "
            f"position, save_count) VALUES ({attempt_id}, 1, {attempt_id}, 1, 0, '{NOW}', "
            f"'{NOW}', 0, {saves})")


def _answer(answer_id: int, attempt_id: int, question_id: int, seq: int = 1) -> str:
    return ("INSERT INTO answer (id, attempt_id, attempt_question_id, question_id, seq, "
            f"needs_manual, comment) VALUES ({answer_id}, {attempt_id}, {question_id}, "
            f"{question_id}, {seq}, false, '')")


def _totals(sql: str) -> dict[int, int]:
    return {key: value for key, value in db.session.execute(text(sql))}


def test_every_attempts_save_total_survives_the_upgrade_and_the_downgrade(migrating_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrating_url, "TESTING": True})
    with app.app_context():
        upgrade(revision="0009")
        _rows_without_parents([
            # 5 saves over 2 answers, and the row grading gave the unanswered third question
            _attempt(1, 5), _answer(1, 1, 11), _answer(2, 1, 12), _answer(5, 1, 13, seq=0),
            _attempt(2, 2), _answer(3, 2, 21), _answer(4, 2, 22),  # one save each
            _attempt(3, 0),  # started, nothing saved
        ])
        upgrade()
        per_answer = _totals("SELECT id, save_count FROM answer")
        assert per_answer == {1: 4, 2: 1, 3: 1, 4: 1, 5: 0}
        assert _totals("SELECT attempt.id, (SELECT coalesce(sum(save_count), 0) FROM answer "
                       "WHERE attempt_id = attempt.id) FROM attempt") == {1: 5, 2: 2, 3: 0}
        db.session.rollback()
        downgrade(revision="0009")
        assert _totals("SELECT id, save_count FROM attempt") == {1: 5, 2: 2, 3: 0}
        assert _totals("SELECT attempt_id, count(*) FROM answer GROUP BY attempt_id") == {1: 3, 2: 2}
        db.session.rollback()
        db.engine.dispose()
