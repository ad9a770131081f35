"""Trainer views: link from the question editor, link a category at once, review flagged links."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from training.article_links import bp
from training.article_links.forms import BulkLinkForm, LinkForm, ReturnForm
from training.article_links.queries import bulk_page, review_queue
from training.article_links.services import (
    bulk_link,
    confirm_link,
    current_article,
    get_link,
    link_article,
    unlink_article,
)
from training.bank.labels import TYPE_LABELS
from training.bank.models import Question
from training.bank.queries import categories_of
from training.bank.services import get_bank, get_question
from training.exams.services import get_exam
from training.redirects import safe_next
from training.unit_of_work import unit_of_work


def _back(form: ReturnForm, question: Question):
    """Return to the page the button was on, else to the question's editor panel."""
    if form.next.data:
        return redirect(safe_next(form.next.data))
    return redirect(url_for("bank.question_edit", question_id=question.id, _anchor="article-links"))


@bp.route("/questions/<int:question_id>/link", methods=["POST"])
def link(question_id: int):
    question = get_question(question_id)
    form = LinkForm()
    if form.validate_on_submit():
        with unit_of_work() as work:
            created = link_article(question, current_article(form.part_id.data), actor=current_user)
            work.message = _("已关联条文") if created else _("此题已关联该条文")
    return _back(form, question)


@bp.route("/questions/<int:question_id>/unlink/<int:link_id>", methods=["POST"])
def unlink(question_id: int, link_id: int):
    question = get_question(question_id)
    form = ReturnForm()
    if form.validate_on_submit():
        with unit_of_work(_("已取消关联")):
            unlink_article(question, link_id, actor=current_user)
    return _back(form, question)


@bp.route("/links/<int:link_id>/confirm", methods=["POST"])
def confirm(link_id: int):
    link = get_link(link_id)
    question = get_question(link.question_id)
    form = ReturnForm()
    if form.validate_on_submit():
        with unit_of_work(_("已确认：题目与修改后的条文仍然一致")):
            confirm_link(link, actor=current_user)
    return _back(form, question)


def _bulk_choices() -> dict[int, int]:
    """{question id: article id} from the table's radio groups; 不关联 (empty) is left out."""
    choices: dict[int, int] = {}
    for question_id in request.form.getlist("question", type=int):
        value = request.form.get(f"article-{question_id}", "")
        if value:
            choices[question_id] = int(value) if value.isdigit() else 0  # 0: no such article
    return choices


@bp.route("/banks/<int:bank_id>/bulk", methods=["GET", "POST"])
def bulk(bank_id: int):
    bank = get_bank(bank_id)
    category_id = request.args.get("category", type=int)
    form = BulkLinkForm()
    if form.validate_on_submit():
        with unit_of_work() as work:
            created = bulk_link(bank, _bulk_choices(), actor=current_user)
            work.message = _("已新增 %(n)d 条关联", n=created)
        if work.done:
            return redirect(url_for("article_links.bulk", bank_id=bank.id, category=category_id))
    return render_template(
        "article_links/bulk.html",
        bank=bank,
        form=form,
        category_id=category_id,
        categories=categories_of(bank),
        page=bulk_page(bank, category_id),
        type_labels=TYPE_LABELS,
    )


@bp.route("/banks/<int:bank_id>/review")
def review(bank_id: int):
    bank = get_bank(bank_id)
    return render_template("article_links/review.html", bank=bank, items=review_queue(bank))


@bp.route("/exams/<int:exam_id>")
def exam_weakness(exam_id: int):
    """Moved to the weak-articles report, which also scopes by department and period."""
    exam = get_exam(exam_id)
    return redirect(url_for("reports.weak_articles", exam=exam.id), 301)
