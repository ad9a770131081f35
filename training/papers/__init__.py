"""Papers (试卷): fixed question lists, and rules that draw a fresh paper for every attempt."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.demo.loader import DEMO_STEPS
from training.navigation import TEACH, register_nav
from training.papers.demo import load_demo_papers
from training.templating import ACTION_LABELS

bp = Blueprint("papers", __name__, url_prefix="/papers")
blueprint_access(bp, "trainer")
register_nav("papers.paper_list", _l("试卷"), "file-earmark-text", "trainer", order=210,
             group=TEACH)
ACTION_LABELS.update({"paper.created": _l("创建试卷"), "paper.updated": _l("修改试卷"),
                      "paper.deleted": _l("删除试卷")})
DEMO_STEPS.append(("papers", load_demo_papers))  # after the bank's step: it reads the demo bank

from training.papers import routes  # noqa: E402,F401  (registers the views)
