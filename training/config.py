"""Configuration: defaults for an embedded SQLite install, overridden by the environment.

Everything secret or deployment-specific comes from environment variables; the secret key is
generated once into the instance folder when none is given, never hard-coded.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


def load_secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, else one generated once into instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def database_url(instance_path: Path) -> str:
    """DATABASE_URL selects PostgreSQL in production; the default is a SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'servicecoach.db'}"


def _int_env(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def build_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Assemble the configuration for one app instance."""
    production = os.environ.get("SERVICECOACH_ENV", "development") == "production"
    redis_url = os.environ.get("REDIS_URL")
    config: dict[str, Any] = {
        "SECRET_KEY": load_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PRODUCTION": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "FORCE_HTTPS": production and os.environ.get("FORCE_HTTPS", "1") == "1",
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", "1" if production else "0")),
        # Peers whose X-Forwarded-* headers are believed: a reverse proxy on the same host by default.
        "TRUSTED_PROXIES": os.environ.get("TRUSTED_PROXIES", "127.0.0.1, ::1"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "REDIS_URL": redis_url,
        "LOGIN_FAILURES_PER_USER": os.environ.get("LOGIN_FAILURES_PER_USER", "5 per 5 minutes"),
        "LOGIN_ATTEMPTS_PER_ADDRESS": os.environ.get(
            "LOGIN_ATTEMPTS_PER_ADDRESS", "600 per minute"
        ),
        "EXAM_PASSWORD_FAILURES": os.environ.get("EXAM_PASSWORD_FAILURES", "5 per 10 minutes"),
        "PDF_EXPORTS_PER_USER": os.environ.get("PDF_EXPORTS_PER_USER", "10 per minute"),
        # How long each app process trusts an API token it read (see training/api/tokens.py).
        "API_TOKEN_CACHE_SECONDS": int(os.environ.get("API_TOKEN_CACHE_SECONDS", "60")),
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("SERVICECOACH_TIMEZONE", "Asia/Shanghai"),
        "LANGUAGES": {"zh_CN": "中文", "en": "English"},
        "PER_PAGE": 25,
        # What one import may hold (see README, configuration): larger files are refused with
        # a message saying so, before they cost a server seconds and gigabytes.
        "UPLOAD_MAX_MB": _int_env("UPLOAD_MAX_MB", 10),
        "UPLOAD_MAX_UNZIPPED_MB": _int_env("UPLOAD_MAX_UNZIPPED_MB", 100),
        "UPLOAD_MAX_ZIP_RATIO": _int_env("UPLOAD_MAX_ZIP_RATIO", 100),
        "IMPORT_MAX_QUESTIONS": _int_env("IMPORT_MAX_QUESTIONS", 5000),
        "MANUAL_MAX_ARTICLES": _int_env("MANUAL_MAX_ARTICLES", 3000),
        "ROSTER_MAX_ROWS": _int_env("ROSTER_MAX_ROWS", 10000),
        # Requests up to this size reach the views, so a file over UPLOAD_MAX_MB is refused by
        # name; beyond it Flask answers 413 without reading the body.
        "MAX_CONTENT_LENGTH": max(32, _int_env("UPLOAD_MAX_MB", 10) + 1) * 1024 * 1024,
        # Background exports (training/reports/jobs.py): a job still unfinished this long after
        # it was queued is marked failed (its worker or server died).
        "REPORT_JOB_TIMEOUT": _int_env("REPORT_JOB_TIMEOUT", 900),
        # Outgoing mail (training/mail.py): nothing is sent unless SMTP_HOST is set.
        "SMTP_HOST": os.environ.get("SMTP_HOST") or None,
        "SMTP_PORT": _int_env("SMTP_PORT", 587),
        "SMTP_STARTTLS": os.environ.get("SMTP_STARTTLS", "1") == "1",
        "SMTP_USER": os.environ.get("SMTP_USER") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or "",
        "SMTP_FROM": os.environ.get("SMTP_FROM", "servicecoach@localhost"),
        # The load test's ceiling endpoint; off unless a benchmark run asks for it.
        "BENCHMARK_ENDPOINTS": os.environ.get("SERVICECOACH_BENCHMARK_ENDPOINTS") == "1",
    }
    config.update(overrides or {})
    return config
