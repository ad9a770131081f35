"""Messages of the pure modules: Chinese now, in the reader's language when the app shows them.

A pure module cannot call Flask-Babel, yet its messages reach the screen (validation findings,
import problems). It writes each with `N_(template, **values)`: the Chinese template with
%(name)s placeholders, filled in at once, so a message stays a plain string that can be stored
(a staged import keeps its problems as JSON), compared and logged. `N_` is one of pybabel's
default keywords and babel.cfg reads question_bank, so `make messages` puts every template in
the catalogue; `training.i18n.translate_pure` matches a message back to its template when it is
shown. Any pure module marks its messages this way (the role-play scenario files too), instead of
the older "中文 (english)" pairs that read in two languages at once.
"""

from __future__ import annotations


def N_(template: str, /, **values: object) -> str:  # noqa: N802 - pybabel's keyword
    """The message in Chinese, `template` marked for the catalogue."""
    return template % values if values else template
