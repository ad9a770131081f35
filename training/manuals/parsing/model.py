"""What a parsed regulation looks like: documents made of nested parts, plus the problems found.

`to_json()` produces the exact shape printed by `servicecoach manual import --dry-run --json`:
documents → parts (label, title, text, parts) and problems (line, severity, message). Fields
that are not part of that contract (kind, number, line, key) stay on the Python objects only.

A part's `text` is its own body: for a chapter the text before its first article (usually ""),
for an article its lead-in text without the label; items ("1.", "（一）", "①") are child parts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]

# Short prefixes for permalink keys such as "ch3-a8" (chapter 3, article 8).
_KEY_PREFIX = {
    "part": "pt",
    "chapter": "ch",
    "section": "sec",
    "article": "a",
    "outline": "o",
    "suboutline": "p",
    "point": "i",
    "item": "i",
    "subitem": "i",
    "circled": "i",
    "heading": "h",
}


@dataclass
class Part:
    """One chapter, section, article, outline section or item of a regulation."""

    label: str
    title: str | None = None
    text: str = ""
    parts: list[Part] = field(default_factory=list)
    kind: str = "article"
    number: int | None = None
    line: int | None = None
    key: str = ""
    trail: tuple[str, ...] = ()
    document_title: str = ""

    @property
    def address(self) -> str:
        """Human-readable citation, e.g. `客户服务管理制度 §第三章 第八条`."""
        return f"{self.document_title} §{' '.join(self.trail)}"

    @property
    def name(self) -> str:
        """The label, or the title for Markdown headings that carry no numbering."""
        return self.label or self.title or ""

    def walk(self) -> Iterator[Part]:
        """This part and all parts below it, in reading order."""
        yield self
        for child in self.parts:
            yield from child.walk()

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "title": self.title,
            "text": self.text,
            "parts": [child.to_json() for child in self.parts],
        }


@dataclass
class Document:
    """One regulation: its title, optional text before the first part, and its part tree."""

    title: str
    parts: list[Part] = field(default_factory=list)
    preamble: str = ""
    line: int = 1

    def __post_init__(self) -> None:
        self.refresh_addresses()

    def refresh_addresses(self) -> None:
        """Give every part its permalink key and citation trail (call again after editing)."""
        _assign_addresses(self.parts, self.title, (), ())

    def walk(self) -> Iterator[Part]:
        """All parts in reading order."""
        for part in self.parts:
            yield from part.walk()

    def articles(self) -> list[Part]:
        """The 第X条 parts (the unit exam answers link to)."""
        return [part for part in self.walk() if part.kind == "article"]

    def find(self, key: str) -> Part | None:
        """The part with permalink key `key` (e.g. "ch3-a8"), if any."""
        return next((part for part in self.walk() if part.key == key), None)

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "parts": [part.to_json() for part in self.parts]}


def _assign_addresses(
    parts: list[Part], title: str, trail: tuple[str, ...], key_path: tuple[str, ...]
) -> None:
    """Keys are unique among siblings: a repeated 第八条 becomes "a8-dup2"."""
    seen: Counter[str] = Counter()
    for position, part in enumerate(parts, start=1):
        stem = f"{_KEY_PREFIX.get(part.kind, 'x')}{part.number or position}"
        seen[stem] += 1
        own_key = stem if seen[stem] == 1 else f"{stem}-dup{seen[stem]}"
        part.key = "-".join((*key_path, own_key))
        part.trail = (*trail, part.name)
        part.document_title = title
        _assign_addresses(part.parts, title, part.trail, (*key_path, own_key))


@dataclass(frozen=True)
class ManualProblem:
    """Something a reviewer should look at, tied to a line of the uploaded file."""

    line: int
    severity: Severity
    message: str
    document: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "severity": self.severity, "message": self.message}


@dataclass
class ManualParseResult:
    """Every regulation found in one file and the problems met while reading it."""

    documents: list[Document] = field(default_factory=list)
    problems: list[ManualProblem] = field(default_factory=list)
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        """True when at least one document parsed without errors (CLI exit status 0)."""
        failed = {p.document for p in self.problems if p.severity == "error"}
        return any(index not in failed for index in range(len(self.documents)))

    def to_json(self) -> dict[str, Any]:
        """The `--dry-run --json` object (a dict; dump it with ensure_ascii=False)."""
        return {
            "documents": [document.to_json() for document in self.documents],
            "problems": [problem.to_json() for problem in self.problems],
        }
