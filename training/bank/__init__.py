"""Question banks: categories, questions with versions, import, keying and export."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.bank.demo import load_demo_bank
from training.demo.loader import DEMO_STEPS
from training.navigation import TEACH, register_nav

bp = Blueprint("bank", __name__, url_prefix="/bank")
blueprint_access(bp, "trainer")
register_nav("bank.bank_list", _l("题库"), "collection", "trainer", order=200, group=TEACH)
DEMO_STEPS.append(("question bank", load_demo_bank))

from training.bank import routes  # noqa: E402,F401  (registers the views)
