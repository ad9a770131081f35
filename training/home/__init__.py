"""The signed-in home page (one panel per role held) and the health check."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.navigation import register_nav

bp = Blueprint("home", __name__)
register_nav("home.index", _l("首页"), "house", order=0)

from training.home import routes  # noqa: E402,F401  (registers the views)
