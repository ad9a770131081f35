"""The demo question bank: the seed pages through the cn-text importer, each paper once, keyed.

The seeds are scraped web pages. What the importer finds in them, and what is knowingly left
out (each left-out question is reported as a warning naming its file and line; the importer's
other warnings about these pages are expected and dropped):

* 000 — worked examples (例题) with 正确答案 and 解析: kept, categorised as 例题. The last one
  (line 585) is cut off by the scrape before its options and answer: left out.
* 001, 002, 003 — courseware and essays without questions. 001 holds a riddle with an 答案
  line (lines 664 and 699), which the importer reports as an answer without a question.
* 004 — 《客户服务管理》模拟试题: complete once (lines 6–310), then two previews of the same
  paper cut after question 10 (line 324; lines 372–374, with typos). The previews collapse
  into the complete copy (`dedupe.duplicate_groups`), so the importer's warnings about their
  missing questions do not matter. The answers come from keys/004_*.key.txt, applied to the
  paper that key answers exactly. The page also previews another paper (客户关系管理模拟试题6,
  lines 398–400) that has no published key: its twelve questions are left out.

A key file keys/NNN_*.key.txt belongs to the seed whose name starts with NNN_; the 得分点 of
its subjective questions, which the paper does not print, sit beside it in NNN_*.points.txt, so
a grader of the demo exams sees a suggested score.
"""

from __future__ import annotations

from pathlib import Path

from question_bank.answer_keys import (
    PointsKey,
    apply_key,
    covers,
    give_points,
    papers,
    parse_key_file,
    parse_points_file,
)
from question_bank.dedupe import duplicate_groups
from question_bank.formats import cn_text
from question_bank.model import ImportResult, Problem, Question
from question_bank.texts import N_
from question_bank.types import validate_question

EXAMPLES = "例题"


def build_demo_bank(seed_dir: Path, key_dir: Path) -> ImportResult:
    """Every keyed question of the seeds, each once, with its section as category."""
    bank = ImportResult(cn_text.FORMAT)
    for seed in sorted(seed_dir.glob("*.txt")):
        parsed = cn_text.parse(seed.read_bytes(), seed.name)
        questions = _keyed(_once(parsed.questions), _keys_for(seed, key_dir))
        for question in questions:
            if _usable(question):
                question.category = question.section or EXAMPLES
                bank.questions.append(question)
            else:
                bank.problems.append(_left_out(question))
    return bank


def _once(questions: list[Question]) -> list[Question]:
    """Collapse repeats, keeping the fullest copy (most options), first in the file on ties."""
    dropped: set[int] = set()
    for group in duplicate_groups(questions):
        keep = max(group, key=lambda i: (len(questions[i].options), -i))
        dropped.update(i for i in group if i != keep)
    return [q for i, q in enumerate(questions) if i not in dropped]


def _keys_for(seed: Path, key_dir: Path) -> list[Path]:
    prefix = seed.name.split("_", 1)[0] + "_"
    return sorted(key_dir.glob(f"{prefix}*.key.txt")) if key_dir.is_dir() else []


def _keyed(questions: list[Question], key_files: list[Path]) -> list[Question]:
    """Apply each key file to the paper whose questions it answers exactly."""
    found = papers(questions)
    for key_file in key_files:
        key, problems = parse_key_file(key_file.read_text(encoding="utf-8"))
        if problems:
            raise ValueError(f"{key_file.name} 第 {problems[0].line} 行: {problems[0].message}")
        for index, paper in enumerate(found):
            if covers(key, paper):
                found[index] = apply_key(ImportResult(cn_text.FORMAT, paper), key).questions
                give_points(found[index], _points_beside(key_file))
    return [question for paper in found for question in paper]


def _points_beside(key_file: Path) -> PointsKey:
    """The 得分点 kept beside a key file (NNN_name.points.txt), if any."""
    points_file = key_file.with_name(key_file.name.removesuffix(".key.txt") + ".points.txt")
    return parse_points_file(points_file.read_text(encoding="utf-8")) if points_file.exists() else {}


def _usable(question: Question) -> bool:
    errors = [p for p in validate_question(question) if p.severity == "error"]
    return not question.needs_key and not errors


def _left_out(question: Question) -> Problem:
    message = N_("未放入演示题库: %(file)s 第 %(line)s 行第 %(number)s 题没有答案或有错误",
                 file=question.source.file, line=question.source.line, number=question.number)
    return Problem(None, "warning", message)
