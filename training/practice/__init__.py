"""Practice (练习): sequential, random and knowledge-point practice, the wrong-answer book,
favourites, 背题 mode and progress per category — for employees (admins pass)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.highlights import register_highlight
from training.navigation import LEARN, register_nav

bp = Blueprint("practice", __name__, url_prefix="/practice")
blueprint_access(bp, "employee")
register_highlight(_l("分类练习、背题与错题本"), "journal-check", order=20)
register_nav("practice.index", _l("练习"), "journal-check", "employee", order=35,
             group=LEARN)

from training.exams.attempts import ON_FINISH  # noqa: E402
from training.exams.grading import ON_RESCORED  # noqa: E402
from training.jobs import register_job  # noqa: E402
from training.practice import routes  # noqa: E402,F401  (registers the views)
from training.practice.services import (  # noqa: E402
    fill_due_wrong_books,
    fill_wrong_book,
    refill_wrong_book,
)

# Wrong exam answers join the book when the review shows them, however the attempt finished
# and whether or not anybody opens its result page.
ON_FINISH.append(fill_wrong_book)
ON_RESCORED.append(refill_wrong_book)  # a regrade can make a right answer wrong
register_job(fill_due_wrong_books)
