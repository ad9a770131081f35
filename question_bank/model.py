"""The question model shared by every importer, exporter, scorer and the web application.

Plain dataclasses, so the same values travel from a parsed file to the JSON dry-run output,
to database rows and back without any framework in between.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

QuestionTypeName = Literal[
    "single", "multiple", "true_false", "fill_blank", "short_answer", "essay", "case"
]
QUESTION_TYPES: tuple[str, ...] = (
    "single",
    "multiple",
    "true_false",
    "fill_blank",
    "short_answer",
    "essay",
    "case",
)

Severity = Literal["error", "warning"]

# The answer's shape depends on the type (this is also the JSON contract of the CLI):
#   single / multiple -> list[str] of option labels, e.g. ["C"] or ["A", "B", "D"]
#   true_false        -> bool
#   fill_blank        -> list[list[str]]: one list of accepted strings per blank
#   short_answer / essay / case -> str, the reference answer text
#   None              -> the source gives no key (the question is a draft that "needs key")
Answer = list[str] | bool | list[list[str]] | str | None


@dataclass
class Option:
    """One labelled choice of a single or multiple choice question."""

    label: str
    text: str


@dataclass
class ScoringPoint:
    """A 得分点 of a subjective question: a key phrase, its synonyms and what it is worth."""

    phrase: str
    points: float
    synonyms: list[str] = field(default_factory=list)


@dataclass
class Source:
    """Where a question came from, so every problem and preview can point at the line."""

    file: str | None = None
    line: int | None = None


@dataclass
class Question:
    """A question as parsed or edited, independent of storage."""

    type: str
    stem: str
    options: list[Option] = field(default_factory=list)
    answer: Answer = None
    explanation: str | None = None
    points: float = 1.0
    difficulty: int = 3
    category: str | None = None
    knowledge_points: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    number: str | None = None
    section: str | None = None
    case_material: str | None = None
    scoring_points: list[ScoringPoint] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    # The key was inferred (from the explanation), not given: a trainer confirms it first.
    key_to_confirm: bool = False

    @property
    def needs_key(self) -> bool:
        """A question without an answer can be stored as a draft but not used in formal exams."""
        return self.answer is None or self.answer == [] or self.answer == ""

    def to_json(self) -> dict[str, Any]:
        """Serialise in the shape of the `bank import --dry-run --json` contract."""
        return {
            "number": self.number,
            "type": self.type,
            "stem": self.stem,
            "options": [{"label": o.label, "text": o.text} for o in self.options],
            "answer": self.answer,
            "explanation": self.explanation,
            "points": float(self.points),
            "section": self.section,
            "line": self.source.line,
        }


@dataclass
class Problem:
    """Something an importer could not understand, pointing at the source line."""

    line: int | None
    severity: Severity
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "severity": self.severity, "message": self.message}


@dataclass
class ImportResult:
    """What an importer understood: the questions plus every problem, never an exception."""

    format: str
    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def ok(self) -> bool:
        """The CLI contract: success when at least one question parsed and no error."""
        return bool(self.questions) and not self.has_errors

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "questions": [q.to_json() for q in self.questions],
            "problems": [p.to_json() for p in self.problems],
        }
