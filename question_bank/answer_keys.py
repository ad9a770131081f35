"""Answer key files: a paper's answers kept apart from the paper, applied after importing it.

A key file is the answer key a paper would print at its end, one entry per question, each
optionally followed by its 解析 (lines starting with # are comments):

    一、单项选择题
    1. C
    解析：劳务合同工是就劳动力的使用与报酬签订劳务合同的员工。
    2-3 BA
    二、多项选择题
    16. ABCE
    三、判断题
    21-25 √×√√×
    四、简答题
    31. 答：第一行参考答案
    第二行参考答案
    解析：…

Any syntax the cn-text importer reads at the end of a paper works ('1.B 2.C', '1～5：BCADA',
'一、1.C … 二、16.ABD'). An entry under a section heading is keyed by (section, number) and
applies to that section's question; an entry outside any section is keyed by number alone.
"""

from __future__ import annotations

import copy
from collections import Counter

from question_bank.formats.cn_text import MISSING_ANSWER, split_lines
from question_bank.formats.cn_text.answer_key import parse_key
from question_bank.formats.cn_text.values import convert, infer_type
from question_bank.formats.cn_text.vocabulary import fold, section_type
from question_bank.model import ImportResult, Problem, Question, ScoringPoint
from question_bank.texts import N_
from question_bank.types import validate_question

KeyRef = str | tuple[str, str]
Key = dict[KeyRef, tuple[str, str | None]]


def parse_key_file(text: str) -> tuple[Key, list[Problem]]:
    """(section, number) or number -> (answer text, explanation), plus unreadable entries."""
    lines = [
        (number, line)
        for number, line in enumerate(split_lines(text), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    entries, problems = parse_key(lines)
    key: Key = {}
    for entry in entries:
        ref: KeyRef = (entry.section, str(entry.number)) if entry.section else str(entry.number)
        if ref in key:
            message = N_("答案文件中第 %(number)s 题出现两次", number=entry.number)
            problems.append(Problem(entry.line, "warning", message))
        key[ref] = (entry.raw, entry.explanation)
    return key, problems


def apply_key(result: ImportResult, key: Key) -> ImportResult:
    """A copy of `result` whose unanswered questions take their answers from `key`."""
    questions = copy.deepcopy(result.questions)
    problems = list(result.problems)
    keyed: list[Question] = []
    for ref, (answer_text, explanation) in key.items():
        targets = matching(questions, ref)
        if len(targets) != 1:
            problems.append(_unmatched(ref, len(targets)))
            continue
        was_draft = targets[0].needs_key
        problems.extend(_give(targets[0], answer_text, explanation))
        if was_draft and not targets[0].needs_key:
            keyed.append(targets[0])
    problems = _refresh(problems, keyed)
    problems.sort(key=lambda p: p.line or 0)
    return ImportResult(result.format, questions, problems)


def matching(questions: list[Question], ref: KeyRef) -> list[Question]:
    """The questions a key entry names: by number, within the named section if any."""
    section, number = ref if isinstance(ref, tuple) else (None, ref)
    return [
        q
        for q in questions
        if q.number == number and (section is None or _same_section(q.section, section))
    ]


def covers(key: Key, questions: list[Question]) -> bool:
    """Whether the key answers exactly these questions: each one entry, no entry left over."""
    hits = {id(q) for ref in key for q in matching(questions, ref)}
    return len(hits) == len(questions) == len(key) and all(
        len(matching(questions, ref)) == 1 for ref in key
    )


def papers(questions: list[Question]) -> list[list[Question]]:
    """Split a file's questions into papers: a new paper starts where a section comes back
    after another one, or where numbering starts again within a section."""
    found: list[list[Question]] = []
    seen: set[str | None] = set()
    for question in questions:
        previous = found[-1][-1] if found else None
        if previous is None or _starts_paper(previous, question, seen):
            found.append([])
            seen = set()
        found[-1].append(question)
        seen.add(question.section)
    return found


def _starts_paper(previous: Question, question: Question, seen: set[str | None]) -> bool:
    if question.section != previous.section:
        return question.section in seen
    return _number(question) <= _number(previous)


def _number(question: Question) -> int:
    return int(question.number) if question.number and question.number.isdigit() else 0


def _same_section(written: str | None, named: str) -> bool:
    if written is None:
        return False
    return fold(written) == fold(named) or section_type(written) == section_type(named)


def _unmatched(ref: KeyRef, count: int) -> Problem:
    section, number = ref if isinstance(ref, tuple) else ("", ref)
    if count:
        message = N_("答案文件中的%(section)s第 %(number)s 题对应 %(count)s 道题，请注明题型",
                     section=section, number=number, count=count)
    else:
        message = N_("答案文件中的%(section)s第 %(number)s 题没有对应的题目",
                     section=section, number=number)
    return Problem(None, "warning", message)


def _give(question: Question, text: str, explanation: str | None) -> list[Problem]:
    """Key one question; a question that already has an answer keeps it."""
    line = question.source.line
    if question.explanation is None:
        question.explanation = explanation
    if question.needs_key and question.section is None:
        question.type = infer_type(None, question.options, text, question.stem)
    try:
        answer = convert(question.type, text, question.options, question.stem)
    except ValueError as error:
        return [Problem(line, "error", str(error))]
    if question.needs_key:
        question.answer = answer
    elif answer != question.answer:
        message = N_("第 %(number)s 题已有答案，与答案文件不一致，保留原答案", number=question.number)
        return [Problem(line, "warning", message)]
    return []


def _refresh(problems: list[Problem], keyed: list[Question]) -> list[Problem]:
    """Drop the 'no answer' warnings of the questions the key answered (one per question: a
    line may hold several) and check their new answers."""
    answered = Counter(q.source.line for q in keyed)
    kept = []
    for problem in problems:
        if problem.message == MISSING_ANSWER and answered[problem.line] > 0:
            answered[problem.line] -= 1
        else:
            kept.append(problem)
    known = {(p.line, p.message) for p in kept}
    for question in keyed:
        fresh = validate_question(question)
        kept.extend(p for p in fresh if (p.line, p.message) not in known)
    return kept


PointsKey = dict[str, list[ScoringPoint]]


def parse_points_file(text: str) -> PointsKey:
    """Question number -> its 得分点, from lines "26. phrase/synonym=1；phrase=2" (# comments).

    Kept beside a key file (NNN_*.points.txt) because the papers print reference answers, not
    得分点, and a grader's suggested score needs them. Raises ValueError on an unreadable line.
    """
    points: PointsKey = {}
    for number, line in enumerate(split_lines(text), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        head, dot, body = line.partition(".")
        if not dot or not head.strip().isdigit():
            raise ValueError(f"line {number}: expected 'number. phrase=points；…'")
        points[head.strip()] = [_scoring_point(part, number) for part in body.split("；")]
    return points


def _scoring_point(part: str, line: int) -> ScoringPoint:
    terms, equals, value = part.strip().rpartition("=")
    phrase, *synonyms = [term.strip() for term in terms.split("/") if term.strip()]
    if not equals or not phrase:
        raise ValueError(f"line {line}: expected 'phrase/synonym=points', got '{part.strip()}'")
    return ScoringPoint(phrase, float(value), synonyms)


def give_points(questions: list[Question], points: PointsKey) -> None:
    """Give each numbered question its 得分点 (a paper numbers its questions straight through)."""
    for question in questions:
        if question.number in points:
            question.scoring_points = list(points[question.number])
