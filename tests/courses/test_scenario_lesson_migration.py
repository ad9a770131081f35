"""Migration 0018 lets a lesson be a role-play scenario and keeps every learner's progress,
although SQLite rebuilds the lesson table (whose drop would cascade to the progress rows).

Runs on a database of its own (one per engine), because it walks the schema back and forth.
"""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tests.exams.test_save_count_migration import _rows_without_parents, migrating_url  # noqa: F401
from training import create_app
from training.database import db

NOW = "2026-12-05 09:00:00"


PARENTS = [
    *(f"INSERT INTO \"user\" (id, username, display_name, password_hash, active, "
      f"must_change_password, session_version, created_at) VALUES ({n}, 'u{n}', '学员{n}', 'x', "
      f"true, false, 1, '{NOW}')" for n in (7, 8)),
    "INSERT INTO course (id, title, description, sequential, created_at, updated_at) "
    f"VALUES (1, '课程', '', false, '{NOW}', '{NOW}')",
    "INSERT INTO scenario (id, key, title, channel, created_at, archived) "
    f"VALUES (5, 'case', '案例', 'counter', '{NOW}', false)",
]


def _lesson(lesson_id: int, kind: str = "page", extra: str = "", values: str = "") -> str:
    completion = "run_passed" if kind == "scenario" else "opened"
    return ("INSERT INTO course_lesson (id, course_id, ordinal, title, kind, completion, "
            f"min_seconds, body{extra}) VALUES ({lesson_id}, 1, {lesson_id}, '课时', '{kind}', "
            f"'{completion}', 0, ''{values})")


def _progress(row_id: int, lesson_id: int, user_id: int) -> str:
    return ("INSERT INTO lesson_progress (id, lesson_id, user_id, opened_at, completed_at) "
            f"VALUES ({row_id}, {lesson_id}, {user_id}, '{NOW}', '{NOW}')")


def _rows(sql: str) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(sql))]


def test_lesson_progress_survives_both_ways_and_scenario_lessons_go_on_the_way_back(migrating_url):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrating_url, "TESTING": True})
    with app.app_context():
        upgrade(revision="0017")
        _rows_without_parents([*PARENTS, _lesson(1), _lesson(2), _progress(1, 1, 7),
                               _progress(2, 2, 8)])
        upgrade(revision="0018")
        progress = "SELECT id, lesson_id, user_id FROM lesson_progress ORDER BY id"
        assert _rows(progress) == [(1, 1, 7), (2, 2, 8)]
        db.session.rollback()
        _rows_without_parents([_lesson(3, "scenario", ", scenario_id", ", 5"), _progress(3, 3, 7)])
        bad = _lesson(4, "scenario")  # a scenario lesson without its scenario is refused
        try:
            _rows_without_parents([bad])
        except Exception as error:  # noqa: BLE001 - either engine's IntegrityError
            assert "scenario_run" in str(error)
            db.engine.dispose()  # the refused insert left its connection without foreign keys
        else:
            raise AssertionError("a scenario lesson without a scenario was stored")
        downgrade(revision="0017")
        assert _rows(progress) == [(1, 1, 7), (2, 2, 8)]  # the scenario lesson went, with its row
        assert _rows("SELECT id, kind FROM course_lesson ORDER BY id") == [(1, "page"), (2, "page")]
        db.session.rollback()
        db.engine.dispose()
