"""Service manuals: regulations as a versioned, searchable library with read confirmations.

Every view declares its audience itself (reading: anyone signed in; importing and settings:
trainers; the confirmation report: HR), so the blueprint sets no default.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.demo.loader import DEMO_STEPS
from training.highlights import register_highlight
from training.manuals.demo import load_demo_manuals
from training.navigation import register_nav
from training.templating import ACTION_LABELS

bp = Blueprint("manuals", __name__, url_prefix="/manuals")
register_highlight(_l("服务手册与制度随时查阅，条文可检索"), "journal-text", order=10)
register_nav("manuals.index", _l("服务手册"), "journal-text", order=40)
ACTION_LABELS.update({"manual.imported": _l("导入制度"), "manual.updated": _l("修改制度设置")})
DEMO_STEPS.append(("manuals", load_demo_manuals))

from training.manuals import routes  # noqa: E402,F401  (registers the views)
