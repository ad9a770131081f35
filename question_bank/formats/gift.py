"""GIFT, Moodle's plain-text question format.

Questions are separated by blank lines. Supported: `// comments`, `$CATEGORY:` lines,
`::title::` (kept as the question number), `[html]` `[markdown]` `[plain]` `[moodle]` format
markers, the escapes `\\~ \\= \\# \\{ \\} \\: \\\\ \\n`, and these answer blocks:

    {=right ~wrong ~wrong}            single choice (any '=' answer)
    {~%50%a ~%50%b ~%-100%c}          multiple choice (no '=': positive weights are the key)
    {T} {TRUE} {F} {FALSE}            true/false
    {=x =y}                           fill_blank, one blank, x and y both accepted
    text {=x} text {=y =z} text       fill_blank with several blanks (each block becomes ____)
    {}                                essay

Text after a block (Moodle's "missing word" layout) turns the block into a ____ blank. Per-answer
`#feedback` is dropped; general feedback `####...` becomes the explanation. Matching (`->`),
numerical (`{#...}`) and text without an answer block (a description) are reported with their
line, never dropped silently. GIFT carries no points, so imported questions are worth 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import cast

from question_bank.formats._shared import (
    BLANK,
    Rejected,
    backslash_escape,
    clean_category,
    collect,
    finish,
    html_to_text,
    partial_credit_warning,
    split_unescaped,
)
from question_bank.formats.encoding import decode_text
from question_bank.model import Answer, ImportResult, Option, Question
from question_bank.texts import N_
from question_bank.types import OPTION_LABELS, option_label

SPECIAL = "\\~=#{}:"
_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
_FORMAT_MARKER = re.compile(r"\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TRUE_FALSE = re.compile(r"(T|TRUE|F|FALSE)\s*(#.*)?", re.IGNORECASE | re.DOTALL)
_WEIGHT = re.compile(r"\s*%(-?\d+(?:\.\d+)?)%")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
CATEGORY = "$CATEGORY:"
_Plain = Callable[[str], str]


@dataclass
class _Block:
    """What one {...} answer block says, before it is placed in a stem."""

    type: str
    options: list[Option] = field(default_factory=list)
    answer: Answer = None
    explanation: str | None = None
    warnings: list[str] = field(default_factory=list)


def escape(text: str) -> str:
    """Escape GIFT's special characters and line breaks, the inverse of `unescape`."""
    return _LINE_BREAK.sub(r"\\n", backslash_escape(text, SPECIAL))


def unescape(text: str) -> str:
    """Undo GIFT's backslash escapes."""
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _find(text: str, token: str, start: int = 0) -> int:
    """Index of the first unescaped `token` at or after `start`, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(token, i):
            return i
        else:
            i += 1
    return -1


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """Yield (first line, text) per question or `$CATEGORY:` line; drop `//` comment lines."""
    lines: list[str] = []
    first = 0
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if stripped and not stripped.startswith(CATEGORY):
            first = first if lines else number
            lines.append(line)
            continue
        if lines:
            yield first, "\n".join(lines)
            lines = []
        if stripped:
            yield number, stripped
    if lines:
        yield first, "\n".join(lines)


def parse(data: bytes, filename: str | None = None) -> ImportResult:
    """Parse a GIFT file; every question either comes out or is reported with its line."""
    result = ImportResult(format="gift")
    category: str | None = None
    for line, block in _blocks(decode_text(data).text):
        if block.startswith(CATEGORY):
            category = clean_category(block[len(CATEGORY) :])
            continue
        collect(
            result, partial(_question, block), line=line, filename=filename, category=category
        )
    return finish(result)


def _question(text: str) -> tuple[Question, list[str]]:
    """One GIFT question and the warnings about what was left out of it."""
    title, body = _split_title(text)
    marker = _FORMAT_MARKER.match(body)
    is_html = bool(marker and marker.group(1).lower() == "html")
    body = body[marker.end() :] if marker else body

    def plain(part: str) -> str:
        return html_to_text(unescape(part)) if is_html else unescape(part).strip()

    spans = _answer_spans(body)
    blocks = [_read_block(body[start + 1 : end], plain) for start, end in spans]
    block = blocks[0] if len(blocks) == 1 else _merge_blanks(blocks)
    question = Question(
        type=block.type,
        stem=plain(_stem_source(body, spans)),
        options=block.options,
        answer=block.answer,
        explanation=block.explanation,
        number=title,
    )
    return question, block.warnings


def _split_title(text: str) -> tuple[str | None, str]:
    """Take a leading ::title:: off the question."""
    stripped = text.lstrip()
    if not stripped.startswith("::"):
        return None, text
    end = _find(stripped, "::", 2)
    if end < 0:
        raise Rejected(N_("标题缺少结尾的 '::'"))
    return unescape(stripped[2:end]).strip() or None, stripped[end + 2 :]


def _answer_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of every unescaped {...} block; none means the text is a description."""
    spans: list[tuple[int, int]] = []
    start = _find(body, "{")
    while start >= 0:
        end = _find(body, "}", start + 1)
        if end < 0:
            raise Rejected(N_("答案块缺少 '}'"))
        spans.append((start, end))
        start = _find(body, "{", end + 1)
    if not spans:
        raise Rejected(N_("没有答案块 {…}: 是说明文字, 已跳过"), "warning")
    return spans


