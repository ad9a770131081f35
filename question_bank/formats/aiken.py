"""Aiken, the simplest multiple-choice text format Moodle reads.

    客户来电投诉时首先应该?
    A. 解释公司政策
    B) 倾听并确认问题
    ANSWER: B

The stem may run over several lines; options are `A. ` or `A) ` (full-width `．）、` too),
labelled by consecutive capitals from A; `ANSWER:` names one of them and closes the question.
Blank lines are ignored, as Moodle does. A question that breaks these rules — fewer than two
options, labels out of order, an `ANSWER:` that is not an option's letter, no `ANSWER:` before
the next question starts — is not imported: like Moodle, the importer reports one error at its
line and keeps the good questions. `ANSWER: AC` (capitals only, each an option) is read as a
multiple-choice question, an extension: Moodle's Aiken is single choice only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from question_bank.formats._shared import finish
from question_bank.formats.encoding import decode_text
from question_bank.model import ImportResult, Option, Problem, Question, Source
from question_bank.texts import N_

_OPTION = re.compile(r"([A-Z])\s*[.)．）、]\s*(.*)")
_ANSWER = re.compile(r"ANSWER\s*[:：]\s*(.*)", re.IGNORECASE)
# One letter (any case), or the multiple-choice extension: capitals only, 'AC' or 'A,C'.
_LETTERS = re.compile(r"[A-Za-z]|[A-Z](?:[,，、]?[A-Z])+")
_MIN_OPTIONS = 2

NOT_STARTED = N_("选项或 ANSWER 行前没有题干，未导入")
NOT_FINISHED = N_("下一题开始前缺少 ANSWER 行，上一题未导入")
NO_ANSWER = N_("缺少 ANSWER 行，例如 'ANSWER: B'，未导入")
TOO_FEW = N_("至少需要两个选项，未导入")


@dataclass
class _Draft:
    """The question being read: stem lines until the first option, then options."""

    line: int
    stem: list[str]
    options: list[Option] = field(default_factory=list)
    broken: Problem | None = None


@dataclass
class _Reader:
    """Reads lines one by one; a question ends at its ANSWER line, or is broken."""

    filename: str | None
    result: ImportResult = field(default_factory=lambda: ImportResult(format="aiken"))
    draft: _Draft | None = None
    orphan: int | None = None

    def read(self, number: int, line: str) -> None:
        answer = _ANSWER.fullmatch(line)
        option = _OPTION.fullmatch(line)
        if answer:
            self._close_with_key(number, answer.group(1).strip())
        elif option and self.draft is None:
            self.orphan = self.orphan or number
        elif option and self.draft is not None:
            self._option(number, option.group(1), option.group(2).strip())
        elif self.draft is not None and not self.draft.options:
            self.draft.stem.append(line)
        else:
            self._unfinished(number)
            self.draft = _Draft(number, [line])

    def finish(self) -> None:
        if self.orphan is not None:
            self._error(self.orphan, NOT_STARTED)
        if self.draft is not None:
            self._error(self.draft.line, NO_ANSWER)

    def _option(self, number: int, label: str, text: str) -> None:
        assert self.draft is not None
        expected = chr(ord("A") + len(self.draft.options))
        if label != expected and self.draft.broken is None:
            message = N_("选项应为 %(expected)s，却是 %(label)s，未导入", expected=expected, label=label)
            self.draft.broken = Problem(number, "error", message)
        self.draft.options.append(Option(label, text))

    def _unfinished(self, number: int) -> None:
        """A new stem begins: options waiting for it, or a question left without ANSWER."""
        if self.orphan is not None:
            self._error(self.orphan, NOT_STARTED)
        if self.draft is not None:
            self._error(number, NOT_FINISHED)
        self.orphan = None

    def _close_with_key(self, number: int, key: str) -> None:
        draft, self.draft = self.draft, None
        if draft is None:
            self._error(self.orphan or number, NOT_STARTED)
            self.orphan = None
            return
        labels = [o.label for o in draft.options]
        letters = (
            sorted(set(re.sub(r"[,，、]", "", key.upper()))) if _LETTERS.fullmatch(key) else []
        )
        if draft.broken is not None:
            self.result.problems.append(draft.broken)
        elif len(labels) < _MIN_OPTIONS:
            self._error(number, TOO_FEW)
        elif not letters or not set(letters) <= set(labels):
            message = N_("ANSWER 应为选项字母 %(labels)s，却是 '%(key)s'，未导入",
                         labels="/".join(labels), key=key[:20])
            self._error(draft.line, message)
        else:
            self._append(draft, letters)

    def _error(self, line: int, message: str) -> None:
        self.result.problems.append(Problem(line, "error", message))

    def _append(self, draft: _Draft, answer: list[str]) -> None:
        self.result.questions.append(
            Question(
                type="multiple" if len(answer) > 1 else "single",
                stem="\n".join(draft.stem),
                options=draft.options,
                answer=answer,
                source=Source(self.filename, draft.line),
            )
        )


def parse(data: bytes, filename: str | None = None) -> ImportResult:
    """Parse an Aiken file; problems carry the line of the question they concern."""
    reader = _Reader(filename)
    for number, raw in enumerate(decode_text(data).text.splitlines(), 1):
        if raw.strip():
            reader.read(number, raw.strip())
    reader.finish()
    return finish(reader.result)
