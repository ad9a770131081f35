"""Forms of the link pages: each a small POST with its CSRF token, back to where it came from.

The bulk page's choices are radio groups named `article-<question id>`, read by the view;
its form object carries the CSRF token.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired


class ReturnForm(FlaskForm):
    """A button form (unlink, confirm) with the page to return to."""

    next = HiddenField()


class LinkForm(ReturnForm):
    part_id = IntegerField(validators=[DataRequired()])


class BulkLinkForm(FlaskForm):
    """The CSRF token of the bulk table; the chosen articles come as radio groups."""
