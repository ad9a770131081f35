"""Migration 0021 builds the certification tables (with the level ↔ current version cycle) and
its downgrade removes them even when levels point at their versions; upgrading again works.

Runs on a database of its own (one per engine), because it walks the schema back and forth.
"""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tests.exams.test_save_count_migration import migrating_url  # noqa: F401
from training import create_app
from training.certification import rules
from training.certification.rule_yaml import Level
from training.certification.services import save_level
from training.database import db

TABLES = {"cert_level", "cert_rule_version", "certificate", "cert_status", "cert_event"}


def tables() -> set[str]:
    db.engine.dispose()
    return set(inspect(db.engine).get_table_names()) & TABLES


def test_upgrade_downgrade_and_upgrade_again(migrating_url):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrating_url, "TESTING": True})
    with app.app_context(), app.test_request_context():
        upgrade()
        assert tables() == TABLES
        level = save_level(Level("junior", "初级", rules.MinimumTenure(1)), actor=None)
        assert level.current_version_id is not None  # the cycle's key in use
        db.session.commit()
        db.session.remove()
        downgrade(revision="0020")
        assert tables() == set()
        upgrade()
        assert tables() == TABLES
        db.session.remove()
        db.engine.dispose()
