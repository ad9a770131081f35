"""Views of papers: thin wrappers around the services, one commit per request."""

from __future__ import annotations

import secrets

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from training.bank.labels import STATUS_LABELS, TYPE_LABELS
from training.bank.models import QuestionBank
from training.bank.queries import (
    QuestionFilter,
    categories_of,
    distinct_labels,
    question_query,
)
from training.bank.services import bank_questions
from training.database import db
from training.errors import DomainError
from training.papers import bp
from training.papers.forms import (
    NO_BANK,
    AddQuestionsForm,
    ItemsForm,
    PaperDetailsForm,
    PaperForm,
    SectionRuleForm,
    SectionTitleForm,
    item_changes,
)
from training.papers.models import Paper, PaperSection
from training.papers.queries import all_banks, items_by_section, paper_counts, paper_query
from training.papers.services import (
    add_questions,
    add_section,
    assess,
    change_items,
    create_paper,
    delete_paper,
    move_section,
    remove_section,
    sample_draw,
    section_shortfall,
    update_paper,
    update_section,
)
from training.unit_of_work import unit_of_work

SEED_LIMIT = 1_000_000


@bp.context_processor
def labels() -> dict[str, object]:
    return {"type_labels": TYPE_LABELS, "status_labels": STATUS_LABELS}


def _bank(bank_id: int | None) -> QuestionBank | None:
    return db.session.get(QuestionBank, bank_id) if bank_id and bank_id != NO_BANK else None


def _back(paper: Paper, **args):
    """The builder again, whatever became of the change: it shows the paper as it now is."""
    return redirect(url_for("papers.paper_detail", paper_id=paper.id, **args))


def _search_args() -> dict[str, str]:
    """The builder's search, carried through a post so the trainer returns to the same results."""
    return {key.removeprefix("search-"): value for key, value in request.form.items()
            if key.startswith("search-") and value}


def _form_errors(form) -> DomainError:
    return DomainError("；".join(f"{form[name].label.text}: {'，'.join(map(str, errors))}"
                                for name, errors in form.errors.items() if name in form))


@bp.route("/", methods=["GET", "POST"])
def paper_list():
    form = PaperForm(banks=all_banks())
    if form.validate_on_submit():
        with unit_of_work(_("试卷已创建")) as work:
            paper = create_paper(form.title.data, form.description.data or "", form.kind.data,
                                 _bank(form.bank_id.data), actor=current_user)
        if work.done:
            return _back(paper)
    search = request.args.get("q", "").strip()
    page = db.paginate(paper_query(search, request.args.get("kind") or None),
                       per_page=current_app.config["PER_PAGE"])
    return render_template("papers/list.html", page=page, form=form, search=search,
                           counts=paper_counts([p.id for p in page.items]))


def _menus(paper: Paper) -> tuple[list[str], list[str], list[str]]:
    """The bank's category paths, tags and knowledge points a rule section can choose from."""
    if paper.is_fixed or paper.bank is None:
        return [], [], []
    tags, knowledge_points = distinct_labels(paper.bank)
    return [c.path for c in categories_of(paper.bank)], tags, knowledge_points


def _section_form(paper: Paper, section: PaperSection | None = None, formdata=None, menus=None):
    """The right form for the paper's kind; rule sections choose from the bank's labels."""
    prefix = f"s{section.id}" if section else "new"
    if paper.is_fixed:
        return SectionTitleForm(formdata=formdata, obj=section, prefix=prefix)
    form = SectionRuleForm(formdata=formdata, obj=section, prefix=prefix)
    if section is not None and formdata is None:
        form.type.data = section.type or ""
    form.set_choices(*(menus or _menus(paper)))
    return form


def _search(paper: Paper) -> dict[str, object]:
    """The fixed-paper builder's bank search (the bank's own filters), one page of results."""
    args = request.args
    bank = _bank(args.get("bank", type=int)) or paper.bank or next(iter(all_banks()), None)
    if bank is None:
        return {"bank": None}
    criteria = QuestionFilter(
        query=args.get("q", "").strip(), type=args.get("type") or None,
        category_id=args.get("category", type=int), difficulty=args.get("difficulty", type=int),
        status=args.get("status") or None,
    )
    page = db.paginate(question_query(bank, criteria), per_page=current_app.config["PER_PAGE"])
    return {"bank": bank, "criteria": criteria, "results": page, "categories": categories_of(bank)}


@bp.route("/<int:paper_id>/")
def paper_detail(paper_id: int):
    paper = db.get_or_404(Paper, paper_id)
    banks, menus = all_banks(), _menus(paper)
    context = {
        "paper": paper, "assessment": assess(paper), "banks": banks,
        "details_form": PaperDetailsForm(obj=paper, banks=banks),
        "section_forms": {s.id: _section_form(paper, s, menus=menus) for s in paper.sections},
        "new_section_form": _section_form(paper, menus=menus),
    }
    if paper.is_fixed:
        items = items_by_section(paper)
        add_form = AddQuestionsForm(sections=paper.sections)
        context.update(items=items, items_form=ItemsForm(), add_form=add_form, search=_search(paper),
                       in_paper={i.question_id for group in items.values() for i in group})
    return render_template("papers/detail.html", **context)


