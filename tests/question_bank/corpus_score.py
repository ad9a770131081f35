"""Score the cn-text importer on the hand-keyed corpus: the share of questions exactly right.

A question is exactly right when a parsed question starts with the key's stem start and has
the key's type, option labels and answer (a '?' key: no answer, a draft needing a key). Run
`python -m tests.question_bank.corpus_score` to print the per-file and per-layout table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from question_bank.formats import detect_format, get_parser
from question_bank.model import Question

CORPUS = Path(__file__).parent / "corpus"


@dataclass(frozen=True)
class Expected:
    """One line of a .key file."""

    type: str
    labels: str
    answer: str
    stem_start: str


@dataclass
class FileScore:
    layout: str
    name: str
    expected: int
    parsed: int
    right: int
    wrong: list[str]


def papers() -> list[Path]:
    return sorted(CORPUS.glob("*/*.txt"))


def read_key(path: Path) -> list[Expected]:
    rows = [line.split("\t") for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [Expected(kind, labels, answer, stem) for _, kind, labels, answer, stem in rows]


def score_file(paper: Path) -> FileScore:
    data = paper.read_bytes()
    result = get_parser(detect_format(data, paper.name))(data, paper.name)
    expected = read_key(paper.with_suffix(".key"))
    remaining = list(result.questions)
    wrong = []
    for item in expected:
        found = next((q for q in remaining if _stem(q).startswith(item.stem_start)), None)
        if found is None:
            wrong.append(f"{item.stem_start}: not found")
            continue
        remaining = remaining[remaining.index(found) + 1 :]
        got = (found.type, _labels(found), _answer(found))
        if got != (item.type, item.labels, item.answer):
            wrong.append(f"{item.stem_start}: {got} != {(item.type, item.labels, item.answer)}")
    right = len(expected) - len(wrong)
    return FileScore(
        paper.parent.name, paper.name, len(expected), len(result.questions), right, wrong
    )


def _stem(question: Question) -> str:
    return question.stem.lstrip("*# ").strip()


def _labels(question: Question) -> str:
    return "".join(o.label for o in question.options) or "-"


def _answer(question: Question) -> str:
    answer = question.answer
    if answer is None or answer == []:
        return "?"
    if isinstance(answer, bool):
        return "√" if answer else "×"
    return "".join(map(str, answer)) if isinstance(answer, list) else str(answer)


def table(scores: list[FileScore]) -> str:
    """Per-file rows, then per-layout totals and the whole corpus."""
    lines = [f"{'layout/file':40} {'expected':>8} {'parsed':>7} {'right':>6} {'share':>7}"]
    for s in scores:
        lines.append(_row(f"{s.layout}/{s.name}", s.expected, s.parsed, s.right))
    lines.append("-" * 72)
    for layout in sorted({s.layout for s in scores}):
        mine = [s for s in scores if s.layout == layout]
        lines.append(_row(layout, *(sum(getattr(s, f) for s in mine) for f in _FIELDS)))
    lines.append(_row("ALL", *(sum(getattr(s, f) for s in scores) for f in _FIELDS)))
    return "\n".join(lines)


_FIELDS = ("expected", "parsed", "right")


def _row(name: str, expected: int, parsed: int, right: int) -> str:
    return f"{name:40} {expected:8} {parsed:7} {right:6} {right / max(expected, 1):7.1%}"


if __name__ == "__main__":
    scores = [score_file(paper) for paper in papers()]
    print(table(scores))
    for s in scores:
        for line in s.wrong:
            print(f"  {s.layout}/{s.name}: {line}")
