"""Questions linked to the manual articles they test (知识点 → 第X条).

Linking and reviewing links is for trainers, the blueprint's default. Examinees see the links
through the template global `article_links_for` in exam review, practice feedback and the
wrong-answer book, so those features' views need not change.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from training.access import blueprint_access
from training.article_links.demo import load_demo_links
from training.article_links.queries import editor_panel
from training.article_links.reports import weakness_table
from training.article_links.services import (
    article_headings,
    flag_changed_articles,
    links_for_questions,
    review_counts,
    review_flags,
)
from training.demo.loader import DEMO_STEPS
from training.manuals.services import EDITION_REPLACED
from training.reports.exams import QUESTION_ARTICLES
from training.reports.weak_articles import WEAKNESS_TABLES
from training.templating import ACTION_LABELS

bp = Blueprint("article_links", __name__, url_prefix="/article-links")
blueprint_access(bp, "trainer")
bp.add_app_template_global(links_for_questions, "article_links_for")
bp.add_app_template_global(editor_panel, "article_panel")
bp.add_app_template_global(review_flags, "article_review_flags")
bp.add_app_template_global(review_counts, "article_review_counts")  # the trainer's home
ACTION_LABELS.update(
    {
        "question.article_linked": _l("添加条文关联"),
        "question.article_unlinked": _l("取消关联条文"),
        "question.article_link_confirmed": _l("确认条文关联"),
        "question.articles_bulk_linked": _l("按分类关联条文"),
    }
)
EDITION_REPLACED.append(flag_changed_articles)
QUESTION_ARTICLES.append(article_headings)  # the item analysis names the article each tests
WEAKNESS_TABLES.append(weakness_table)  # weak articles per exam, department, period, person
# The demo module imports the bank's and the manuals' packages, whose steps come first.
DEMO_STEPS.append(("article links", load_demo_links))

from training.article_links import routes  # noqa: E402,F401  (registers the views)
