"""Aiken, the simplest multiple-choice text format Moodle reads.

    客户来电投诉时首先应该?
    A. 解释公司政策
    B) 倾听并确认问题
    ANSWER: B

The stem may run over several lines; options are `A. ` or `A) ` (full-width `．）、` too);
`ANSWER:` closes the question. Blank lines are ignored, as Moodle does. `ANSWER: AC` is read as
a multiple-choice question (an extension: Moodle's Aiken is single choice only). A question
without an ANSWER line is kept without a key and reported with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from question_bank.formats._shared import finish
from question_bank.formats.encoding import decode_text
from question_bank.model import ImportResult, Option, Problem, Question, Source
from question_bank.types import get_type

_OPTION = re.compile(r"([A-Z])\s*[.)．）、]\s*(.*)")
_ANSWER = re.compile(r"ANSWER\s*[:：]\s*(.*)", re.IGNORECASE)


@dataclass
class _Draft:
    """The question being read: stem lines until the first option, then options."""

    line: int
    stem: list[str]
    options: list[Option] = field(default_factory=list)


@dataclass
class _Reader:
    """Reads lines one by one, closing a draft at its ANSWER line or where the next one starts."""

    filename: str | None
    result: ImportResult = field(default_factory=lambda: ImportResult(format="aiken"))
    draft: _Draft | None = None

    def read(self, number: int, line: str) -> None:
        answer = _ANSWER.fullmatch(line)
        option = _OPTION.fullmatch(line)
        if answer:
            self.close_with_key(number, answer.group(1))
        elif option and self.draft is not None:
            self.draft.options.append(Option(option.group(1), option.group(2).strip()))
        elif self.draft is not None and not self.draft.options:
            self.draft.stem.append(line)
        else:
            self.close_without_key()
            self.draft = _Draft(number, [line])

    def close_with_key(self, number: int, key: str) -> None:
        if self.draft is None:
            self.result.problems.append(
                Problem(number, "error", "ANSWER 行前没有题目 (ANSWER line without a question)")
            )
            return
        try:
            answer = get_type("multiple").parse_answer(key)
        except ValueError as error:
            self.result.problems.append(Problem(number, "error", f"答案: {error}"))
            answer = None
        self._append(self.draft, answer)

    def close_without_key(self) -> None:
        if self.draft is not None:
            self.result.problems.append(
                Problem(
                    self.draft.line,
                    "error",
                    "缺少 ANSWER 行, 例如 'ANSWER: B' (missing ANSWER line)",
                )
            )
            self._append(self.draft, None)

    def _append(self, draft: _Draft, answer: list[str] | None) -> None:
        self.result.questions.append(
            Question(
                type="multiple" if answer and len(answer) > 1 else "single",
                stem="\n".join(draft.stem),
                options=draft.options,
                answer=answer,
                source=Source(self.filename, draft.line),
            )
        )
        self.draft = None


def parse(data: bytes, filename: str | None = None) -> ImportResult:
    """Parse an Aiken file; problems carry the line of the question they concern."""
    reader = _Reader(filename)
    for number, raw in enumerate(decode_text(data).text.splitlines(), 1):
        if raw.strip():
            reader.read(number, raw.strip())
    reader.close_without_key()
    return finish(reader.result)
