"""Give back the line structure copying took away, before the scanner reads a paper.

Trainers paste what they find: a blog post in Markdown (headings, bold numbers, blank lines
between everything, fenced code), a judge list whose items are introduced by '例:' or a bullet
rather than a number, sometimes all on one line, and PDF text with spaces inside numbers
('1 6 0题', '1 .现场营销'). `reflow` turns these into the lines the scanner knows — one
numbered item per line, no markup — and remembers each new line's source line, so every
question and problem still points at the line the trainer sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from question_bank.formats.cn_text.vocabulary import (
    ANSWER_MARK,
    EXPLANATION_MARK,
    OBJECTIVE_TOKEN,
    fold,
)

FENCE = re.compile(r"^\s*(?:```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:https?://|/)[^)\s]*\)")
_MARKDOWN_SIGNS = re.compile(r"^\s*(?:#{1,6}\s|```|~~~|\*\*\s*\d)")
_MARKDOWN_LINES = 2
# 例: / ● / ◆ … introducing an item; only items that end in an objective answer ('答案√',
# '答案:B') after some text count as questions.
_ITEM = re.compile(r"(?:(?<![\u4e00-\u9fff])例\s*\d*\s*[:：]|[●•◆■★☆▪◇○◎►▶※❖])\s*")
_ITEM_HINT = re.compile("[例●•◆■★☆▪◇○◎►▶※❖]")
_ITEM_ANSWER = re.compile(rf"\S.*?(?:{ANSWER_MARK})\s*{OBJECTIVE_TOKEN}\s*[。.;；]?\s*$")
# '1 6 0题', '1 .现场', '1 2、': digits PDF extraction spaced out, before a number's end.
_SPACED_DIGITS = re.compile(
    r"(?<![\d.])\d(?: \d){1,3}(?=\s?[.、．题])|(?<![\d.])\d{1,3} (?=[.．](?!\d))"
)


# '…模拟试题1.经过…': a paper's title with its first question glued on.
_TITLE_GLUE = re.compile(
    r"(?<=试题|试卷|题库|答案|练习|测试|考题|问卷|試題|試卷|題庫|練習|測試|考題)\s*(?=1\s*[.、．](?!\d))"
)


# '…（ ）参考答案1.× 2.√': an answer key glued to the last question.
_KEY_GLUE = re.compile(
    r"(?<=\S)(参考答案|标准答案|參考答案)\s*[:：]?\s*(?=(?:[一二三四五六七八九十]{1,3}\s*[、.]\s*)?\d)"
)
# For papers whose questions carry no number at all: stem lines, options, '答案:B'.
_NUMBERED = re.compile(r"^\s*(?:第\s*\d{1,4}\s*题|\d{1,4}\s*[.、]|\(\d{1,3}\))")
_NUMBERED_RAW = re.compile(
    r"^\s*(?:第\s*[\d０-９]{1,4}\s*题|[\d０-９]{1,4}\s*[.、．]|[(（][\d０-９]{1,3}[)）])"
)
_OPTION_A = re.compile(r"^\s*(?:\(A\)|A\s?[.、:)])")
_OPTION = re.compile(r"^\s*(?:\([A-H]\)|[A-H]\s?[.、:)])")
_ANSWER_LINE = re.compile(rf"^\s*(?:{ANSWER_MARK})\s*{OBJECTIVE_TOKEN}")
_OTHER_MARK = re.compile(rf"^\s*(?:{EXPLANATION_MARK}|{ANSWER_MARK})")
_TITLE = re.compile(r"试题|试卷|题库|題庫|考题|练习题|测试题")
# '此题为判断题(对,错)。' between a judge item's stem and its '正确答案:×'
JUDGE_NOTE = re.compile(r"\s*此题为判断题\s*(?:\(\s*对\s*,\s*错\s*\))?\s*[。.]?\s*$")
_TRUTH_ANSWER = re.compile(rf"^\s*(?:{ANSWER_MARK})\s*(?:正确|错误|[对错√×])")
_TITLE_LENGTH = 40


# Survey exports: 'Q3. …(单选题)' followed by its choices one per line, without labels.
_Q_NUMBER = re.compile(r"^(\s*)Q(?=\d{1,4}\s*[.、])")
_CHOICE_TAG = re.compile(r"[(\[【]\s*(?:单选题|多选题|單選題|多選題)\s*[)\]】]\s*\*?\s*$")
_LABELLED = re.compile(r"^\s*(?:\(?[A-H]\s?[.、:)）．]|\([A-H]\))")


# Hints that some step below has work to do; a paper with none is left as it is, found by
# substring tests (fast) before any regular expression runs over the whole text.
_HINTS = ("```", "~~~", "**", "](", "例", "Q", "选题", "選題", *"●•◆■★☆▪◇○◎►▶※❖")
_KEY_WORDS = ("参考答案", "标准答案", "參考答案")
_MARKDOWN_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s|>)", re.MULTILINE)
_TITLE_GLUE_HINT = re.compile(
    r"(?:试题|试卷|题库|答案|练习|测试|考题|问卷|試題|試卷|題庫|練習|測試|考題)\s*1\s*[.、．]"
)
_DIGIT_SPACE = re.compile(r"\d (?:\d|[.．])")


@dataclass
class Reflowed:
    """New lines and, for each, its line number in the source (1-based)."""

    lines: list[str] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)

    def add(self, text: str, line: int) -> None:
        self.lines.append(text)
        self.origin.append(line)


def reflow(lines: list[str]) -> Reflowed:
    """Lines the scanner can read, with where each came from."""
    if not _needs_reflow("\n".join(lines)):
        return Reflowed(list(lines), list(range(1, len(lines) + 1)))
    markdown = sum(bool(_MARKDOWN_SIGNS.match(line)) for line in lines) >= _MARKDOWN_LINES
    result, fenced, item, choice = Reflowed(), False, 0, None
    for number, line in enumerate(lines, 1):
        line, choice = _survey_choice(line, choice)
        if FENCE.match(line):
            fenced = not fenced
            result.add(line.strip(), number)
        elif fenced:
            result.add(line, number)
        elif markdown and not line.strip():
            continue
        else:
            text = _unglued(_joined_digits(_plain(line) if markdown else line))
            for part in text.split("\n"):
                item = _items(result, part, number, item)
    return result


def _needs_reflow(text: str) -> bool:
    if any(hint in text for hint in _HINTS):
        return True
    if any(key in text for key in _KEY_WORDS) and _KEY_GLUE.search(text):
        return True
    return bool(
        _MARKDOWN_LINE.search(text) or _DIGIT_SPACE.search(text) or _TITLE_GLUE_HINT.search(text)
    )


def _survey_choice(line: str, label: str | None) -> tuple[str, str | None]:
    """'Q3.' read as '3.'; the unlabelled lines after a stem tagged (单选题)/(多选题) labelled
    A, B, C… until the next numbered line. Returns the line and the next label to give."""
    if label is None and "Q" not in line and "选题" not in line and "選題" not in line:
        return line, None  # the common case, decided without folding the line
    line = _Q_NUMBER.sub(r"\1", line)
    folded = fold(line)
    if _NUMBERED.match(folded):
        return line, "A" if _CHOICE_TAG.search(folded) else None
    if label is None or not line.strip():
        return line, label
    if _LABELLED.match(folded) or label > "H":
        return line, None
    return f"{label}. {line.strip()}", chr(ord(label) + 1)


def _plain(line: str) -> str:
    """A Markdown line's text: no heading marks, quote marks, emphasis or link targets."""
    text = _QUOTE.sub("", _HEADING.sub("", line))
    return _LINK.sub(r"\1", _EMPHASIS.sub(r"\2", text))


