"""Exam pages: thin views over the services; the request commits once, at its end.

Examinee views are `@authenticated` (an exam shows only to those assigned, an attempt only to
its owner); the rest is for trainers, the blueprint's default.
"""

from __future__ import annotations

from datetime import timedelta

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from training.access import authenticated
from training.bank.labels import TYPE_LABELS
from training.database import db, utcnow
from training.errors import DomainError, NotFound
from training.exams import bp, labels, sitting
from training.exams.attempts import attempt_for, review_visibility
from training.exams.attendance import (
    LISTED,
    ListFilter,
    Shown,
    absentees,
    attempts_workbook,
    exam_attempts,
    summary,
)
from training.exams.availability import exam_statuses, status_for
from training.exams.charts import trend_svg
from training.exams.forms import (
    AssignForm,
    ExamForm,
    GradeForm,
    OverrideForm,
    RegradeForm,
    ScoreChangeForm,
    StartForm,
    to_utc,
)
from training.exams.grading import (
    answers_of,
    change_score,
    grade_answer,
    grading_queue,
    rule_of,
    suggest,
)
from training.exams.history import (
    TREND_POINTS,
    finished_attempts,
    history_entries,
    score_trend,
)
from training.exams.models import Answer, AttemptState, ExamOverride
from training.exams.predraw import prepare, prepared_count
from training.exams.regrade import apply_regrade, plan_regrade
from training.exams.review import can_retake, reviewed_questions
from training.exams.serialise import (
    attempt_for_examinee,
    examinee_state,
    page_questions,
)
from training.exams.services import (
    KIND_DEFAULTS,
    ExamSettings,
    assign_exam,
    attempt_counts,
    create_exam,
    events_of,
    exam_list,
    exam_reach,
    get_exam,
    get_exam_assignment,
    password_failures,
    remove_exam_assignment,
    remove_override,
    set_override,
    update_exam,
)
from training.exams.sheet import answer_sheet
from training.exams.shown import shown_questions
from training.exams.withheld import withheld_in_review
from training.papers.models import Paper
from training.people.audience import find_users
from training.people.services import all_departments
from training.spreadsheets import xlsx_download
from training.unit_of_work import unit_of_work


@bp.context_processor
def exam_labels() -> dict[str, object]:
    names = {name.lower(): getattr(labels, name) for name in dir(labels) if name.endswith("_LABELS")}
    return {**names, "type_labels": TYPE_LABELS}


# ---------------------------------------------------------------- examinees


@bp.route("/")
@authenticated
def my_exams():
    now = utcnow()
    statuses = exam_statuses(current_user, now)
    return render_template("exams/my_exams.html", statuses=statuses, now=now)


@bp.route("/history")
@authenticated
def history():
    now = utcnow()
    page = db.paginate(finished_attempts(current_user), per_page=current_app.config["PER_PAGE"])
    return render_template(
        "exams/history.html", page=page, entries=history_entries(page.items, now),
        trend=score_trend(current_user, now), trend_limit=TREND_POINTS,
    )


@bp.route("/history/trend.svg")
@authenticated
def trend_chart():
    response = make_response(trend_svg(score_trend(current_user, utcnow())))
    response.mimetype = "image/svg+xml"
    return response


@bp.route("/<int:exam_id>")
@authenticated
def intro(exam_id: int):
    now = utcnow()
    status = status_for(current_user, exam_id, now)
    return render_template("exams/intro.html", status=status, form=StartForm(), now=now)


