"""Tell regulations apart from the courseware, exam papers and essays scraped around them."""

from __future__ import annotations

import re

from .model import Document

# Titles of regulations: …管理制度, …实施办法, …服务规范, …服务流程, 中华人民共和国…法,
# optionally followed by 范本/总则 or a note in brackets: 客户交付管理规定（试行）.
_REGULATION_WORD = (
    r"(?:制度|规定|办法|细则|规范|守则|准则|条例|规则|规程|章程|流程|标准|须知|手册|"
    r"指引|通知|决定|(?<![方办说做想看手写用算语])法)"
)
_REGULATION_TITLE = re.compile(
    rf"{_REGULATION_WORD}(?:范本|总则|全文|汇编)?(?:\s*[(（][^)）]{{0,20}}[)）])?$"
)
# 客户服务体系(管理制度): the kind of document named in brackets.
_BRACKETED_KIND = re.compile(rf"[(（][^)）]*{_REGULATION_WORD}[)）]$")
_OUTLINE_KINDS = ("outline", "suboutline")


def looks_like_regulation_title(title: str) -> bool:
    """Whether the title names a regulation rather than a course, an essay or a test."""
    title = title.strip()
    return bool(_REGULATION_TITLE.search(title) or _BRACKETED_KIND.search(title))


def article_count(document: Document) -> int:
    return len(document.articles())


def top_outline_count(document: Document) -> int:
    """Top-level 一、 / （一） sections of an outline document without 条."""
    return sum(1 for part in document.parts if part.kind in _OUTLINE_KINDS)


def is_regulation(document: Document, minimum: int = 2) -> bool:
    """Articles, or outline sections under a regulation title; `minimum` parts of either."""
    if article_count(document) >= minimum:
        return True
    titled = looks_like_regulation_title(document.title)
    return titled and (article_count(document) >= 1 or top_outline_count(document) >= minimum)
