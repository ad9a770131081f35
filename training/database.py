"""The declarative base and the Flask-SQLAlchemy handle shared by every feature's models."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    JSON,
    BindParameter,
    CheckConstraint,
    Column,
    Float,
    MetaData,
    Table,
    Text,
    bindparam,
    cast,
    create_engine,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase

# Named constraints make Alembic migrations reproducible and SQLite batch mode possible.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def one_of(column: str, values: Iterable[str]) -> CheckConstraint:
    """A CHECK that `column` holds one of `values` (an enum's members), named after the column."""
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=column)


def utcnow() -> datetime:
    """Timestamps are stored as naive UTC so SQLite and PostgreSQL compare them alike."""
    return datetime.now(UTC).replace(tzinfo=None)


def dialect_insert(
    table: Table | type[Any], dialect_name: str | None = None
) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that supports ON CONFLICT on `dialect_name` (by default this session's engine);
    into a mapped class, it can return ORM objects."""
    name = dialect_name or db.session.get_bind().dialect.name
    return (postgresql if name == "postgresql" else sqlite).insert(table)


def insert_rows(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows (all with the same keys) in one statement whose text doesn't grow with them.

    On PostgreSQL the rows travel as one array per column, which the server unnests: the
    100-row INSERT … VALUES that Start used cost psycopg ~3 ms per call re-parsing its long text
    (too long for its query cache), on the exam-day burst's critical path. Elsewhere the
    driver's executemany.
    """
    if not rows:
        return
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.execute(insert(table), rows)
        return
    names = list(rows[0])
    arrays = func.unnest(*(
        _array_of(table.c[name], [row[name] for row in rows]) for name in names
    )).table_valued(*names).render_derived()
    values = [cast(arrays.c[name], JSON) if isinstance(table.c[name].type, JSON)
              else arrays.c[name] for name in names]
    db.session.execute(insert(table).from_select(names, select(*values)))


def _array_of(column: Column, values: list[Any]) -> BindParameter:
    """One column's values as a PostgreSQL array parameter (JSON travels as text)."""
    if isinstance(column.type, JSON):
        return bindparam(column.name, [json.dumps(v) for v in values], type_=postgresql.ARRAY(Text))
    if isinstance(column.type, Float):  # psycopg refuses an array mixing 1 and 0.5
        values = [None if v is None else float(v) for v in values]
    return bindparam(column.name, values, type_=postgresql.ARRAY(column.type))


def without_jit() -> None:
    """PostgreSQL: no JIT compilation for the rest of this transaction. A report's statements
    over thousands of people are costed high enough to be compiled, and compiling them took
    0.2–0.8 s each, longer than running them."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


@contextmanager
def transaction() -> Iterator[None]:
    """Commit the block's writes, or roll them all back if it raises: for CLI commands and
    background work. Requests commit once at their end instead (training/unit_of_work.py)."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


@contextmanager
def scratch_schema(base_url: str, prefix: str) -> Iterator[str]:
    """A throw-away PostgreSQL schema and a URL whose search_path points at it.

    Test runs and benchmarks each get their own, so they can share one server without colliding.
    """
    schema = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
