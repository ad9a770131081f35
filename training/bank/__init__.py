"""Question banks: categories, questions with versions, import, keying and export."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.bank.demo import load_demo_bank
from training.demo.loader import DEMO_STEPS
from training.navigation import TEACH, register_nav
from training.templating import ACTION_LABELS

bp = Blueprint("bank", __name__, url_prefix="/bank")
blueprint_access(bp, "trainer")
register_nav("bank.bank_list", _l("题库"), "collection", "trainer", order=200, group=TEACH)
ACTION_LABELS.update(
    {
        "bank.created": _l("创建题库"),
        "bank.imported": _l("导入试题"),
        "question.created": _l("新建试题"),
        "question.updated": _l("修改试题"),
        "question.status": _l("修改试题状态"),
        "question.bulk_tagged": _l("批量加标签"),
        "question.bulk_moved": _l("批量移动试题"),
        "question.bulk_archived": _l("批量归档试题"),
    }
)
DEMO_STEPS.append(("question bank", load_demo_bank))

from training.bank import routes  # noqa: E402,F401  (registers the views)
