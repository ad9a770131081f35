"""Configuration: secret key, database selection, SQLite concurrency settings."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import text

from training import create_app
from training.config import build_config, database_url, load_secret_key
from training.database import db


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_secret_key(tmp_path)
    assert len(first) == 64 and load_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert load_secret_key(tmp_path) == "from-env"


def test_database_url_defaults_to_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url(tmp_path) == f"sqlite:///{tmp_path / 'servicecoach.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert database_url(tmp_path) == "postgresql+psycopg://u@h/db"


def test_production_config_secures_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("SERVICECOACH_ENV", "production")
    config = build_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["FORCE_HTTPS"]


def test_sqlite_runs_in_wal_mode_with_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_db_upgrade_builds_the_whole_schema_on_an_empty_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(db.inspect(db.engine).get_table_names()) if hasattr(db, "inspect") else None
        from sqlalchemy import inspect

        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        db.engine.dispose()


def test_models_match_migrations(app):
    """`db migrate` would generate nothing: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_question_bank_imports_without_flask():
    code = (
        "import importlib, pkgutil, sys, question_bank\n"
        "for m in pkgutil.walk_packages(question_bank.__path__, 'question_bank.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('flask', 'sqlalchemy', 'training')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_health_check_answers_plain_http_when_https_is_forced(tmp_path):
    app = create_app({"FORCE_HTTPS": True, "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'health.db'}"})
    client = app.test_client()
    health = client.get("/healthz", base_url="http://app.internal")
    assert health.status_code == 200 and health.get_json() == {"status": "ok"}
    login = client.get("/login", base_url="http://app.internal")
    assert login.status_code == 302 and login.location.startswith("https://")
