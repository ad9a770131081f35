"""Build the chapter → article → item tree of one regulation and check its numbering.

Parts nest by rank (编 > 章 > 节 > 条 > 一、 > （一） > 一是 > 1. > （1） > ①); plain text
lines continue the deepest open part. Duplicate article numbers are errors because a wrong
exam answer could not link to one article; gaps, backwards numbering and empty chapters
are warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from question_bank.texts import N_

from .bullets import bullet_lines
from .cleaning import clean_title
from .markers import HEADING_KINDS, Kind, Token
from .model import Document, ManualProblem, Part
from .splitting import Segment
from .titles import is_title_line

# Words that begin an article's sentence; what comes before them is a glued article title:
# "第一条目的和依据为规范银行的…" → title 目的和依据. 根据/依据/凡 only count after a space.
_STARTERS = (
    "为了|为规范|为加强|为提高|为保障|为确保|为明确|为进一步|为促进|为做好|为保证|为维护|为完善|"
    "为有效|为适应|为贯彻|为实现|本制度|本规定|本办法|本细则|本规范|本守则|本准则|本条例|本标准|"
    "本流程|本行|本公司"
)
_TITLE_CHAR = r"[^\s，,。；;：:！!？?]"
_GLUED_PART_TITLE = re.compile(
    rf"^(?!{_STARTERS}|根据|依据|凡)(?P<title>{_TITLE_CHAR}{{1,11}}?[^\s，,。；;：:！!？?和与及或、])"
    rf"(?:\s*(?={_STARTERS})|\s+(?=根据|依据|凡))"
)
# Characters a glued title never contains: they belong to a sentence (公司应…, 由…负责).
_NOT_IN_TITLE = re.compile(r"[应须得是由将把被对在向按照于可不均都已]")
# 【适用范围】 before an article's text.
_BRACKET_TITLE = re.compile(r"^【(?P<title>[^】]{1,20})】\s*")
# A heading title such as 总则 or 客户服务规范, stopping at digits or punctuation: "总则1.1 …".
_HEADING_TITLE = re.compile(r"^[^\s\d。；;，,：:！!？?（(]{1,25}")
# 总 则 / 附 则: a title spaced out letter by letter.
_SPACED_TITLE = re.compile(r"^(?:[\u4e00-\u9fff] ){1,5}[\u4e00-\u9fff](?=\s|$)")
# "（一）真实性原则。真实性原则是指…": a short heading closed by a full stop.
_STOP_TITLE = re.compile(r"^(?P<title>[^。；;！!？?]{2,20})。(?=.)")
_SENTENCE_PUNCT = "。；;！!？?"
# Numbered kinds whose numbering is checked; the labels in a message say which kind it is.
_CHECKED = frozenset({Kind.PART, Kind.CHAPTER, Kind.SECTION, Kind.ARTICLE, Kind.OUTLINE})


@dataclass
class Draft:
    """A built document before the parser decides whether it is a regulation."""

    document: Document
    problems: list[ManualProblem] = field(default_factory=list)
    found_title: bool = False


def build_document(segment: Segment, fallback_title: str) -> Draft:
    """Turn one segment into a Document with numbering problems (document index unset)."""
    builder = _TreeBuilder(segment)
    for index, token in enumerate(segment.tokens):
        following = segment.tokens[index + 1] if index + 1 < len(segment.tokens) else None
        if token.structural:
            builder.open_part(token, following)
        else:
            builder.add_text(token)
    title, preamble = _title_and_preamble(segment.title, builder.preamble)
    for root in builder.roots:
        for part in root.walk():
            part.text = bullet_lines(part.text)
    document = Document(
        title=clean_title(title) if title else fallback_title,
        parts=builder.roots,
        preamble="\n".join(preamble),
        line=segment.start_line,
    )
    problems = builder.problems + _empty_chapters(document) + _emptiness(document, segment)
    return Draft(document, sorted(problems, key=lambda p: p.line), found_title=bool(title))


class _TreeBuilder:
    """Keeps the path of open parts and attaches each new part under the right one."""

    def __init__(self, segment: Segment) -> None:
        self.segment = segment
        self.roots: list[Part] = []
        self.stack: list[tuple[int, Part]] = []
        self.preamble: list[str] = []
        self.problems: list[ManualProblem] = []
        self.numbering = _NumberingCheck()
        self.warned_orphan_article = False

    def open_part(self, token: Token, following: Token | None) -> None:
        while self.stack and self.stack[-1][0] >= token.rank:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        in_article = any(part.kind == "article" for _, part in self.stack)
        title, text = _split_title(token, following, in_article)
        part = Part(
            label=token.label,
            title=title,
            text=text,
            kind=token.kind.value,
            number=token.number,
            line=token.line,
        )
        (parent.parts if parent else self.roots).append(part)
        self._check(token, part, parent)
        self.stack.append((token.rank, part))

    def add_text(self, token: Token) -> None:
        if not self.stack:
            self.preamble.append(token.text)
            return
        part = self.stack[-1][1]
        if _awaits_title(part) and is_title_line(token.text):
            part.title = token.text
        else:
            part.text = f"{part.text}\n{token.text}" if part.text else token.text

    def _check(self, token: Token, part: Part, parent: Part | None) -> None:
        if token.kind in _CHECKED:
            self.problems += self.numbering.check(token.kind, part, self._scope(token, parent))
        if token.kind is Kind.ARTICLE and self._outside_chapters():
            self.warned_orphan_article = True
            self.problems.append(
                ManualProblem(
                    part.line or 1,
                    "warning",
                    N_("条款出现在任何章之前: %(label)s", label=part.label),
                )
            )

    def _scope(self, token: Token, parent: Part | None) -> int:
        """Articles are numbered across the document; other parts within their parent."""
        if token.kind is Kind.ARTICLE:
            chapter = next((p for _, p in reversed(self.stack) if p.kind == "chapter"), None)
            return self.numbering.article_scope(part_number=token.number, chapter=chapter)
        return id(parent) if parent else 0

    def _outside_chapters(self) -> bool:
        return (
            not self.warned_orphan_article
            and self.segment.counts[Kind.CHAPTER] > 0
            and not any(part.kind == "chapter" for _, part in self.stack)
        )


class _NumberingCheck:
    """Remembers the last number per scope to report gaps, backwards steps and duplicates."""

    def __init__(self) -> None:
        self.last: dict[tuple[Kind, int], Part] = {}
        self.articles: dict[int, Part] = {}
        self.article_chapter: Part | None = None
        self.article_scope_id = 0

    def article_scope(self, part_number: int | None, chapter: Part | None) -> int:
        """Company rules sometimes restart 第一条 in every chapter: then scope per chapter."""
        if part_number == 1 and self.articles and chapter is not self.article_chapter:
            self.article_scope_id += 1
            self.articles = {}
        self.article_chapter = chapter
        return self.article_scope_id

    def check(self, kind: Kind, part: Part, scope: int) -> list[ManualProblem]:
        if part.number is None or "之" in part.label:
            return []
        previous = self.last.get((kind, scope))
        self.last[(kind, scope)] = part
        line = part.line or 1
        if kind is Kind.ARTICLE:
            first = self.articles.setdefault(part.number, part)
            if first is not part:
                return [
                    ManualProblem(
                        line,
                        "error",
                        N_("条款编号重复: %(label)s已在第%(line)s行出现",
                           label=part.label, line=first.line),
                    )
                ]
        expected = previous.number + 1 if previous and previous.number else 1
        if part.number == expected:
            return []
        if previous is None:
            message = N_("编号不从一开始: 首个是%(label)s", label=part.label)
        elif part.number > expected:
            message = N_("编号跳跃: %(previous)s之后是%(label)s", previous=previous.label, label=part.label)
        else:
            message = N_("编号倒退: %(previous)s之后是%(label)s", previous=previous.label, label=part.label)
        return [ManualProblem(line, "warning", message)]


def _split_title(token: Token, following: Token | None, in_article: bool) -> tuple[str | None, str]:
    """Separate a part's title from its own text; inside articles, （一） are plain items."""
    body = token.text
    if token.kind is Kind.HEADING:
        return body or None, ""
    if token.kind in HEADING_KINDS:
        return _heading_title(body)
    if token.kind is Kind.ARTICLE:
        own_line = following is not None and following.kind is Kind.TEXT
        return _article_title(body, own_line and following.line > token.line)
    if token.kind in (Kind.OUTLINE, Kind.SUBOUTLINE) and not in_article:
        return _outline_title(body)
    return None, body


