"""The bundled library: each regulation of the scraped seed files once, cleaned."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

from .classify import is_regulation, looks_like_regulation_title
from .model import Document
from .parse import parse_manual

SEED_SUFFIXES = (".txt", ".md", ".docx")
# Two copies of one regulation differ only by scraping noise; different regulations sharing
# a title (two companies' 客户管理制度) differ far more than this.
SAME_TEXT_RATIO = 0.9
_NOT_WORD = re.compile(r"[\W_]+")


def extract_seed_library(seed_dir: Path) -> list[Document]:
    """Real regulations (titled as such, with 条 or ≥3 outline sections) from every seed file."""
    library: list[Document] = []
    for path in sorted(p for p in seed_dir.iterdir() if p.suffix.lower() in SEED_SUFFIXES):
        for document in parse_manual(path.read_bytes(), path.name).documents:
            if _belongs_in_library(document) and not _already_in(library, document):
                library.append(document)
    return library


def _belongs_in_library(document: Document) -> bool:
    return looks_like_regulation_title(document.title) and is_regulation(document, minimum=3)


def _already_in(library: list[Document], document: Document) -> bool:
    """Same title (ignoring punctuation) and near-identical text: the same regulation again."""
    return any(
        _normalized(other.title) == _normalized(document.title)
        and _similarity(_flat_text(other), _flat_text(document)) >= SAME_TEXT_RATIO
        for other in library
    )


def _normalized(text: str) -> str:
    return _NOT_WORD.sub("", text)


def _flat_text(document: Document) -> str:
    return _normalized("".join(f"{p.title or ''}{p.text}" for p in document.walk()))


def _similarity(first: str, second: str) -> float:
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= SAME_TEXT_RATIO else 0.0
