"""The yardstick for autosave: about the least a Flask app can do for one save.

A separate tiny program, served by the same gunicorn settings as the product: it checks Flask's
own signed session cookie (itsdangerous) and upserts one row by primary key with the same
database engine (SQLite with the product's pragmas, or PostgreSQL), keeping the newer seq as
the product does, and answers `{"saved": true, "seq": n}` — so one wrk script and one lost-save
check drive both. `bench.autosave` and `bench.exam_day` report the autosave as a ratio of it.

gunicorn 'bench.minimal_app:create_app()' with MINIMAL_DATABASE_URL and MINIMAL_SECRET_KEY set.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from flask import Flask, abort, jsonify, request, session
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Table,
    create_engine,
    event,
)
from sqlalchemy.dialects import postgresql, sqlite

metadata = MetaData()
answers = Table(
    "minimal_answer", metadata,
    Column("attempt_id", Integer, primary_key=True),
    Column("question_id", Integer, primary_key=True),
    Column("response", JSON),
    Column("seq", Integer, nullable=False),
    Column("saved_at", DateTime, nullable=False),
)


def engine_for(url: str) -> Engine:
    """An engine with the product's SQLite pragmas (WAL, busy timeout, synchronous=NORMAL)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            for pragma in ("journal_mode=WAL", "busy_timeout=15000", "synchronous=NORMAL"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()
    return engine


def create_app(url: str | None = None, secret: str | None = None) -> Flask:
    engine = engine_for(url or os.environ["MINIMAL_DATABASE_URL"])
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(answers)
    upsert = insert.on_conflict_do_update(
        index_elements=[answers.c.attempt_id, answers.c.question_id],
        set_={"response": insert.excluded.response, "seq": insert.excluded.seq,
              "saved_at": insert.excluded.saved_at},
        where=answers.c.seq < insert.excluded.seq,
    ).returning(answers.c.seq)
    app = Flask(__name__)
    app.secret_key = secret or os.environ["MINIMAL_SECRET_KEY"]

    @app.put("/answers/<int:attempt_id>/<int:question_id>")
    def save(attempt_id: int, question_id: int):
        if "user_id" not in session:
            abort(401)
        body = request.get_json()
        with engine.begin() as connection:
            stored = connection.execute(upsert, {
                "attempt_id": attempt_id, "question_id": question_id,
                "response": body["response"], "seq": body["seq"], "saved_at": datetime.now(UTC).replace(tzinfo=None),
            }).scalar_one_or_none()
        return jsonify(saved=True, seq=body["seq"] if stored is None else stored)

    return app


def session_cookie(app: Flask, user_id: int) -> str:
    """The `Cookie` header of a browser signed in as `user_id` to `app`."""
    value = app.session_interface.get_signing_serializer(app).dumps({"user_id": user_id})
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"
