"""Role-play (情景演练): branching complaint conversations, played, scored and reviewed.

The pure parts (the scenario as data, its file format, graph checks, play, scoring, free-text
matching) need neither Flask nor the database; `models`, `services` and `runs` keep scenarios
and runs. Playing is open to anyone signed in (a scenario only shows to those it is assigned
to); authoring, assigning and reviewing are for trainers, the blueprint's default.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.demo.loader import DEMO_STEPS
from training.highlights import register_highlight
from training.roleplay.demo import load_demo_scenarios
from training.templating import ACTION_LABELS

bp = Blueprint("roleplay", __name__, url_prefix="/roleplay")
blueprint_access(bp, "trainer")
register_highlight(_l("投诉处理情景演练，按服务步骤评分与复盘"), "chat-heart", order=50)
ACTION_LABELS.update(
    {
        "roleplay.scenario_saved": _l("保存情景演练"),
        "roleplay.scenario_archived": _l("归档情景演练"),
        "roleplay.scenario_restored": _l("恢复情景演练"),
        "roleplay.max_runs_set": _l("设置演练次数上限"),
        "roleplay.assigned": _l("分配情景演练"),
        "roleplay.unassigned": _l("取消情景演练分配"),
        "roleplay.run_started": _l("开始情景演练"),
        "roleplay.run_ended": _l("完成情景演练"),
        "roleplay.step_reviewed": _l("情景演练人工评分"),
    }
)
DEMO_STEPS.append(("role-play scenarios", load_demo_scenarios))  # needs only the demo people

from training.roleplay import manage, routes  # noqa: E402,F401  (registers the trainer's and the employee's views)
