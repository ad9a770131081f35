"""PDF export of an edition through WeasyPrint, set in a CJK font so Chinese is not tofu.

Fonts come from fontconfig: Debian's fonts-noto-cjk provides "Noto Sans CJK SC" (fallbacks in
static/css/manual-pdf.css). The template escapes all imported text and links to nothing, so
rendering never fetches anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, render_template
from weasyprint import CSS, HTML

PDF_STYLESHEET = Path("css") / "manual-pdf.css"


def edition_pdf(context: dict[str, Any]) -> bytes:
    """Render templates/manuals/pdf.html with `context` (manual, edition, parts) to PDF bytes."""
    html = render_template("manuals/pdf.html", **context)
    stylesheet = CSS(filename=Path(current_app.static_folder or "") / PDF_STYLESHEET)
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])