@bp.route("/<int:exam_id>/start", methods=["POST"])
@authenticated
def start(exam_id: int):
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    with unit_of_work(passes=(NotFound,)) as work:  # a missing exam is the 404 page
        attempt = sitting.start(
            current_user, exam_id, password=form.password.data, address=request.remote_addr
        ).attempt
    if not work.done:
        return redirect(url_for("exams.intro", exam_id=exam_id))
    return redirect(url_for("exams.take", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>")
@authenticated
def take(attempt_id: int):
    now = utcnow()
    attempt = attempt_for(current_user, attempt_id, now)
    if attempt.state_at(now) != AttemptState.IN_PROGRESS:
        return redirect(url_for("exams.result", attempt_id=attempt.id))
    return render_template(
        "exams/take.html", attempt=attempt, exam=attempt.exam,
        questions=page_questions(shown_questions(attempt.id), answers_of(attempt)),
        remaining=attempt.remaining_seconds(now),
    )


@bp.route("/attempts/<int:attempt_id>/result")
@authenticated
def result(attempt_id: int):
    now = utcnow()
    attempt = attempt_for(current_user, attempt_id, now)
    if attempt.state_at(now) == AttemptState.IN_PROGRESS:
        return redirect(url_for("exams.take", attempt_id=attempt.id))
    seen = review_visibility(attempt, now)
    answers, questions = answers_of(attempt), shown_questions(attempt.id)
    withheld = withheld_in_review(attempt, [q.question_id for q in questions], seen, now)
    body = attempt_for_examinee(attempt, questions, answers, now, seen, withheld)
    reviewed = reviewed_questions(
        page_questions(questions, answers),
        {item["id"]: item for item in body.get("review", [])}, seen, withheld,
    )
    only_wrong = request.args.get("wrong") == "1"
    return render_template(
        "exams/result.html", attempt=attempt, exam=attempt.exam, body=body, seen=seen,
        reviewed=[r for r in reviewed if r.wrong] if only_wrong else reviewed,
        wrong_count=sum(r.wrong for r in reviewed), total=len(reviewed), only_wrong=only_wrong,
        retake=can_retake(current_user, attempt, now), start_form=StartForm(),
        state=examinee_state(attempt, now, seen),
    )


# ---------------------------------------------------------------- trainers


def _papers() -> list[Paper]:
    return list(db.session.scalars(select(Paper).order_by(Paper.title)))


@bp.route("/manage/")
def manage():
    page = db.paginate(exam_list(), per_page=current_app.config["PER_PAGE"])
    counts = attempt_counts([exam.id for exam in page.items])
    return render_template("exams/manage.html", page=page, counts=counts, now=utcnow())


@bp.route("/manage/new", methods=["GET", "POST"])
def create():
    form = ExamForm(papers=_papers())
    if request.method == "GET":
        kind = request.args.get("kind", "formal")
        now = utcnow()
        defaults = ExamSettings(0, "", kind if kind in KIND_DEFAULTS else "formal",
                                now, now + timedelta(days=7), **KIND_DEFAULTS.get(kind, {}))
        form.load(defaults)
    if form.validate_on_submit():
        with unit_of_work(_("考试已创建，请指定考生。")) as work:
            exam = create_exam(form.settings(), actor=current_user)
        if work.done:
            return redirect(url_for("exams.edit", exam_id=exam.id))
    return render_template("exams/edit.html", form=form, exam=None)


@bp.route("/manage/<int:exam_id>", methods=["GET", "POST"])
def edit(exam_id: int):
    exam = get_exam(exam_id)
    form = ExamForm(papers=_papers())
    if request.method == "GET":
        form.load(ExamSettings.of(exam))
    if form.validate_on_submit():
        with unit_of_work(_("设置已保存。")) as work:
            update_exam(exam, form.settings(), actor=current_user)
        if work.done:
            return redirect(url_for("exams.edit", exam_id=exam.id))
    return render_template("exams/edit.html", form=form, exam=exam,
                           assign=AssignForm().with_choices(), reach=exam_reach(exam),
                           override_form=OverrideForm(), prepared=prepared_count(exam))


@bp.route("/manage/<int:exam_id>/prepare", methods=["POST"])
def prepare_draws(exam_id: int):
    exam = get_exam(exam_id)
    with unit_of_work() as work:
        report = prepare(exam, actor=current_user)
        work.message = _("已为 %(drawn)d 名考生预先抽题，%(kept)d 名考生的抽题仍然有效。",
                         drawn=report.drawn, kept=report.kept)
    return redirect(url_for("exams.edit", exam_id=exam.id, _anchor="prepare"))


@bp.route("/manage/<int:exam_id>/assign", methods=["POST"])
def assign(exam_id: int):
    exam = get_exam(exam_id)
    form = AssignForm().with_choices()
    if not form.validate_on_submit():
        flash(_("请检查考生范围：岗位须从列表中选择，日期须有效。"), "danger")
        return redirect(url_for("exams.edit", exam_id=exam.id, _anchor="assign"))
    users, unknown = find_users(form.users.data or "")
    with unit_of_work(_("考生范围已保存。")):
        if unknown:
            raise DomainError(_("找不到这些考生：%(names)s", names="、".join(unknown)))
        assign_exam(exam, form.wanted([u.id for u in users]), form.due_at(), actor=current_user)
    return redirect(url_for("exams.edit", exam_id=exam.id, _anchor="assign"))


@bp.route("/manage/<int:exam_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
def unassign(exam_id: int, assignment_id: int):
    assignment = get_exam_assignment(get_exam(exam_id), assignment_id)
    with unit_of_work(_("已取消该安排。")):
        remove_exam_assignment(assignment, actor=current_user)
    return redirect(url_for("exams.edit", exam_id=exam_id, _anchor="assign"))


@bp.route("/manage/<int:exam_id>/overrides", methods=["POST"])
def add_override(exam_id: int):
    exam = get_exam(exam_id)
    form = OverrideForm()
    if form.validate_on_submit():
        users, _unknown = find_users(form.user.data)
        with unit_of_work(_("个人例外已保存。")):
            if len(users) != 1:
                raise DomainError(_("找不到考生：%(name)s", name=form.user.data))
            set_override(exam, users[0], form.extra_minutes.data or 0, to_utc(form.opens_at.data),
                         to_utc(form.closes_at.data), actor=current_user)
    return redirect(url_for("exams.edit", exam_id=exam.id, _anchor="overrides"))


@bp.route("/manage/<int:exam_id>/overrides/<int:override_id>/delete", methods=["POST"])
def delete_override(exam_id: int, override_id: int):
    override = db.session.get(ExamOverride, override_id)
    if override is None or override.exam_id != exam_id:
        abort(404)
    remove_override(override, actor=current_user)
    return redirect(url_for("exams.edit", exam_id=exam_id, _anchor="overrides"))


def _list_filter() -> ListFilter:
    return ListFilter.of(request.args.get("department", type=int), request.args.get("show"))


@bp.route("/manage/<int:exam_id>/attempts")
def attempts(exam_id: int):
    exam = get_exam(exam_id)
    now, chosen = utcnow(), _list_filter()
    if chosen.shown == Shown.NOT_STARTED:
        stmt = absentees(exam, chosen.department)
    else:
        stmt = exam_attempts(exam, chosen.department, chosen.shown, now).options(*LISTED)
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"])
    attempt_ids = [a.id for a in page.items] if chosen.shown != Shown.NOT_STARTED else []
    return render_template(
        "exams/attempts.html", exam=exam, page=page, now=now, chosen=chosen,
        figures=summary(exam, chosen.department, now), departments=all_departments(),
        events=events_of(attempt_ids), password_failures=password_failures(exam),
    )


@bp.route("/manage/<int:exam_id>/attempts.xlsx")
def attempts_xlsx(exam_id: int):
    exam = get_exam(exam_id)
    workbook = attempts_workbook(exam, _list_filter().department, utcnow())
    return xlsx_download(workbook, f"{exam.title}-{_('答卷')}.xlsx")


@bp.route("/manage/attempts/<int:attempt_id>")
def sheet(attempt_id: int):
    now, chosen = utcnow(), _list_filter()
    found = answer_sheet(attempt_id, now, chosen.department, chosen.shown)
    return render_template("exams/sheet.html", sheet=found, exam=found.attempt.exam, now=now,
                           chosen=chosen, form=ScoreChangeForm())


@bp.route("/manage/answers/<int:answer_id>/score", methods=["POST"])
def change_answer_score(answer_id: int):
    answer = db.session.get(Answer, answer_id)
    if answer is None:
        abort(404)
    form = ScoreChangeForm()
    if form.validate_on_submit():
        with unit_of_work(_("得分已更正，总分已重新计算。")):
            change_score(answer, form.points.data, form.comment.data or "", form.reason.data,
                         actor=current_user, now=utcnow())
    else:
        flash(next(iter(form.errors.values()))[0], "danger")
    return redirect(url_for("exams.sheet", attempt_id=answer.attempt_id, **_list_filter().args,
                            _anchor=f"q{answer.attempt_question.ordinal}"))


@bp.route("/manage/<int:exam_id>/regrade")
def regrade_preview(exam_id: int):
    exam = get_exam(exam_id)
    plan = plan_regrade(exam)
    return render_template("exams/regrade.html", exam=exam, plan=plan,
                           form=RegradeForm(digest=plan.digest))


@bp.route("/manage/<int:exam_id>/regrade", methods=["POST"])
def regrade(exam_id: int):
    exam = get_exam(exam_id)
    form = RegradeForm()
    if not form.validate_on_submit():
        abort(400)
    with unit_of_work(refused="warning") as work:
        plan = apply_regrade(exam, actor=current_user, expected=form.digest.data)
    if not work.done:  # the plan moved since the preview: show the new one
        return redirect(url_for("exams.regrade_preview", exam_id=exam.id))
    if plan.changes:
        flash(_("已重新评分：%(n)d 份答卷的成绩已更新，其中 %(f)d 份的通过情况改变。",
                n=len(plan.changes), f=plan.pass_flips), "success")
    else:
        flash(_("没有需要更新的成绩。"), "info")
    return redirect(url_for("exams.attempts", exam_id=exam.id))


@bp.route("/manage/<int:exam_id>/grading")
def grading(exam_id: int):
    exam = get_exam(exam_id)
    queue = db.paginate(grading_queue(exam), per_page=20)
    rule = rule_of(exam)
    suggestions = {a.id: suggest(a.attempt_question, a, rule) for a in queue.items}
    return render_template("exams/grading.html", exam=exam, page=queue, suggestions=suggestions,
                           form=GradeForm())


@bp.route("/manage/answers/<int:answer_id>/grade", methods=["POST"])
def grade(answer_id: int):
    answer = db.session.get(Answer, answer_id)
    if answer is None:
        abort(404)
    exam_id = answer.attempt.exam_id
    form = GradeForm()
    if form.validate_on_submit():
        with unit_of_work(_("已评分。")):
            grade_answer(answer, form.points.data, form.comment.data or "", actor=current_user,
                         now=utcnow())
    else:
        flash(_("请填写有效的得分。"), "danger")
    return redirect(url_for("exams.grading", exam_id=exam_id))
