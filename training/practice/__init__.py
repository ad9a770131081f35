"""Practice (练习): sequential, random and knowledge-point practice, the wrong-answer book,
favourites, 背题 mode and progress per category — for employees (admins pass)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.exams.signals import answers_revealed
from training.highlights import register_highlight
from training.navigation import LEARN, register_nav

bp = Blueprint("practice", __name__, url_prefix="/practice")
blueprint_access(bp, "employee")
register_highlight(_l("分类练习、背题与错题本"), "journal-check", order=20)
register_nav("practice.index", _l("练习"), "journal-check", "employee", order=35,
             group=LEARN)

from training.practice import routes  # noqa: E402,F401  (registers the views)
from training.practice.services import collect_from_exam_attempt  # noqa: E402

answers_revealed.connect(collect_from_exam_attempt)  # once the key may be seen: into the 错题本
