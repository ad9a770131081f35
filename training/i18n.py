"""Language selection: Chinese first, English on request (user preference, then browser)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from training.extensions import babel

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def select_locale() -> str:
    """The signed-in user's choice, else this browser session's, else Accept-Language."""
    languages = list(current_app.config["LANGUAGES"])
    if not has_request_context():  # CLI and background jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def init_app(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel.init_app(app, locale_selector=select_locale)
