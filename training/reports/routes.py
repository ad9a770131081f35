"""Report pages: read the filters from the URL, build the report by name, render it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_login import current_user

from training.reports import bp
from training.reports.filters import FilterError
from training.reports.pages import pages_for


@bp.errorhandler(FilterError)
def bad_filter(error: FilterError):
    """A malformed filter in a hand-edited URL: say which, and show the report unfiltered."""
    flash(error.message, "danger")
    return redirect(request.path)


@bp.route("/")
def index():
    return render_template("reports/index.html", pages=pages_for(frozenset(current_user.role_names)))