def _unglued(text: str) -> str:
    """A title's first question and an answer key glued on, put on lines of their own."""
    if "1" in text:
        text = _TITLE_GLUE.sub("\n", text, count=1)
    if "答案" in text:
        text = _KEY_GLUE.sub(r"\n\1\n", text)
    return text


def _joined_digits(text: str) -> str:
    if not _DIGIT_SPACE.search(text):
        return text
    return _SPACED_DIGITS.sub(lambda m: m.group().replace(" ", ""), text)


def _items(result: Reflowed, text: str, number: int, count: int) -> int:
    """Split a line at item markers whose items hold an answer, numbering them on from
    `count`; return the new count (0 once a line without items ends a run)."""
    if not _ITEM_HINT.search(text):  # markers fold to themselves: most lines stop here
        result.add(text, number)
        return count if not text.strip() else 0
    folded = fold(text)
    marks = list(_ITEM.finditer(folded))
    ends = [m.start() for m in marks[1:]] + [len(text)] if marks else []
    answered = [
        bool(_ITEM_ANSWER.match(folded, m.end(), end)) for m, end in zip(marks, ends, strict=True)
    ]
    if not marks or not all(answered):
        result.add(text, number)
        return count if not text.strip() else 0
    if text[: marks[0].start()].strip():
        result.add(text[: marks[0].start()], number)
    for mark, end in zip(marks, ends, strict=True):
        count += 1
        result.add(f"{count}. {text[mark.end() : end].strip()}", number)
    return count


def number_unnumbered(lines: list[str]) -> list[str]:
    """Cleaned lines of a paper whose questions have no numbers ('stem / A、… / 答案:B'), each
    question's first line numbered; other papers unchanged. A stem starts at the first line
    after an answer (or the start) that is no option, title or marker, when option A follows
    before the next answer."""
    answers = sum(bool(_ANSWER_LINE.match(fold(line))) for line in lines if "答" in line)
    numbered = sum(bool(_NUMBERED_RAW.match(line)) for line in lines)
    if answers < 2 or numbered * 2 >= answers:
        return lines
    folded = [fold(line) for line in lines]
    result, expect, count = list(lines), True, 0
    for index, line in enumerate(folded):
        if _ANSWER_LINE.match(line):
            expect = True
        elif expect and line.strip() and _opens_question(folded, index):
            count += 1
            result[index] = f"{count}. {lines[index].strip()}"
            expect = False
    return result


def _opens_question(folded: list[str], index: int) -> bool:
    line = folded[index]
    if _OPTION.match(line) or _OTHER_MARK.match(line):
        return False
    if len(line) <= _TITLE_LENGTH and _TITLE.search(line):
        return False
    judged = True  # a judge item: its stem, perhaps '此题为判断题(对,错)', then '答案:×'
    for following in (line for line in folded[index + 1 :] if line.strip()):
        if _OPTION_A.match(following):
            return True
        if _ANSWER_LINE.match(following):
            return judged and bool(_TRUTH_ANSWER.match(following))
        judged = bool(JUDGE_NOTE.match(following))
    return False