def _heading_title(body: str) -> tuple[str | None, str]:
    """第一章 总则 / 第一章总则 / 第一章 总 则 / 第一章:总则1.1 …"""
    body = body.lstrip(" :：、.．")
    spaced = _SPACED_TITLE.match(body)
    if spaced:
        return spaced.group().replace(" ", ""), body[spaced.end() :].strip()
    match = _HEADING_TITLE.match(body)
    if not match:
        return None, body
    return match.group().strip(), body[match.end() :].strip()


def _article_title(body: str, own_line: bool) -> tuple[str | None, str]:
    """【目的】…, 目的和依据为规范…, or a short phrase alone on the article's line."""
    bracket = _BRACKET_TITLE.match(body)
    if bracket:
        return bracket.group("title"), body[bracket.end() :]
    glued = _glued_title(body)
    if glued:
        return glued
    if own_line and _is_short_heading(body, limit=15):
        return body, ""
    return None, body


def _outline_title(body: str) -> tuple[str | None, str]:
    """一、制度目的 / 二、范围本制度适用于… / 一、服务监督制度 技术… / （一）真实性原则。…"""
    if _is_short_heading(body, limit=25):
        return body, ""
    glued = _glued_title(body)
    if glued:
        return glued
    head, _, rest = body.partition(" ")
    if rest and _is_short_heading(head, limit=20):
        return head, rest.strip()
    stop = _STOP_TITLE.match(body)
    if stop:
        return stop.group("title"), body[stop.end() :].strip()
    return None, body


