"""Audit log: who did what to which object, for every change that counts.

Services record events (`training.audit.services.record`) inside the change's transaction;
administrators read them on the audit-log page, the blueprint's only view.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.navigation import MANAGE, register_nav

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
blueprint_access(bp, "admin")
register_nav("audit.log", _l("审计日志"), "journal-bookmark", "admin", order=920, group=MANAGE)

from training.audit import routes  # noqa: E402,F401  (registers the views)
