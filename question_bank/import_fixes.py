"""Fixes a trainer makes in the import preview, before anything is written: change a
question's type, merge a question with the next one, split one at a source line.

The preview re-parses the staged file on every request, so fixes travel with the form as a
list and are replayed in order on the fresh parse; each refers to question positions as they
were when it was made. Plain values in and out, like the parsers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from question_bank.formats import cn_text
from question_bank.model import QUESTION_TYPES, ImportResult, Question
from question_bank.types import get_type, validate_question

OPERATIONS = ("type", "merge", "split")


@dataclass(frozen=True)
class Fix:
    """One edit: `type` (index, kind), `merge` (index with index + 1) or `split` (index, line)."""

    op: str
    index: int
    kind: str | None = None
    line: int | None = None


def dump_fixes(fixes: list[Fix]) -> str:
    return json.dumps([{k: v for k, v in vars(f).items() if v is not None} for f in fixes])


def load_fixes(text: str | None) -> list[Fix]:
    """The fixes a form carried; anything malformed is dropped, never trusted."""
    try:
        raw = json.loads(text or "[]")
    except ValueError:
        return []
    fixes = []
    for item in raw if isinstance(raw, list) else []:
        fix = _fix(item)
        if fix is not None:
            fixes.append(fix)
    return fixes


def _fix(item: object) -> Fix | None:
    if not isinstance(item, dict) or item.get("op") not in OPERATIONS:
        return None
    index, line, kind = item.get("index"), item.get("line"), item.get("kind")
    if not isinstance(index, int) or (line is not None and not isinstance(line, int)):
        return None
    if item["op"] == "type" and kind not in QUESTION_TYPES:
        return None
    return Fix(item["op"], index, kind if item["op"] == "type" else None, line)


def apply_fixes(result: ImportResult, fixes: list[Fix], lines: list[str]) -> ImportResult:
    """The result after the fixes that still apply; `lines` are the decoded source (empty for
    binary formats, where a question cannot be split)."""
    questions, problems = list(result.questions), list(result.problems)
    for fix in fixes:
        if not 0 <= fix.index < len(questions):
            continue
        spans = _spans(questions, len(lines))
        if fix.op == "type" and fix.kind:
            changed = [_retyped(questions[fix.index], fix.kind)]
            span = spans[fix.index]
        elif fix.op == "merge" and fix.index + 1 < len(questions):
            changed = [_merged(questions[fix.index], questions[fix.index + 1])]
            span = (spans[fix.index][0], spans[fix.index + 1][1])
        elif fix.op == "split" and fix.line is not None and _inside(spans[fix.index], fix.line):
            changed = _split(questions[fix.index], lines, spans[fix.index], fix.line)
            span = spans[fix.index]
        else:
            continue
        width = 2 if fix.op == "merge" else 1
        questions[fix.index : fix.index + width] = changed
        problems = [p for p in problems if not _inside(span, p.line, start_too=True)]
        problems.extend(p for q in changed for p in validate_question(q))
    problems.sort(key=lambda problem: problem.line or 0)
    return ImportResult(result.format, questions, problems)


def _spans(questions: list[Question], total: int) -> list[tuple[int, int]]:
    """Each question's source lines [first, end): up to the next question's first line."""
    starts = [q.source.line or 0 for q in questions]
    ends = [*starts[1:], total + 1]
    return [(start, max(start + 1, end)) for start, end in zip(starts, ends, strict=True)]


def _inside(span: tuple[int, int], line: int | None, start_too: bool = False) -> bool:
    if line is None or not span[0]:
        return False
    first = span[0] if start_too else span[0] + 1
    return first <= line < span[1]


def _retyped(question: Question, kind: str) -> Question:
    """The question as another type; its key carried over when the new type can read it."""
    answer = question.answer
    if answer is not None and question.type != kind:
        try:
            answer = get_type(kind).parse_answer(get_type(question.type).format_answer(answer))
        except ValueError:
            answer = None
    options = question.options if kind in ("single", "multiple") else []
    return replace(question, type=kind, answer=answer, options=options)


def _merged(first: Question, second: Question) -> Question:
    """One question from two: a stem cut in two by a stray number, the options of either."""
    return replace(
        first,
        type=first.type if first.options or not second.options else second.type,
        stem=f"{first.stem}\n{second.stem}".strip(),
        options=first.options or second.options,
        answer=second.answer if first.needs_key else first.answer,
        explanation=first.explanation or second.explanation,
    )


def _split(question: Question, lines: list[str], span: tuple[int, int], at: int) -> list[Question]:
    """Two questions read from the lines before and from `at` (a lost question number)."""
    before, after = lines[span[0] - 1 : at - 1], lines[at - 1 : span[1] - 1]
    digits = question.number or ""
    number = int(digits) + 1 if digits.isdigit() else 1
    return [
        _reread(question, before, span[0]),
        _reread(question, [f"{number}. {after[0].strip()}", *after[1:]], at),
    ]


def _reread(original: Question, lines: list[str], first_line: int) -> Question:
    """The first question the importer reads in `lines`, placed like the original."""
    found = cn_text.parse_lines(lines).questions
    question = found[0] if found else Question("short_answer", "\n".join(lines).strip())
    source = replace(original.source, line=first_line)
    return replace(question, section=original.section, points=original.points, source=source)
