"""Regulation parser: text, Markdown or .docx → regulations as chapter/article/item trees.

Pure Python (standard library, charset_normalizer, python-docx) so the web app, the CLI and
the demo loader share it. `parse_manual` reads one uploaded file; `extract_seed_library`
builds the bundled library from the scraped seed files.
"""

from .library import extract_seed_library
from .model import Document, ManualParseResult, ManualProblem, Part
from .parse import parse_manual

__all__ = [
    "Document",
    "ManualParseResult",
    "ManualProblem",
    "Part",
    "extract_seed_library",
    "parse_manual",
]
