"""Certification (认证): levels defined by rules over exams, courses, role-play runs and read
confirmations; each employee's status per level, its history, certificates and their public
verification.

The rule and the lifecycle are pure (`rules`, `lifecycle`, `rule_yaml`: no Flask, no database),
so reports and the command line reuse them; `facts` gathers the records they read with grouped
queries, `services` records what an evaluation decides. Levels and the status board are for HR
(the blueprint's default); 我的认证 is for every signed-in user; /verify is public.
"""

from flask import Blueprint

from training.access import blueprint_access

bp = Blueprint("certification", __name__, url_prefix="/certification")
blueprint_access(bp, "hr")
verify_bp = Blueprint("verify", __name__, url_prefix="/verify")  # public, view by view

from training.certification import certificate_routes  # noqa: E402,F401  (registers views)
