"""Turn what the scanner found into questions and problems.

Numbered paragraphs outside any exam section count as questions only when they show it
(options, an answer, a blank…) or sit in a run of numbers that does: a numbered list in a
handbook is not a paper. Answer keys are matched per paper before types are settled.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from question_bank.formats.cn_text.answer_key import KeyEntry, match_entries, parse_key
from question_bank.formats.cn_text.blocks import Block, KeyRegion, Scan
from question_bank.formats.cn_text.drafts import Draft, read_block
from question_bank.formats.cn_text.sections import Section
from question_bank.formats.cn_text.strays import lost_after_answer, lost_starts
from question_bank.formats.cn_text.values import convert, infer_type, truth_options
from question_bank.formats.cn_text.vocabulary import BLANK, MARKERS, fold
from question_bank.model import Problem, Question, Source
from question_bank.texts import N_

MISSING_ANSWER = N_("缺少答案，导入为待补答案的草稿")


def assemble(scan: Scan, filename: str | None) -> tuple[list[Question], list[Problem]]:
    """Questions in source order, with every problem found on the way."""
    drafts = _kept(_read(scan.blocks))
    problems = list(scan.problems)
    for region in scan.keys:
        problems.extend(_apply_key(region, drafts))
    questions = []
    sizes = Counter(d.block.section for d in drafts)
    for draft in drafts:
        question, found = _question(draft, sizes[draft.block.section], filename)
        questions.append(question)
        problems.extend(draft.problems + found)
    problems.extend(_numbering_problems(drafts))
    problems.extend(_count_problems(drafts, scan.sections))
    problems.extend(_option_count_problems(drafts, questions))
    return questions, problems


def _read(blocks: list[Block]) -> list[Draft]:
    """Each block read, cut into its questions where it swallowed one that lost its number
    (a number skipped before a lost one is then no longer missing)."""
    drafts: list[Draft] = []
    for block in blocks:
        previous = drafts[-1].block if drafts else None
        if block.gap and previous is not None and previous.lost and previous.paper == block.paper:
            first = previous.number + 1
            block.gap = (first, block.gap[1]) if first <= block.gap[1] else None
        drafts.extend(_unmerged(block))
    return drafts


def _unmerged(block: Block) -> list[Draft]:
    """The block's question, or, when its options start again at A or a second answer follows
    a letter answer, the questions it is cut into (each shorter, so this ends)."""
    draft = read_block(block)
    if not draft.merged:
        return [draft]
    question_end = next(iter(MARKERS.finditer(fold(block.text))), None)
    text = block.text[: question_end.start() if question_end else None]
    cuts = lost_starts(text, block.number + 1) or lost_after_answer(block.text)
    if not cuts:
        return [draft]
    return [found for piece in block.cut(cuts[:1]) for found in _unmerged(piece)]


def _kept(drafts: list[Draft]) -> list[Draft]:
    """Questions: numbered blocks of a paper with sections, or that show they are questions
    (themselves or their run of numbers); the rest is a handbook's numbered paragraphs, or a
    paper's numbered instructions (注意事项)."""
    runs_with_evidence = {d.block.run for d in drafts if d.evidence}
    sectioned = {d.block.paper for d in drafts if d.block.section is not None}
    return [
        d
        for d in drafts
        if not d.block.instruction
        and (d.block.paper in sectioned or d.evidence or d.block.run in runs_with_evidence)
    ]


def _apply_key(region: KeyRegion, drafts: list[Draft]) -> list[Problem]:
    entries, problems = parse_key(region.lines)
    paper = [d for d in drafts if d.block.paper == region.paper]
    numbers = [(d.block.number, d.block.section) for d in paper]
    starts = range(max(1, len({d.block.section for d in paper})))
    tries = [match_entries(entries, numbers, start) for start in starts]
    matched, unmatched = max(tries, key=lambda found: _fit(found[0], paper))
    problems.extend(unmatched)
    for entry_index, draft_index in matched.items():
        problems.extend(_take(paper[draft_index], entries[entry_index]))
    return problems


def _fit(matched: dict[int, int], paper: list[Draft]) -> tuple[int, int]:
    """How well a key lines up: questions it answers that had no answer, then all it hits.

    A key without section names after each section ('答案：1.AB 2.BC') fits the section it
    follows; one at the end of the paper fits from the first section on.
    """
    unanswered = sum(paper[i].raw_answer is None for i in matched.values())
    return unanswered, len(matched)


def _take(draft: Draft, entry: KeyEntry) -> list[Problem]:
    """Give a question its key answer; an answer already in the question wins."""
    if draft.explanation is None:
        draft.explanation = entry.explanation
    if draft.raw_answer is None:
        draft.raw_answer = entry.raw
        return []
    if _same(draft.raw_answer, entry.raw):
        return []
    message = N_("第 %(number)s 题的答案 '%(given)s' 与答案表 '%(key)s' 不一致，保留题目中的答案",
                 number=draft.block.number, given=draft.raw_answer.strip()[:20],
                 key=entry.raw.strip()[:20])
    return [Problem(entry.line, "warning", message)]


def _same(a: str, b: str) -> bool:
    return "".join(fold(a).upper().split()) == "".join(fold(b).upper().split())