def _glued_title(body: str) -> tuple[str, str] | None:
    match = _GLUED_PART_TITLE.match(body)
    if not match or _NOT_IN_TITLE.search(match.group("title")):
        return None
    return match.group("title"), body[match.end() :]


def _is_short_heading(text: str, limit: int) -> bool:
    return (
        0 < len(text) <= limit
        and not any(ch in _SENTENCE_PUNCT + "，,：:" for ch in text)
        and not re.match(f"{_STARTERS}|根据|依据|凡", text)
    )


def _awaits_title(part: Part) -> bool:
    """`第一章` alone on its line, its title on the next line."""
    heading = part.kind in ("part", "chapter", "section")
    return heading and not (part.title or part.text or part.parts)


def _title_and_preamble(title: str | None, preamble: list[str]) -> tuple[str | None, list[str]]:
    """Without an explicit title, the first title-looking preamble line is the title."""
    if title:
        return title, preamble
    for index, line in enumerate(preamble):
        if is_title_line(line):
            return line, preamble[:index] + preamble[index + 1 :]
    return None, preamble


def _empty_chapters(document: Document) -> list[ManualProblem]:
    """Chapters without any article, in documents that do have articles."""
    if not document.articles():
        return []
    return [
        ManualProblem(part.line or 1, "warning", N_("章内没有条款: %(label)s", label=part.label))
        for part in document.walk()
        if part.kind == "chapter" and not any(p.kind == "article" for p in part.walk())
    ]


def _emptiness(document: Document, segment: Segment) -> list[ManualProblem]:
    line = segment.start_line
    if document.parts:
        return []
    if not document.preamble:
        return [ManualProblem(line, "error", N_("文档为空"))]
    return [ManualProblem(line, "error", N_("未找到章、条或编号结构"))]
