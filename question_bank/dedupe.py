"""Find repeated questions: the same stem pasted twice, re-typed with a typo, or already banked.

Stems are compared after `normalise_stem` (NFKC, no punctuation, whitespace or blank marks),
so '（  ）' against '()' or a full-width comma never hides a repeat. Similarity is rapidfuzz's
ratio (0–100), so an exact normalised match scores 100. Within a file, two questions whose stems
match but whose options differ ('下列说法正确的是（ ）' heads many questions) are not repeats.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from rapidfuzz import fuzz, process

from question_bank.model import Question

_BLANKS = re.compile(r"_{2,}|\(\s*\)")
_CHUNK = 500


def normalise_stem(text: str) -> str:
    """NFKC, lower case, without blanks, punctuation, symbols or whitespace."""
    folded = _BLANKS.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return "".join(c for c in folded if unicodedata.category(c)[0] not in "PSZC")


def fingerprint(stem: str, option_texts: list[str]) -> str:
    """What two questions must share to be one question: the stem and its options, normalised.

    Stems alone are not enough: '下列说法正确的是（ ）' heads many different questions.
    """
    return normalise_stem(stem + "".join(option_texts))


def find_duplicates(
    candidates: list[Question], existing: list[tuple[int, str]], threshold: float = 90
) -> dict[int, list[tuple[int, float]]]:
    """Candidate index -> [(existing id, score)] best first, for scores >= threshold.

    `existing` pairs an id with the `fingerprint` of a stored question.
    """
    if not candidates or not existing:
        return {}
    ids = [qid for qid, _ in existing]
    choices = [text for _, text in existing]
    queries = [fingerprint(q.stem, [o.text for o in q.options]) for q in candidates]
    found: dict[int, list[tuple[int, float]]] = {}
    for row, column, score in _similar(queries, choices, threshold):
        found.setdefault(row, []).append((ids[column], score))
    for matches in found.values():
        matches.sort(key=lambda match: -match[1])
    return found


def duplicate_groups(questions: list[Question], threshold: float = 90) -> list[list[int]]:
    """Groups (indices, in order) of questions of one file that repeat each other."""
    stems = [normalise_stem(q.stem) for q in questions]
    parent = list(range(len(questions)))
    for row, column, _ in _similar(stems, stems, threshold):
        first, second = _root(parent, row), _root(parent, column)
        joined = row < column and first != second
        if joined and _same_question(questions[row], questions[column], threshold):
            parent[max(first, second)] = min(first, second)
    groups: dict[int, list[int]] = {}
    for index in range(len(questions)):
        groups.setdefault(_root(parent, index), []).append(index)
    return [group for group in groups.values() if len(group) > 1]


def _similar(
    queries: list[str], choices: list[str], threshold: float
) -> Iterator[tuple[int, int, float]]:
    """(query, choice, score) for every pair at or above the threshold, in C and in chunks."""
    for offset in range(0, len(queries), _CHUNK):
        block = queries[offset : offset + _CHUNK]
        scores = process.cdist(block, choices, scorer=fuzz.ratio, score_cutoff=threshold)
        for row, column in zip(*scores.nonzero(), strict=True):
            yield offset + int(row), int(column), round(float(scores[row, column]), 2)


def _same_question(a: Question, b: Question, threshold: float) -> bool:
    """Repeated stems are one question if the options agree as far as both go (a cut-off
    copy with two of four options still counts)."""
    if a.type != b.type and {a.type, b.type} - {"single", "multiple"}:
        return False
    pairs = list(zip(a.options, b.options, strict=False))
    return all(
        fuzz.ratio(normalise_stem(x.text), normalise_stem(y.text)) >= threshold for x, y in pairs
    )


def _root(parent: list[int], index: int) -> int:
    while parent[index] != index:
        parent[index] = parent[parent[index]]
        index = parent[index]
    return index
