"""Manual library views: read, search, print and export for everyone; import for trainers."""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from training.access import authenticated, roles_required
from training.extensions import limiter
from training.imports.flow import commit_staged, stage_then_preview, staged_or_back
from training.manuals import bp
from training.manuals.forms import (
    ManualSettingsForm,
    ManualUploadForm,
    SearchForm,
)
from training.manuals.models import Manual, ManualEdition
from training.manuals.outline import part_tree
from training.manuals.paging import article_count, page_of_anchor, page_parts, reader_pages
from training.manuals.parsing.bullets import text_blocks
from training.manuals.pdf import edition_pdf
from training.manuals.search import search_library
from training.manuals.services import (
    confirm_reading,
    confirmation_of,
    current_edition,
    diff_editions,
    edition_by_version,
    edition_parts,
    edition_with_anchor,
    editions_of,
    import_manuals,
    library,
    manual_by_slug,
    plan_document,
    update_manual,
)
from training.manuals.uploads import (
    UPLOAD_KIND,
    article_limit,
    stage_regulations,
    staged_regulations,
)
from training.unit_of_work import unit_of_work

SEARCH_LIMIT = 30


bp.add_app_template_filter(text_blocks, "text_blocks")  # courses show manual sections too


def _manual(slug: str) -> Manual:
    return manual_by_slug(slug) or abort(404)


def _edition(manual: Manual) -> ManualEdition:
    """The edition asked for with ?version=N, else the current one."""
    version = request.args.get("version", type=int)
    edition = edition_by_version(manual, version) if version else current_edition(manual)
    return edition or abort(404)


@bp.route("/")
@authenticated
def index():
    return render_template("manuals/index.html", entries=library(current_user), form=SearchForm())


@bp.route("/search")
@authenticated
def search():
    form = SearchForm(request.args)
    valid = form.validate()
    query = (form.q.data or "").strip() if valid else ""
    scope = manual_by_slug(form.manual.data) if valid and form.manual.data else None
    hits = search_library(query, SEARCH_LIMIT, scope.slug if scope else None) if query else []
    return render_template(
        "manuals/search.html", form=form, query=query, hits=hits, limit=SEARCH_LIMIT,
        scope=scope,
    )


@bp.route("/<slug>")
@authenticated
def read(slug: str):
    """The table of contents and one chapter (?page=N); prev/next walk the chapters."""
    manual = _manual(slug)
    edition = _edition(manual)
    pages = reader_pages(edition)
    number = request.args.get("page", 1, type=int)
    if pages and not 1 <= number <= len(pages):
        abort(404)
    page = pages[number - 1] if pages else None
    return render_template(
        "manuals/read.html",
        manual=manual,
        edition=edition,
        pages=pages,
        page=page,
        tree=part_tree(page_parts(edition, page)) if page else [],
        confirmation=confirmation_of(current_user, edition),
        form=SearchForm(manual=manual.slug),
    )


@bp.route("/<slug>/a/<anchor>")
@authenticated
def permalink(slug: str, anchor: str):
    """A stable link to an article: the current edition's, else the last edition that had it,
    opened at the chapter that holds it."""
    manual = _manual(slug)
    edition = edition_with_anchor(manual, anchor) or abort(404)
    page = page_of_anchor(edition, reader_pages(edition), anchor)
    version = None if edition.is_current else edition.version
    return redirect(url_for(
        "manuals.read", slug=slug, version=version, page=page.number, _anchor=f"art-{anchor}"
    ))


def _whole_edition(manual: Manual) -> dict | None:
    """The print view's and the PDF's context: the whole edition, or None (the reason
    flashed) beyond the article limit, which editions imported before it existed may pass."""
    edition = _edition(manual)
    limit = article_limit()
    if article_count(edition) > limit:
        flash(_(
            "《%(title)s》超过 %(limit)d 条，无法生成整本的打印版或 PDF，请在阅读页按章阅读。",
            title=manual.title, limit=limit,
        ), "warning")
        return None
    return {"manual": manual, "edition": edition, "tree": part_tree(edition_parts(edition))}


