"""Chinese exam papers as plain text: 一、单项选择题 … 1.…（ ）A.… B.… 答案：B … 参考答案 1-5 BCADA.

`parse` reads .txt bytes (UTF-8, GBK, GB18030), `parse_text` pasted text and `parse_lines` the
lines another reader extracted (the .docx importer). One module per step:

* `reflow` — Markdown markup, items introduced by '例:' or bullets, spaced-out PDF digits
  turned into plain numbered lines, each remembering its source line; after cleaning, the
  questions of a paper that numbers none get numbers;
* `cleaning` — page numbers, watermarks and running heads blanked, line numbers kept;
* `scanner` — lines into question blocks, sections and answer keys, with `numbering` (which
  numbers start questions), `sections` (headers, points), `continuation` (what still belongs
  to a question), `key_regions` (where keys start and end) and `strays` (lost questions);
* `drafts` — a block's stem, `options` and inline `answers`;
* `answer_key` — keys at the end of a paper, matched to its questions;
* `assemble` — types and answers (`values`), points, and the paper-level problems.

Bad input becomes problems with line numbers, never an exception.
"""

from __future__ import annotations

from question_bank.formats.cn_text.assemble import MISSING_ANSWER, assemble
from question_bank.formats.cn_text.cleaning import clean_lines
from question_bank.formats.cn_text.reflow import number_unnumbered, reflow
from question_bank.formats.cn_text.scanner import scan
from question_bank.formats.encoding import decode_text
from question_bank.model import ImportResult, Problem, Question
from question_bank.texts import N_
from question_bank.types import validate_all

__all__ = ["FORMAT", "MISSING_ANSWER", "parse", "parse_lines", "parse_text", "split_lines"]

FORMAT = "cn-text"


def parse(data: bytes, filename: str | None = None) -> ImportResult:
    """Parse a text file in whatever encoding its author saved it."""
    return parse_text(decode_text(data).text, filename)


def parse_text(text: str, filename: str | None = None) -> ImportResult:
    """Parse pasted text; line numbers count from 1 as an editor shows them."""
    return parse_lines(split_lines(text), filename)


def parse_lines(lines: list[str], filename: str | None = None, fmt: str = FORMAT) -> ImportResult:
    """Parse lines already extracted from a document (index 0 is line 1)."""
    try:
        flowed = reflow(lines)
        found = scan(number_unnumbered(clean_lines(flowed.lines)))
        questions, problems = assemble(found, filename)
    except Exception as error:  # the contract: a problem to report, never an exception
        message = N_("内部错误，请把文件发给管理员: %(detail)s", detail=type(error).__name__ + ": " + str(error))
        return ImportResult(fmt, problems=[Problem(None, "error", message)])
    problems.extend(validate_all(questions))
    _to_source_lines(questions, problems, flowed.origin)
    problems.sort(key=lambda problem: problem.line or 0)
    return ImportResult(fmt, questions, problems)


def _to_source_lines(questions: list[Question], problems: list[Problem], origin: list[int]) -> None:
    """Lines counted in the reflowed text back to the lines of the source."""

    def source(line: int | None) -> int | None:
        return origin[line - 1] if line is not None and 0 < line <= len(origin) else line

    for question in questions:
        question.source.line = source(question.source.line)
    for problem in problems:
        problem.line = source(problem.line)


def split_lines(text: str) -> list[str]:
    """Lines as editors count them: \\r\\n, \\r and \\n all end a line, nothing else does."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