def _question(draft: Draft, size: int, filename: str | None) -> tuple[Question, list[Problem]]:
    """The question a draft becomes; `size` is how many questions its section has."""
    qtype = infer_type(draft.declared, draft.options, draft.raw_answer, draft.stem)
    problems: list[Problem] = []
    try:
        answer = convert(qtype, draft.raw_answer, draft.options, draft.stem)
    except ValueError as error:
        answer = None
        problems.append(Problem(draft.line, "error", str(error)))
    if draft.raw_answer is None or not draft.raw_answer.strip():
        problems.append(Problem(draft.line, "warning", MISSING_ANSWER))
    if draft.block.lost:
        problems.append(
            Problem(draft.line, "warning", N_("题号丢失，按位置当作第 %(number)s 题导入为草稿，请核对题目和答案",
                                              number=draft.block.number))
        )
    options = [] if qtype == "true_false" and truth_options(draft.options) else draft.options
    section = draft.block.section
    material, stem = _split_case(draft.stem) if qtype == "case" else (None, draft.stem)
    question = Question(
        type=qtype,
        stem=stem,
        options=options,
        answer=answer,
        explanation=draft.explanation,
        points=draft.points or _points(section, draft, size),
        number=str(draft.block.number),
        section=section.name if section else None,
        case_material=material,
        source=Source(filename, draft.line),
        key_to_confirm=(draft.key_inferred or draft.block.lost) and answer is not None,
    )
    return question, problems


def _points(section: Section | None, draft: Draft, size: int) -> float:
    """每小题N分, 每空N分, or 共N分 shared by the questions of the section."""
    if section is None:
        return 1.0
    if section.each:
        return section.each
    if section.per_blank:
        return section.per_blank * max(1, len(BLANK.findall(fold(draft.stem))))
    count = section.count or size
    return round(section.total / count, 2) if section.total and count else 1.0


def _split_case(stem: str) -> tuple[str | None, str]:
    """(material, question): the last paragraph, or the run of numbered sub-questions
    ending the stem ("（1）…（2）…"), is what is asked about the material before it; each is
    shown once, the material above the question."""
    lines = stem.split("\n")
    start = len(lines) - 1
    while start > 0 and _SUB_QUESTION.match(lines[start]) and _SUB_QUESTION.match(lines[start - 1]):
        start -= 1
    material = "\n".join(lines[:start])
    return (material, "\n".join(lines[start:])) if material else (None, stem)


_SUB_QUESTION = re.compile(r"\s*[（(]\s*\d+\s*[)）]")


def _numbering_problems(drafts: list[Draft]) -> list[Problem]:
    """Skipped numbers (a question lost its number) and numbers repeated within a section."""
    problems = []
    seen: set[tuple[int, Section | None, int]] = set()
    for draft in drafts:
        block = draft.block
        if block.gap:
            first, last = block.gap
            missing = f"{first}" if first == last else f"{first}–{last}"
            message = N_("题号不连续：缺少第 %(missing)s 题", missing=missing)
            problems.append(Problem(draft.line, "warning", message))
        key = (block.paper, block.section, block.number)
        if key in seen:
            message = N_("题号 %(number)s 在本节重复出现", number=block.number)
            problems.append(Problem(draft.line, "warning", message))
        seen.add(key)
    return problems


def _count_problems(drafts: list[Draft], sections: list[Section]) -> list[Problem]:
    """'本大题共15小题' against the questions actually read (none at all counts too)."""
    found: dict[Section, list[int]] = defaultdict(list)
    for draft in drafts:
        if draft.block.section is not None:
            found[draft.block.section].append(draft.block.number)
    problems = []
    last: dict[int, int] = {}
    for section in sections:
        numbers = found.get(section, [])
        first = min(numbers) if numbers else last.get(section.paper, 0) + 1
        if section.count and len(numbers) != section.count:
            message = _count_message(section, numbers, first)
            problems.append(Problem(section.line, "warning", message))
        last[section.paper] = max(numbers, default=first + (section.count or 0) - 1)
    return problems


def _count_message(section: Section, numbers: list[int], first: int) -> str:
    missing = sorted(set(range(first, first + (section.count or 0))) - set(numbers))
    if missing:
        return N_("本节「%(section)s」应有 %(count)s 题，读到 %(found)s 题，缺少第 %(missing)s 题",
                  section=section.name, count=section.count, found=len(numbers),
                  missing="、".join(map(str, missing)))
    return N_("本节「%(section)s」应有 %(count)s 题，读到 %(found)s 题",
              section=section.name, count=section.count, found=len(numbers))


def _option_count_problems(drafts: list[Draft], questions: list[Question]) -> list[Problem]:
    """A choice question with two options fewer than its section's others was cut off."""
    usual: dict[Section | None, Counter[int]] = defaultdict(Counter)
    for draft, question in zip(drafts, questions, strict=True):
        if question.options:
            usual[draft.block.section][len(question.options)] += 1
    problems = []
    for draft, question in zip(drafts, questions, strict=True):
        counts = usual[draft.block.section]
        common = counts.most_common(1)[0][0] if counts else 0
        if question.options and draft.block.section and 1 < len(question.options) <= common - 2:
            message = N_("只有 %(count)s 个选项，本节其他题有 %(common)s 个",
                         count=len(question.options), common=common)
            problems.append(Problem(draft.line, "warning", message))
    return problems
