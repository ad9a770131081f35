"""Views of the question bank: thin wrappers around the services, one commit per request."""

from __future__ import annotations

import io

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from question_bank.formats.encoding import decode_text
from question_bank.formats.spreadsheet import build_template_xlsx
from question_bank.import_fixes import apply_fixes, dump_fixes
from training.bank import bp
from training.bank.editing import fields_of, key_choices, question_from_fields, suggested_choices
from training.bank.exporting import EXPORTS, export_bank
from training.bank.forms import (
    BankForm,
    BulkForm,
    ImportCommitForm,
    ImportForm,
    KeyingForm,
    QuestionForm,
)
from training.bank.importing import (
    UPLOAD_KIND,
    build_preview,
    commit_import,
    source_lines,
    stage_paper,
    staged_result,
)
from training.bank.labels import FORMAT_LABELS, STATUS_LABELS, TYPE_LABELS
from training.bank.models import QuestionBank
from training.bank.preview_fixes import posted_fixes, question_sources, text_lines
from training.bank.queries import (
    QuestionFilter,
    bank_summaries,
    categories_of,
    count_drafts,
    distinct_labels,
    next_draft,
    question_query,
    versions_of,
)
from training.bank.services import (
    apply_bulk,
    create_bank,
    get_bank,
    get_question,
    key_question,
    save_question,
)
from training.database import db
from training.errors import DomainError
from training.imports.flow import commit_staged, stage_then_preview, staged_or_back
from training.imports.services import get_upload
from training.redirects import safe_next
from training.unit_of_work import unit_of_work

PASTED_NAME = "粘贴的试卷.txt"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.context_processor
def labels() -> dict[str, object]:
    return {"type_labels": TYPE_LABELS, "status_labels": STATUS_LABELS,
            "format_labels": FORMAT_LABELS}


@bp.route("/", methods=["GET", "POST"])
def bank_list():
    form = BankForm()
    if form.validate_on_submit():
        with unit_of_work() as work:
            bank = create_bank(form.name.data, form.description.data or "", actor=current_user)
        if work.done:
            return redirect(url_for("bank.question_list", bank_id=bank.id))
    return render_template("bank/bank_list.html", summaries=bank_summaries(), form=form)


def _criteria() -> QuestionFilter:
    args = request.args
    return QuestionFilter(
        query=args.get("q", "").strip(),
        type=args.get("type") or None,
        category_id=args.get("category", type=int),
        knowledge_point=args.get("kp") or None,
        tag=args.get("tag") or None,
        difficulty=args.get("difficulty", type=int),
        status=args.get("status") or None,
        needs_key=args.get("needs_key") == "1",
        imported=_id_range(args.get("imported", "")),
    )


def _id_range(text: str) -> tuple[int, int] | None:
    """"120-164" -> (120, 164): the questions one import added (their ids run in one block)."""
    first, dash, last = text.partition("-")
    return (int(first), int(last)) if dash and first.isdigit() and last.isdigit() else None


def _back_to_list(bank: QuestionBank) -> str:
    """The question list as the trainer left it (filters and page kept in `next`)."""
    return safe_next(request.args.get("next"), "bank.question_list", bank_id=bank.id)


@bp.route("/<int:bank_id>/")
def question_list(bank_id: int):
    bank = get_bank(bank_id)
    criteria = _criteria()
    page = db.paginate(question_query(bank, criteria), per_page=current_app.config["PER_PAGE"])
    tags, knowledge_points = distinct_labels(bank)
    return render_template(
        "bank/question_list.html", bank=bank, page=page, criteria=criteria,
        categories=categories_of(bank), tags=tags, knowledge_points=knowledge_points,
        bulk_form=BulkForm(),
        drafts=count_drafts(bank), exports=EXPORTS,
    )


@bp.route("/<int:bank_id>/bulk", methods=["POST"])
def bulk_action(bank_id: int):
    bank = get_bank(bank_id)
    form = BulkForm()
    ids = request.form.getlist("ids", type=int)
    if form.validate_on_submit() and ids:
        with unit_of_work() as work:
            count = apply_bulk(bank, form.action.data, ids, form.value.data or "", actor=current_user)
            work.message = _("已处理 %(n)d 道题", n=count)
    else:
        flash(_("请先勾选题目"), "warning")
    return redirect(safe_next(request.form.get("next"), "bank.question_list", bank_id=bank.id))


def _edit(bank: QuestionBank, question=None):
    form = QuestionForm(data=fields_of(question) if question and request.method == "GET" else None)
    if form.validate_on_submit():
        with unit_of_work(_("题目已保存")) as work:
            plain = question_from_fields(form.data)
            saved = save_question(bank, question, plain, form.status.data, actor=current_user)
        if work.done:
            return redirect(f"{_back_to_list(bank)}#q{saved.id}")
    return render_template("bank/question_edit.html", bank=bank, question=question, form=form,
                           back=_back_to_list(bank))