def _stem_source(body: str, spans: list[tuple[int, int]]) -> str:
    """The stem with each block replaced by ____, except a lone block that ends the text."""
    last_start, last_end = spans[-1]
    if len(spans) == 1 and not body[last_end + 1 :].strip():
        return body[:last_start]
    pieces, position = [], 0
    for start, end in spans:
        pieces.append(body[position:start] + BLANK)
        position = end + 1
    return "".join(pieces) + body[position:]


def _merge_blanks(blocks: list[_Block]) -> _Block:
    """Several blocks in one stem: each must be a short-answer blank."""
    if any(block.type != "fill_blank" for block in blocks):
        raise Rejected(N_("不支持的题型: 含选择空的完形填空"))
    # Each block is a fill_blank here: its answer is a list of blanks' alternatives.
    answers = [
        blank for block in blocks for blank in cast("list[list[str]]", block.answer or [[]])
    ]
    explanations = [block.explanation for block in blocks if block.explanation]
    return _Block(
        type="fill_blank",
        answer=answers,
        explanation=explanations[0] if explanations else None,
        warnings=[warning for block in blocks for warning in block.warnings],
    )


def _read_block(content: str, plain: _Plain) -> _Block:
    """Classify the text between braces the way Moodle does and read its answers."""
    at = _find(content, "####")
    head = content if at < 0 else content[:at]
    explanation = None if at < 0 else plain(content[at + 4 :]) or None
    head = head.strip()
    if not head:
        return _Block(type="essay", explanation=explanation)
    if head.startswith("#"):
        raise Rejected(N_("不支持的题型: 数值题 {#...}"))
    if _find(head, "~") >= 0:
        return _choice(head, plain, explanation)
    if _find(head, "->") >= 0:
        raise Rejected(N_("不支持的题型: 匹配题 {… -> …}"))
    true_false = _TRUE_FALSE.fullmatch(head)
    if true_false:
        answer = true_false.group(1).upper().startswith("T")
        return _Block(type="true_false", answer=answer, explanation=explanation)
    return _short_answer(head, plain, explanation)


@dataclass
class _Item:
    """One `=answer` or `~answer` with its weight; per-answer feedback is already dropped."""

    marker: str
    weight: float | None
    text: str


def _items(head: str, plain: _Plain) -> list[_Item]:
    lead, *parts = split_unescaped(head, "=~")
    if lead[1].strip() or not parts:
        raise Rejected(N_("无法识别的答案块: {%(block)s}", block=head[:40]))
    items = []
    for marker, text in parts:
        weight = _WEIGHT.match(text)
        answer = split_unescaped(text[weight.end() :] if weight else text, "#")[0][1]
        items.append(_Item(marker, float(weight.group(1)) if weight else None, plain(answer)))
    return items


def _choice(head: str, plain: _Plain, explanation: str | None) -> _Block:
    """Any '=' answer makes single choice; otherwise positive weights mark multiple choice."""
    items = _items(head, plain)
    if len(items) > len(OPTION_LABELS):
        raise Rejected(N_("选项过多: %(count)s 个, 最多 %(most)s 个", count=len(items), most=len(OPTION_LABELS)))
    single = any(item.marker == "=" for item in items)
    options = [Option(option_label(i), item.text) for i, item in enumerate(items)]
    key = [
        option.label
        for option, item in zip(options, items, strict=True)
        if (item.marker == "=" if single else (item.weight or 0) > 0)
    ]
    warnings = [] if key else [N_("答案: 没有标记正确答案")]
    return _Block(
        type="single" if single else "multiple",
        options=options,
        answer=key or None,
        explanation=explanation,
        warnings=warnings,
    )


def _short_answer(head: str, plain: _Plain, explanation: str | None) -> _Block:
    """Full-credit '=' answers are the accepted alternatives of one blank."""
    items = _items(head, plain)
    accepted = [item.text for item in items if item.weight in (None, 100.0)]
    return _Block(
        type="fill_blank",
        answer=[accepted],
        explanation=explanation,
        warnings=partial_credit_warning(len(items) - len(accepted)),
    )
