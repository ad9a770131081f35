"""Courses (课程): ordered lessons (manual sections, rich-text pages, lesson quizzes), assigned
with a due date, with completion rules, progress, reminders and a completion report.

Learner pages are open to anyone signed in (a course only shows to those it is assigned to);
building courses and the report are for trainers, the blueprint's default.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.courses.demo import load_demo_courses
from training.courses.progress import check_quiz_unlocked
from training.demo.loader import DEMO_STEPS
from training.exams.attempts import START_RULES
from training.highlights import register_highlight
from training.navigation import LEARN, TEACH, register_nav
from training.templating import ACTION_LABELS

bp = Blueprint("courses", __name__, url_prefix="/courses")
blueprint_access(bp, "trainer")
register_highlight(_l("在线课程与学习进度跟踪"), "mortarboard", order=40)
register_nav("courses.my_courses", _l("我的课程"), "mortarboard", "employee", order=25,
             group=LEARN)
register_nav("courses.manage", _l("课程管理"), "easel", "trainer", order=215, group=TEACH)
ACTION_LABELS.update(
    {
        "course.created": _l("创建课程"),
        "course.updated": _l("修改课程"),
        "course.lesson_added": _l("添加课时"),
        "course.lesson_updated": _l("修改课时"),
        "course.lesson_moved": _l("调整课时顺序"),
        "course.lesson_removed": _l("删除课时"),
        "course.assigned": _l("分配课程"),
        "course.unassigned": _l("取消课程分配"),
        "course.completed": _l("完成课程"),
        "course.image_uploaded": _l("上传课程图片"),
    }
)
DEMO_STEPS.append(("courses", load_demo_courses))  # after manuals and exams: it uses both
START_RULES.append(check_quiz_unlocked)  # a lesson quiz starts once its lesson is unlocked

from training.courses import routes  # noqa: E402,F401  (registers the views)
