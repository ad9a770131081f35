"""Departments: the company tree that accounts, assignments and reports hang on.

Administrators shape it here (rename, move, merge a typo into the right department, delete an
empty one); every other form picks departments from it instead of typing them.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.navigation import MANAGE, register_nav
from training.templating import ACTION_LABELS

bp = Blueprint("departments", __name__, url_prefix="/admin/departments")
blueprint_access(bp, "admin")
register_nav("departments.tree", _l("部门管理"), "diagram-3", "admin", order=910, group=MANAGE)
ACTION_LABELS.update(
    {
        "department.created": _l("新建部门"),
        "department.renamed": _l("部门改名"),
        "department.moved": _l("移动部门"),
        "department.merged": _l("合并部门"),
        "department.deleted": _l("删除部门"),
    }
)

from training.departments import routes  # noqa: E402,F401  (registers the views)
