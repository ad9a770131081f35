"""Language selection: Chinese first, English on request (user preference, then browser)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
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


def translate_pure(message: str) -> str:
    """A pure module's message (`question_bank.texts.N_`) in the reader's language.

    The message arrives filled in ("答案: 选项 F 不存在"); the catalogue holds its template
    ("答案: 选项 %(label)s 不存在"), so the message is matched back to the template and its
    values carried over; a value filling %(error)s is itself a message and a %(type)s a
    question type's name ("第 4 行, %(error)s" wraps "答案: 选项 F 不存在"), so they are translated
    in turn. A message no template matches is shown as it is.
    """
    if str(get_locale()) == current_app.config["BABEL_DEFAULT_LOCALE"]:
        return message
    if _(message) != message:
        return _(message)
    for template, pattern in _templates(str(get_locale())).get(message[:1], ()):
        found = pattern.fullmatch(message)
        if found:
            values = found.groupdict()
            return _(template, **{name: translate_pure(value) if name in _NESTED else value
                                  for name, value in values.items()})
    return message


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")  # N_ templates take text values only
_NESTED = frozenset({"error", "type"})  # placeholders whose values are translatable text


@cache
def _templates(locale: str) -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """The locale's templates with placeholders, as patterns, by their first character, those
    with the most fixed text first."""
    by_start: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for msgid in getattr(get_translations(), "_catalog", {}):
        if (isinstance(msgid, str) and _PLACEHOLDER.search(msgid) and not msgid.startswith("%")
                and "%(" not in _PLACEHOLDER.sub("", msgid)):
            by_start.setdefault(msgid[:1], []).append((msgid, _pattern(msgid)))
    for templates in by_start.values():  # the most specific first: "答案: %(error)s" last
        templates.sort(key=lambda item: -len(_PLACEHOLDER.sub("", item[0])))
    return by_start


def _pattern(template: str) -> re.Pattern[str]:
    parts, seen, end = [], set(), 0
    for placeholder in _PLACEHOLDER.finditer(template):
        name = placeholder.group(1)
        parts.append(re.escape(template[end:placeholder.start()]))
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        end = placeholder.end()
    parts.append(re.escape(template[end:]))
    return re.compile("".join(parts), re.DOTALL)


def init_app(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel.init_app(app, locale_selector=select_locale)
    app.add_template_filter(translate_pure, "pure_text")
