"""People: departments and user accounts, managed by administrators."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.navigation import MANAGE, register_nav
from training.people.services import normalize_department_path

bp = Blueprint("people", __name__, url_prefix="/admin/users")
blueprint_access(bp, "admin")
register_nav("people.user_list", _l("用户管理"), "people", "admin", order=900, group=MANAGE)
bp.add_app_template_filter(normalize_department_path, "department_path")  # import previews

from training.people import routes  # noqa: E402,F401  (registers the views)
