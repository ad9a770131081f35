"""Whether a new line still belongs to the question being read.

Stems wrap, options run over lines, reference answers span paragraphs, case material comes
before its question. What follows a finished question — a courseware paragraph after the last
option, a sidebar title after a case's question mark — does not belong to it.
"""

from __future__ import annotations

import re

from question_bank.formats.cn_text.blocks import Block
from question_bank.formats.cn_text.options import starts_options
from question_bank.formats.cn_text.vocabulary import (
    BLANK,
    CN_ORDINAL,
    EXPLANATION_MARK,
    MARKERS,
    fold,
)

OPTION_LINE_LENGTH = 40
STEM_PARAGRAPH_LENGTH = 120
# '第二部分 非选择题', '三、…': a heading, never the rest of an option or an explanation.
_HEADING = re.compile(rf"\s*(?:第[{CN_ORDINAL}\d]{{1,3}}部分|[{CN_ORDINAL}]{{1,3}}\s*[、.])")
# A case question's prompt: it ends in ? or :, or is a numbered sub-question.
# '【正确答案】:A解析:' ending a line: the explanation follows, after a blank line or not.
_MARK_ENDS = re.compile(rf"(?:{EXPLANATION_MARK})\s*$")
_PROMPT = re.compile(r"[?:]\s*$|^\s*(?:\(\d{1,2}\)|\d{1,2}\)|[①-⑩]|问题|请)")


def continues(block: Block, text: str, after_blank: bool) -> bool:
    """Whether `text`, the start of a new line, continues the open `block`."""
    folded = fold(text)
    if block.closed:
        return False
    if MARKERS.search(folded) or (block.phase in ("stem", "options") and starts_options(folded)):
        return True
    if block.phase == "answer":
        return block.reading_state().answering or not block.answer_text.strip()
    if block.phase in ("explanation", "options") and _HEADING.match(folded):
        return False
    if block.phase == "explanation":
        return not after_blank or bool(_MARK_ENDS.search(fold(block.parts[-1][1])))
    if block.phase == "options":
        return not after_blank and len(text) <= OPTION_LINE_LENGTH
    return _stem_continues(block, text, folded, after_blank)


def _stem_continues(block: Block, text: str, folded: str, after_blank: bool) -> bool:
    """Case material runs until its question has been asked; other stems end at a blank line
    once they are complete (a blank to fill, a question mark, a full stop)."""
    stem = fold(block.text).rstrip()
    if block.kind == "case":
        return not stem.endswith("?") or bool(_PROMPT.search(folded))
    if not after_blank:
        return True
    if block.subjective_section:
        return False
    if BLANK.search(stem) or stem.endswith(("?", ":", "。", ".")):
        return False
    return block.kind is not None or len(text) <= STEM_PARAGRAPH_LENGTH
