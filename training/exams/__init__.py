"""Exams (考试): settings, assignment, sitting with a server-owned clock, autosave, grading.

Examinee pages are open to anyone signed in (an exam is only shown to those assigned);
setting up, monitoring and grading exams is for trainers, the blueprint's default.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.demo.loader import DEMO_STEPS
from training.exams.demo import load_demo_exams
from training.exams.services import exam_titles_using
from training.highlights import register_highlight
from training.navigation import LEARN, TEACH, register_nav
from training.papers.services import PAPER_USERS
from training.templating import ACTION_LABELS

bp = Blueprint("exams", __name__, url_prefix="/exams")
blueprint_access(bp, "trainer")
register_highlight(_l("模拟考试与正式考核，自动计时与评分"), "pencil-square", order=30)
register_nav("exams.my_exams", _l("我的考试"), "pencil-square", "employee", order=30,
             group=LEARN)
register_nav("exams.manage", _l("考试管理"), "clipboard-data", "trainer", order=220,
             group=TEACH)
ACTION_LABELS.update(
    {
        "exam.created": _l("创建考试"),
        "exam.updated": _l("修改考试"),
        "exam.assigned": _l("指定考生"),
        "exam.unassigned": _l("取消考生安排"),
        "exam.override_set": _l("设置个人例外"),
        "exam.override_removed": _l("取消个人例外"),
        "exam.draws_prepared": _l("预先抽题"),
        "exam.attempt_started": _l("开始考试"),
        "exam.password_failed": _l("考试密码错误"),
        "exam.attempt_submitted": _l("交卷"),
        "exam.attempt_auto_closed": _l("到时自动收卷"),
        "exam.attempt_regraded": _l("重新评分"),
        "exam.regraded": _l("整场考试重新评分"),
        "exam.attempt_graded": _l("阅卷完成"),
        "exam.answer_graded": _l("人工评分"),
        "exam.answer_regraded": _l("修改人工评分"),
        "exam.answer_rescored": _l("更正人工评分"),
        "api.token_issued": _l("签发 API 令牌"),
        "api.token_revoked": _l("吊销 API 令牌"),
    }
)
DEMO_STEPS.append(("exams", load_demo_exams))  # after the papers' step: it uses their papers
PAPER_USERS.append(exam_titles_using)  # a paper an exam is built on stays

from training.exams import routes  # noqa: E402,F401  (registers the views)
from training.exams.attempts import drop_spent_draws, sweep_expired  # noqa: E402
from training.jobs import register_job  # noqa: E402

register_job(sweep_expired)  # closes abandoned attempts whether or not a page is read
register_job(drop_spent_draws)  # prepared draws of closed exams
