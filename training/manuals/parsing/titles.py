"""Recognise document titles: standalone title lines and titles glued to what follows."""

from __future__ import annotations

import re

SENTENCE_PUNCT = "。；;！!？?"
CLAUSE_END = SENTENCE_PUNCT + "，,：:、"
# Nouns that end document titles: 管理制度, 实施办法, 服务流程, 管理原则, 心得体会 …
_TITLE_NOUN = (
    "制度|规定|办法|细则|规范|守则|准则|条例|规则|规程|章程|流程|标准|须知|手册|指引|指南|"
    "方案|原则|策略|技巧|体系|培训|总结|体会|心得|措施|意见|通知|决定|资料|试题|课件"
)
# A title ending in such a noun, optionally followed by a short note: 客户服务体系(管理制度).
_TITLE_END = re.compile(rf"(?:{_TITLE_NOUN})(?:[(（][^)）]{{1,12}}[)）])?$")
# A title glued to the prose after it: "实现优质客户资源的管理技巧优质客户资源是…".
_GLUED_TITLE = re.compile(
    rf"^([^\s{CLAUSE_END}《》]{{2,30}}(?:{_TITLE_NOUN}))(?=[^\s{CLAUSE_END}])"
)
_DATE = re.compile(r"\d{4}\s*年")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_title_line(text: str) -> bool:
    """A line that reads like a document title: short, no sentence, not a date or a note."""
    if text.startswith("《") and text.endswith("》"):
        return len(text) <= 42
    return (
        2 <= len(text) <= 40
        and not any(ch in SENTENCE_PUNCT for ch in text)
        and text[-1] not in CLAUSE_END
        and text[0] not in "(（【[0123456789"
        and not _DATE.search(text)
        and len(_CJK.findall(text)) >= 2
    )


def ends_like_title(text: str) -> bool:
    """A title line ending in a document noun: 优质客户服务管理制度, 客户服务管理培训."""
    return is_title_line(text) and bool(_TITLE_END.search(text))


def glued_title(text: str) -> str | None:
    """The title at the start of `text` when one is glued to the following prose."""
    match = _GLUED_TITLE.match(text)
    return match.group(1) if match else None
