"""Shared fixtures: an app per database engine, factories, sign-in, query counting, a live server.

Every test that uses `app` runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL in
a schema of its own (so parallel runs cannot collide). The schema is built by the Alembic
migrations, so the migrations are tested by every run. REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1
turn the corresponding skips into failures (CI sets both).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import event

# Each test session gets its own instance folder (secret key, default SQLite file).
os.environ["SERVICECOACH_INSTANCE"] = tempfile.mkdtemp(prefix="servicecoach-instance-")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)

from training import create_app  # noqa: E402
from training.database import db, scratch_schema  # noqa: E402
from training.extensions import limiter  # noqa: E402

TEST_PASSWORD = "correct-horse-9"


def required(name: str) -> bool:
    return os.environ.get(name) == "1"


def skip_or_fail(reason: str, requirement: str) -> None:
    """Skip locally; in CI (requirement set) a missing component is a failure."""
    if required(requirement):
        pytest.fail(f"{reason} ({requirement}=1 makes this a failure)")
    pytest.skip(reason)


def postgres_schema(base_url: str):
    """This test run's own schema, so parallel runs on one server cannot collide."""
    return scratch_schema(base_url, f"sc_test_{os.getpid()}")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The database every app in this session uses, built by `db upgrade` (the migrations)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        _migrate(url)
        yield url
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        skip_or_fail("TEST_DATABASE_URL is not set; PostgreSQL tests skipped", "REQUIRE_POSTGRES")
    with postgres_schema(base) as url:
        _migrate(url)
        yield url


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _clear_tables() -> None:
    """Empty every table so each test starts from nothing (faster than re-migrating)."""
    db.session.rollback()
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:  # first break cycles (use_alter keys)
            for key in table.foreign_key_constraints:
                if key.use_alter:
                    connection.execute(table.update().values({c.name: None for c in key.columns}))
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override per test module (e.g. to enable CSRF) by redefining this fixture."""
    return {}


def _forget_request_state() -> None:
    for name in list(vars(g)):
        delattr(g, name)


class PerRequestClient(FlaskClient):
    """The fixture's app context outlives requests, so empty `g` around each request.

    Flask reuses an already pushed app context (and its `g`) for test requests; without this,
    per-request caches (Flask-Login's user, Flask-Babel's locale) would leak between requests.
    """

    def open(self, *args: Any, **kwargs: Any):
        _forget_request_state()
        try:
            return super().open(*args, **kwargs)
        finally:
            _forget_request_state()


@pytest.fixture
def app(database_url: str, app_config: dict[str, Any]):
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        **app_config,
    }
    app = create_app(config)
    app.test_client_class = PerRequestClient
    with app.app_context():
        yield app
        _clear_tables()
        limiter.reset()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app) -> Callable[..., Any]:
    """Factory: make_user(roles=("trainer",), username=..., **details) -> User (committed)."""
    from training.people.services import AccountDetails, create_user

    counter = iter(range(1, 1_000_000))

    def factory(roles=("employee",), password: str = TEST_PASSWORD, **fields: Any):
        n = next(counter)
        details = AccountDetails(
            username=fields.pop("username", f"user{n}"),
            display_name=fields.pop("display_name", f"测试用户{n}"),
            roles=frozenset(roles),
            employee_no=fields.pop("employee_no", f"T{n:05d}"),
            department_path=fields.pop("department_path", "测试公司/客服中心/一组"),
            **fields,
        )
        user = create_user(details, password)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def login_as(client, make_user) -> Callable[..., Any]:
    """Sign the test client in as a fresh user holding `role` (or several roles)."""

    def sign_in(*roles: str, **fields: Any):
        user = make_user(roles=roles or ("employee",), **fields)
        response = client.post(
            "/login", data={"username": user.username, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app) -> Callable[[], Any]:
    """Context manager counting SQL statements, for N+1 checks on list pages."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def before(_conn, _cursor, statement, *_args) -> None:
            counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting
