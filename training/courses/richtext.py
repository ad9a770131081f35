"""Rich-text lessons: Markdown (with any raw HTML a trainer pastes) → sanitised HTML.

Sanitising happens every time a page is shown, on the output of the Markdown renderer, so
nothing a trainer types or pastes can run script in a learner's browser whatever the
renderer lets through. Images can only come from this server: the CSP allows no other
source, and uploads are served from the database (`training.courses.images`).
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# `breaks`: a new line in the editor is a new line on the page, as Chinese writers expect.
_MARKDOWN = MarkdownIt("commonmark", {"html": True, "breaks": True}).enable(
    ["table", "strikethrough"]
)
ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    set_tag_attribute_values={"img": {"class": "img-fluid"}, "table": {"class": "table table-sm"}},
)


def sanitise_html(html: str) -> str:
    """Only the tags and attributes a lesson page needs; scripts, styles and events are gone."""
    return _CLEANER.clean(html)


def render_markdown(text: str) -> Markup:
    """A lesson's Markdown as HTML safe to place in a page."""
    return Markup(sanitise_html(_MARKDOWN.render(text or "")))