@bp.route("/<int:bank_id>/questions/new", methods=["GET", "POST"])
def question_new(bank_id: int):
    return _edit(get_bank(bank_id))


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
def question_edit(question_id: int):
    question = get_question(question_id)
    return _edit(question.bank, question)


@bp.route("/questions/<int:question_id>/history")
def question_history(question_id: int):
    question = get_question(question_id)
    return render_template(
        "bank/question_history.html", question=question, versions=versions_of(question)
    )


@bp.route("/<int:bank_id>/import", methods=["GET", "POST"])
def import_upload(bank_id: int):
    bank = get_bank(bank_id)
    form = ImportForm()
    if request.method == "GET" and request.args.get("revise"):
        form.text.data = _pasted_text(request.args["revise"])
    if form.validate_on_submit():
        upload = form.file.data
        if upload:
            name, data = upload.filename, upload.read()
        else:
            name, data = PASTED_NAME, form.text.data.encode("utf-8")
        staged = stage_then_preview(
            lambda: stage_paper(name, data, form.format.data, current_user),
            "bank.import_preview", bank_id=bank.id,
        )
        if staged:
            return staged
    return render_template("bank/import_upload.html", bank=bank, form=form)


def _pasted_text(upload_id: str) -> str:
    """The text of an earlier paste, for fixing it after the preview showed its problems."""
    try:
        return decode_text(get_upload(upload_id, UPLOAD_KIND, current_user).data).text
    except DomainError:
        return ""


@bp.route("/import/template.xlsx")
def import_template():
    return send_file(io.BytesIO(build_template_xlsx()), as_attachment=True,
                     download_name="题库导入模板.xlsx", mimetype=XLSX)


@bp.route("/<int:bank_id>/import/<upload_id>", methods=["GET", "POST"])
def import_preview(bank_id: int, upload_id: str):
    bank = get_bank(bank_id)
    staged = staged_or_back(upload_id, UPLOAD_KIND, "bank.import_upload", bank_id=bank.id)
    parsed = staged_result(staged)
    lines = text_lines(staged.data, parsed.format)
    fixes, fixing = posted_fixes(request.form)
    preview = build_preview(apply_fixes(parsed, fixes, lines), bank)
    form = ImportCommitForm()
    excluded = (set(request.form.getlist("exclude", type=int)) if form.is_submitted() and not fixing
                else preview.suggested_exclusions)
    imported: list[int] = []

    def run() -> int:
        imported.extend(q.id for q in commit_import(
            bank, preview.result, excluded=excluded, skip_unattached=form.skip_unattached.data,
            category=form.category.data, by_section=form.by_section.data, actor=current_user,
        ))
        return len(imported)

    if not fixing and form.validate_on_submit() and commit_staged(
        staged, run, lambda n: _("已导入 %(n)d 道题", n=n),
    ):  # show what was imported, the trainer's next job being to check it
        return redirect(url_for("bank.question_list", bank_id=bank.id,
                                imported=f"{min(imported)}-{max(imported)}"))
    return render_template(
        "bank/import_preview.html", bank=bank, preview=preview, form=form, excluded=excluded,
        blocking=preview.blocking(excluded, form.skip_unattached.data),
        staged=staged, pasted=staged.filename == PASTED_NAME, source_lines=source_lines(staged.data, preview),
        fixes=dump_fixes(fixes), sources=question_sources(preview.result, lines),
    )


@bp.route("/<int:bank_id>/keying", methods=["GET", "POST"])
def keying(bank_id: int):
    bank = get_bank(bank_id)
    form = KeyingForm()
    after = request.args.get("after", 0, type=int)
    if form.validate_on_submit():
        question = get_question(int(form.question_id.data))
        answer = "".join(request.form.getlist("choice"))
        with unit_of_work() as work:
            if answer:
                key_question(question, answer, actor=current_user)
        after = question.id if work.done else question.id - 1  # a refused key is offered again
        return redirect(url_for("bank.keying", bank_id=bank.id, after=after))
    question = next_draft(bank, after)
    form.question_id.data = question.id if question else None
    return render_template("bank/keying.html", bank=bank, question=question, form=form,
                           remaining=count_drafts(bank),
                           choices=key_choices(question) if question else [],
                           suggested=suggested_choices(question) if question else set())


@bp.route("/<int:bank_id>/export/<fmt>")
def export(bank_id: int, fmt: str):
    bank = get_bank(bank_id)
    download = export_bank(bank, fmt, question_query(bank, _criteria()))
    return send_file(io.BytesIO(download.data), as_attachment=True,
                     download_name=download.filename, mimetype=download.mimetype)