@bp.route("/<slug>/print")
@authenticated
def print_view(slug: str):
    context = _whole_edition(_manual(slug))
    if context is None:
        return redirect(url_for("manuals.read", slug=slug))
    return render_template("manuals/print.html", **context)


def _pdf_limit_key() -> str:
    return f"manual-pdf:{current_user.get_id()}"


@bp.route("/<slug>/pdf")
@authenticated
@limiter.limit(lambda: current_app.config["PDF_EXPORTS_PER_USER"], key_func=_pdf_limit_key)
def pdf(slug: str):
    """The edition set as a PDF. Each export costs seconds of CPU, so each user gets a few a
    minute: one person's clicking cannot starve the exam-day servers."""
    context = _whole_edition(_manual(slug))
    if context is None:
        return redirect(url_for("manuals.read", slug=slug))
    response = current_app.response_class(edition_pdf(context), mimetype="application/pdf")
    filename = quote(f"{context['manual'].title}-v{context['edition'].version}.pdf")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@bp.route("/<slug>/history")
@authenticated
def history(slug: str):
    manual = _manual(slug)
    return render_template("manuals/history.html", manual=manual, editions=editions_of(manual))


@bp.route("/<slug>/diff/<int:old>/<int:new>")
@authenticated
def diff(slug: str, old: int, new: int):
    manual = _manual(slug)
    before = edition_by_version(manual, old) or abort(404)
    after = edition_by_version(manual, new) or abort(404)
    return render_template("manuals/diff.html", manual=manual, diff=diff_editions(before, after))


@bp.route("/<slug>/confirm", methods=["POST"])
@authenticated
def confirm(slug: str):
    """已阅读确认 (CSRFProtect checks the token of every POST)."""
    manual = _manual(slug)
    edition = current_edition(manual) or abort(404)
    with unit_of_work(_("已确认阅读《%(title)s》", title=manual.title), refused="warning"):
        confirm_reading(current_user, edition)
    return redirect(url_for("manuals.read", slug=slug))


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@roles_required("trainer")
def settings(slug: str):
    manual = _manual(slug)
    edition = current_edition(manual) or abort(404)
    form = ManualSettingsForm(
        title=manual.title, requires_confirmation=edition.requires_confirmation
    )
    if form.validate_on_submit():
        with unit_of_work(_("已保存")) as work:
            update_manual(
                manual, form.title.data, form.requires_confirmation.data, actor=current_user
            )
        if work.done:
            return redirect(url_for("manuals.read", slug=slug))
    return render_template("manuals/settings.html", manual=manual, edition=edition, form=form)


@bp.route("/import", methods=["GET", "POST"])
@roles_required("trainer")
def upload():
    form = ManualUploadForm()
    if form.validate_on_submit():
        file = form.file.data
        title = (form.title.data or "").strip() or None
        staged = stage_then_preview(
            lambda: stage_regulations(file.filename, file.read(), title, current_user),
            "manuals.preview",
        )
        if staged:
            return staged
    return render_template("manuals/upload.html", form=form)


@bp.route("/import/<upload_id>", methods=["GET", "POST"])
@roles_required("trainer")
def preview(upload_id: str):
    staged = staged_or_back(upload_id, UPLOAD_KIND, "manuals.upload")
    result = staged_regulations(staged)
    if request.method == "POST" and commit_staged(  # the file waits staged; CSRFProtect checks
        staged,
        lambda: sum(1 for item in import_manuals(result, staged.filename, actor=current_user)
                    if item.created),
        lambda n: _("已导入 %(n)d 个制度版本", n=n),
    ):
        return redirect(url_for("manuals.index"))
    plans = [plan_document(document) for document in result.documents]
    return render_template("manuals/preview.html", upload=staged, result=result, plans=plans)


@bp.route("/confirmations")
@roles_required("hr")
def confirmations():
    """Moved to the learning report (报表 · 学习情况), with courses and practice."""
    return redirect(url_for("reports.learning"), 301)
