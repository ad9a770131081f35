"""Practice pages: thin views over the queries and services; the request commits once, at its end."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from question_bank.types import get_type
from training.bank.labels import TYPE_LABELS
from training.bank.models import Question
from training.database import db, utcnow
from training.exams.serialise import options_in_order
from training.exams.withheld import QuestionWithheld, check_not_withheld
from training.practice import bp, queries
from training.practice.models import PracticeAnswer
from training.practice.options import (
    feedback_options,
    is_shuffled,
    option_order,
    read_order,
    sign_order,
    to_shown,
)
from training.practice.queries import Scope
from training.practice.services import REVIEWS_TO_LEAVE, answer_question, toggle_favourite
from training.redirects import safe_next
from training.unit_of_work import unit_of_work


def _scope() -> Scope:
    """The scope carried in the URL (mode, bank, category, knowledge point)."""
    return Scope(
        mode=request.args.get("mode", "sequential"),
        bank_id=request.args.get("bank", type=int),
        category_id=request.args.get("category", type=int),
        point=request.args.get("point") or None,
    )


def _question(question_id: int, practisable: bool = True) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or (practisable and not queries.is_practisable(question)):
        abort(404)
    return question


@bp.errorhandler(QuestionWithheld)
def withheld(error: QuestionWithheld):
    """A question an exam still withholds: say why, back on the practice home page."""
    flash(error.message, "warning")
    return redirect(url_for("practice.index"))


@bp.route("/")
def index():
    user, now = current_user, utcnow()
    return render_template(
        "practice/index.html", progress=queries.progress(user, now),
        points=queries.knowledge_points(user, now), due=queries.due_count(user, now),
        in_book=len(queries.wrong_book(user, now)), withheld=queries.withheld_count(user, now),
    )


@bp.route("/next")
def next_question():
    scope = _scope()
    question_id = queries.next_question_id(
        current_user, scope, request.args.get("after", type=int), utcnow()
    )
    if question_id is None:
        if scope.mode == "review":
            flash(_("没有到期需要复习的错题。"), "info")
            return redirect(url_for("practice.wrong_book"))
        return render_template("practice/done.html", scope=scope)
    return redirect(url_for("practice.question", question_id=question_id, **scope.args()))


@bp.route("/q/<int:question_id>")
def question(question_id: int):
    question = _question(question_id)
    check_not_withheld(current_user, question.id, utcnow())
    version = question.current_version
    scope = _scope()
    order = option_order(version, scope.mode)
    return render_template(
        "practice/question.html", question=question, version=version, scope=scope,
        options=options_in_order(version.options or [], order),
        order_token=sign_order(version, order) if is_shuffled(version, scope.mode) else None,
        type_labels=TYPE_LABELS, favourite=queries.is_favourite(current_user.id, question.id),
    )


@bp.route("/q/<int:question_id>", methods=["POST"])
def answer(question_id: int):
    question = _question(question_id)
    scope = _scope()
    several = get_type(question.type).answer_kind.several
    raw = request.form.getlist("response") if several else request.form.get("response")
    token = request.form.get("order")
    # QuestionWithheld passes to the blueprint's handler: not back to a question not shown
    with unit_of_work(refused="warning", passes=(QuestionWithheld,)) as work:
        order = read_order(token, question.current_version) if token else None
        given = answer_question(current_user, question, raw, scope.mode, utcnow(), order)
    if not work.done:
        return redirect(url_for("practice.question", question_id=question.id, **scope.args()))
    return redirect(url_for("practice.feedback", answer_id=given.id, **scope.args()))


@bp.route("/answers/<int:answer_id>")
def feedback(answer_id: int):
    given = db.session.get(PracticeAnswer, answer_id)
    if given is None or given.user_id != current_user.id:
        abort(404)
    check_not_withheld(current_user, given.question_id, utcnow())  # the page shows the key
    version, order = given.version, given.option_order
    choice = get_type(version.type).choice
    return render_template(
        "practice/feedback.html", given=given, version=version, scope=_scope(),
        options=feedback_options(version, given.response, order) if choice else None,
        response=to_shown(given.response, order) if choice and order else given.response,
        type_labels=TYPE_LABELS, entry=queries.wrong_book_entry(current_user.id, given.question_id),
        favourite=queries.is_favourite(current_user.id, given.question_id),
        reviews_to_leave=REVIEWS_TO_LEAVE,
    )


@bp.route("/wrong-book")
def wrong_book():
    user, now = current_user, utcnow()
    return render_template(
        "practice/wrong_book.html", entries=queries.wrong_book(user, now), now=now,
        due=queries.due_count(user, now), type_labels=TYPE_LABELS,
        reviews_to_leave=REVIEWS_TO_LEAVE,
    )


@bp.route("/favourites")
def favourites():
    return render_template(
        "practice/favourites.html", favourites=queries.favourites(current_user, utcnow()),
        type_labels=TYPE_LABELS,
    )


@bp.route("/favourites/<int:question_id>", methods=["POST"])
def favourite(question_id: int):
    question = _question(question_id, practisable=False)
    starred = toggle_favourite(current_user, question)
    flash(_("已收藏。") if starred else _("已取消收藏。"), "success")
    return redirect(safe_next(request.form.get("next"), "practice.favourites"))


@bp.route("/memorise")
def memorise():
    scope, now = _scope(), utcnow()
    page = db.paginate(queries.memorise_query(current_user, scope, now), per_page=20,
                       error_out=False)
    return render_template(
        "practice/memorise.html", page=page, scope=scope, banks=queries.banks(current_user, now),
        withheld=queries.withheld_count(current_user, now, scope),
        type_labels=TYPE_LABELS,
    )
