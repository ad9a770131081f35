"""ServiceCoach (客服培训考核系统): the Flask application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from training import routing
from training.config import build_config
from training.database import db
from training.proxies import TrustedProxyFix, parse_networks

PROJECT_ROOT = Path(__file__).resolve().parent.parent

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build one ServiceCoach app; `config` overrides the environment-derived settings."""
    instance_path = Path(os.environ.get("SERVICECOACH_INSTANCE", PROJECT_ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(build_config(instance_path, config))
    routing.init_app(app)
    if app.config["PROXY_HOPS"] and app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = TrustedProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, parse_networks(app.config["TRUSTED_PROXIES"]), app.config["PROXY_HOPS"]
        )
    _init_extensions(app)
    _register_blueprints(app)
    from training import hooks

    hooks.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from training import i18n, models  # noqa: F401  (models: complete metadata)
    from training.extensions import csrf, limiter, login_manager, migrate, talisman

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        strict_transport_security=app.config["PRODUCTION"],
        referrer_policy="same-origin",
    )


def _register_blueprints(app: Flask) -> None:
    from training import benchdata
    from training.api import bp as api_bp
    from training.article_links import bp as article_links_bp
    from training.audit import bp as audit_bp
    from training.auth import bp as auth_bp
    from training.bank import bp as bank_bp
    from training.certification import bp as certification_bp
    from training.certification import verify_bp
    from training.courses import bp as courses_bp
    from training.departments import bp as departments_bp
    from training.exams import bp as exams_bp
    from training.home import bp as home_bp
    from training.manuals import bp as manuals_bp
    from training.papers import bp as papers_bp
    from training.people import bp as people_bp
    from training.practice import bp as practice_bp
    from training.reports import bp as reports_bp
    from training.roleplay import bp as roleplay_bp

    for blueprint in (auth_bp, home_bp, people_bp, bank_bp, manuals_bp, papers_bp, exams_bp,
                      courses_bp, roleplay_bp, api_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(practice_bp)
    app.register_blueprint(article_links_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(departments_bp)
    app.register_blueprint(certification_bp)
    app.register_blueprint(verify_bp)
    app.register_blueprint(reports_bp)
    benchdata.init_app(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL and a busy timeout let several gunicorn workers share one SQLite file."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
