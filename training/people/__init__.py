"""People: departments and user accounts, managed by administrators."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.jobs import register_job
from training.navigation import MANAGE, register_nav
from training.people.leaving import close_leavers
from training.people.services import normalize_department_path
from training.templating import ACTION_LABELS

bp = Blueprint("people", __name__, url_prefix="/admin/users")
blueprint_access(bp, "admin")
register_nav("people.user_list", _l("用户管理"), "people", "admin", order=900, group=MANAGE)
bp.add_app_template_filter(normalize_department_path, "department_path")  # import previews
ACTION_LABELS.update({"user.roster_updated": _l("导入更新员工")})
register_job(close_leavers)  # a leaver's account closes on the day, page views or not

from training.people import routes  # noqa: E402,F401  (registers the views)