@bp.route("/<int:paper_id>/edit", methods=["POST"])
def paper_edit(paper_id: int):
    paper = db.get_or_404(Paper, paper_id)
    form = PaperDetailsForm(banks=all_banks())
    with unit_of_work(_("试卷已保存")):
        if not form.validate_on_submit():
            raise _form_errors(form)
        update_paper(paper, form.title.data, form.description.data or "", _bank(form.bank_id.data),
                     actor=current_user)
    return _back(paper)


@bp.route("/<int:paper_id>/delete", methods=["POST"])
def paper_delete(paper_id: int):
    paper = db.get_or_404(Paper, paper_id)
    with unit_of_work(_("已删除试卷「%(title)s」", title=paper.title)) as work:
        delete_paper(paper, actor=current_user)
    return redirect(url_for("papers.paper_list")) if work.done else _back(paper)


@bp.route("/<int:paper_id>/sections", methods=["POST"])
def section_add(paper_id: int):
    paper = db.get_or_404(Paper, paper_id)
    form = _section_form(paper, formdata=request.form)
    with unit_of_work(_("已添加部分")) as work:
        if not form.validate_on_submit():
            raise _form_errors(form)
        section = add_section(paper, form.values(), actor=current_user)
        if why := section_shortfall(section):  # saved all the same: the bank may grow
            work.warn(_("已添加部分，但题库暂时不够抽题：%(why)s", why=why))
    return _back(paper, _anchor=f"section-{section.id}") if work.done else _back(paper)


def _section(section_id: int) -> PaperSection:
    return db.get_or_404(PaperSection, section_id)


@bp.route("/sections/<int:section_id>/edit", methods=["POST"])
def section_edit(section_id: int):
    section = _section(section_id)
    form = _section_form(section.paper, section, formdata=request.form)
    with unit_of_work(_("已保存第 %(n)d 部分", n=section.ordinal)) as work:
        if not form.validate_on_submit():
            raise _form_errors(form)
        update_section(section, form.values(), actor=current_user)
        if why := section_shortfall(section):
            work.warn(_("已保存第 %(n)d 部分，但题库暂时不够抽题：%(why)s", n=section.ordinal, why=why))
    return _back(section.paper, _anchor=f"section-{section.id}")


@bp.route("/sections/<int:section_id>/delete", methods=["POST"])
def section_delete(section_id: int):
    section = _section(section_id)
    paper = section.paper
    with unit_of_work(_("已删除部分")):
        remove_section(section, actor=current_user)
    return _back(paper)


@bp.route("/sections/<int:section_id>/move", methods=["POST"])
def section_move(section_id: int):
    section = _section(section_id)
    with unit_of_work():
        move_section(section, -1 if request.form.get("direction") == "up" else 1,
                     actor=current_user)
    return _back(section.paper, _anchor=f"section-{section.id}")


@bp.route("/<int:paper_id>/questions", methods=["POST"])
def questions_add(paper_id: int):
    paper = db.get_or_404(Paper, paper_id)
    form = AddQuestionsForm(sections=paper.sections)
    bank = _bank(request.form.get("bank", type=int))
    ids = request.form.getlist("ids", type=int)
    search = _search_args()
    with unit_of_work() as work:
        if not (form.validate_on_submit() and bank and ids):
            raise DomainError(_("请先勾选题目"))
        section = db.session.get(PaperSection, form.section_id.data)
        added = add_questions(section, bank_questions(bank, ids), actor=current_user)
        work.message = _("已添加 %(n)d 道题", n=added)
    return _back(paper, **search)


@bp.route("/<int:paper_id>/items", methods=["POST"])
def items_change(paper_id: int):
    paper = db.get_or_404(Paper, paper_id)
    with unit_of_work() as work:
        if not ItemsForm().validate_on_submit():
            raise DomainError(_("页面已过期，请重试"))
        points, move, remove = item_changes(request.form)
        change_items(paper, points, move=move, remove=remove, actor=current_user)
        work.message = None if move else _("试卷已保存")
    return _back(paper, _anchor="paper-items", **_search_args())


@bp.route("/<int:paper_id>/preview")
def paper_preview(paper_id: int):
    paper = db.get_or_404(Paper, paper_id)
    seed = request.args.get("seed", type=int)
    if seed is None:
        return redirect(url_for("papers.paper_preview", paper_id=paper.id, seed=_new_seed()))
    try:
        sample = sample_draw(paper, seed)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("papers.paper_detail", paper_id=paper.id))
    return render_template("papers/preview.html", paper=paper, sample=sample, seed=seed,
                           next_seed=_new_seed(seed))


def _new_seed(current: int | None = None) -> int:
    """A fresh seed for "换一组", never the one on screen."""
    seed = secrets.randbelow(SEED_LIMIT) + 1
    return seed if seed != current else seed % SEED_LIMIT + 1
