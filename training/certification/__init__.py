"""Certification (认证): levels defined by rules over exams, courses, role-play runs and read
confirmations; each employee's status per level, its history, certificates and their public
verification.

The rule and the lifecycle are pure (`rules`, `lifecycle`, `rule_yaml`: no Flask, no database),
so reports and the command line reuse them; `facts` gathers the records they read with grouped
queries, `services` records what an evaluation decides. Levels and the status board are for HR
(the blueprint's default); 我的认证 is for every signed-in user; /verify is public.

Evaluation follows the events of the features below (`training.events`): a graded or rescored
attempt, a completed course, a scored role-play run, a read confirmation each evaluate the
person they happened to, as of today.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.certification.demo import load_demo_certification
from training.certification.services import on_evidence, on_rescored
from training.demo.loader import DEMO_STEPS
from training.events import Event, subscribe
from training.templating import ACTION_LABELS

bp = Blueprint("certification", __name__, url_prefix="/certification")
blueprint_access(bp, "hr")
ACTION_LABELS.update(
    {
        "certification.awarded": _l("手动授予认证"),
        "certification.revoked": _l("撤销认证"),
        "certification.flag_kept": _l("保留被标记的认证"),
        "certification.level_saved": _l("保存认证等级"),
        "certification.imported": _l("导入认证等级"),
    }
)
for _event in (Event.ATTEMPT_GRADED, Event.COURSE_COMPLETED, Event.RUN_SCORED,
               Event.READ_CONFIRMED):
    subscribe(_event, on_evidence)
subscribe(Event.ATTEMPT_RESCORED, on_rescored)  # a lost pass flags, it never revokes
DEMO_STEPS.append(("certification", load_demo_certification))  # after exams, courses, role-play
verify_bp = Blueprint("verify", __name__, url_prefix="/verify")  # public, view by view

from training.certification import certificate_routes, routes  # noqa: E402,F401  (registers views)
