"""Find the numbering marks of regulations (第X章, 第X条, 一、, （一）, 1.) inside each line.

Scraped regulations glue everything together (`第一章总则第一条为规范…`), so a line is cut
at every mark that starts a new part; marks that are cross references (`依照本办法第十条规定`)
or ordinary numbers (`3.1`, `1.5倍`) are left in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from .numerals import parse_number
from .titles import ends_like_title


class Kind(Enum):
    """Token kinds; structural kinds are ordered from the top of the tree down."""

    TEXT = "text"
    TITLE = "title"
    HEADING = "heading"
    PART = "part"
    CHAPTER = "chapter"
    SECTION = "section"
    ARTICLE = "article"
    OUTLINE = "outline"
    SUBOUTLINE = "suboutline"
    POINT = "point"
    ITEM = "item"
    SUBITEM = "subitem"
    CIRCLED = "circled"


RANK = {
    Kind.PART: 0,
    Kind.CHAPTER: 1,
    Kind.SECTION: 2,
    Kind.ARTICLE: 3,
    Kind.OUTLINE: 4,
    Kind.SUBOUTLINE: 5,
    Kind.POINT: 6,
    Kind.ITEM: 7,
    Kind.SUBITEM: 8,
    Kind.CIRCLED: 9,
}
HEADING_KINDS = frozenset({Kind.PART, Kind.CHAPTER, Kind.SECTION})


@dataclass
class Token:
    """A piece of one line: plain text, a title, or a numbered part with its body text."""

    kind: Kind
    line: int
    text: str
    label: str = ""
    number: int | None = None
    depth: int = 0
    line_start: bool = True

    @property
    def rank(self) -> int:
        """Tree depth class; Markdown headings rank by their number of #."""
        if self.kind is Kind.HEADING:
            return RANK[Kind.CHAPTER] + self.depth - 2
        return RANK.get(self.kind, -1)

    @property
    def structural(self) -> bool:
        return self.kind not in (Kind.TEXT, Kind.TITLE)


_CN = "零〇一二两三四五六七八九十百千"
_MARKS = re.compile(
    # 第X编 / 第X章 / 第X节 / 第X条 / 第X条之一 (laws, rules, company regulations; Arabic 第8条 too)
    rf"(?P<h>第\s*(?P<h_num>[{_CN}0-9０-９]{{1,7}})\s*(?P<h_unit>[编章节条])"
    r"(?P<h_sub>之[一二三四五六七八九十]+)?)"
    # 一、 / 十二、 / 三． — top level of outline documents without 章
    r"|(?P<o>(?P<o_num>[一二三四五六七八九十百]{1,4})\s*[、．])"
    # （一） / (一) — second outline level, or the items of an article
    r"|(?P<s>[（(]\s*(?P<s_num>[一二三四五六七八九十百]{1,4})\s*[）)])"
    # 一是 / 二是 — enumerations in official prose
    r"|(?P<p>(?P<p_num>[一二三四五六七八九十])是(?=[\u4e00-\u9fff]))"
    # 1. / 1、 / 1． — numbered items (never 3.1 or 1.5倍)
    r"|(?P<i>(?P<i_num>[0-9０-９]{1,3})\s*[、.．](?![0-9０-９]))"
    # （1） / (1) — sub-items
    r"|(?P<si>[（(]\s*(?P<si_num>[0-9０-９]{1,3})\s*[）)])"
    # ① … ⑳ — circled items
    r"|(?P<c>[①-⑳])"
)
# A Markdown heading: "# 标题", "## 第一章 总则".
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*$")
# "1)" sub-items, only at the start of a line (elsewhere it is usually a closing bracket).
_PAREN_ITEM = re.compile(r"^(?P<num>[0-9]{1,3})[)）]\s*")

# Characters after which a new numbered part may begin in the middle of a line.
_BREAK = frozenset(" 。；;：:！!？?，,、)）】」』”\"'.．…—-")
# Words right before 第X条 that make it a cross reference: 依照本办法第十条, 第三条、第四条.
_REFERENCE_BEFORE = re.compile(
    r"(?:本法|本条例|本办法|本规定|本制度|本细则|本规则|本规范|本准则|本守则|本章|本节|本条|"
    r"依照|依据|根据|按照|参照|违反|适用|见|照|按|依|和|及|或|与|至|、|即|经|由|在|于|对|同|所)\s*$"
)
# Words right after 第X条 that make it a cross reference: 第十条规定的, 第三条第二款.
_REFERENCE_AFTER = re.compile(
    r"^\s*(?:规定|的规定|所|之外|以外|中|至|和|或|及|、|的|第[一二三四五六七八九十百0-9]+[款项])"
)
_HEADING_KINDS = {"编": Kind.PART, "章": Kind.CHAPTER, "节": Kind.SECTION, "条": Kind.ARTICLE}
_OPENING_KINDS = (Kind.OUTLINE, Kind.SUBOUTLINE)
_CIRCLED_BASE = ord("①") - 1
_LOOKAHEAD_LINES = 6


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    kind: Kind
    number: int
    label: str


def tokenize_line(text: str, line: int, following: Sequence[str] = ()) -> list[Token]:
    """Cut one cleaned line into tokens; `following` lines help confirm glued item lists."""
    if not text:
        return []
    heading = _MD_HEADING.match(text)
    if heading and text.startswith("#"):
        return _markdown_heading(len(heading.group(1)), heading.group(2), line)
    marks = _find_marks(text, following)
    if not marks:
        return [Token(Kind.TEXT, line, text)]
    tokens: list[Token] = []
    if text[: marks[0].start].strip():
        tokens.append(Token(Kind.TEXT, line, text[: marks[0].start].strip()))
    for mark, end in zip(marks, [m.start for m in marks[1:]] + [len(text)], strict=True):
        tokens.append(
            Token(
                mark.kind,
                line,
                text[mark.end : end].strip(),
                label=mark.label,
                number=mark.number,
                line_start=not tokens,
            )
        )
    return tokens


def _markdown_heading(depth: int, text: str, line: int) -> list[Token]:
    """`# x` is a document title; deeper headings are parts, numbered or not."""
    if depth == 1:
        return [Token(Kind.TITLE, line, text)] if text else []
    tokens = tokenize_line(text, line)
    if tokens and tokens[0].structural:
        return tokens
    return [Token(Kind.HEADING, line, text, depth=depth)]


def _find_marks(text: str, following: Sequence[str]) -> list[_Mark]:
    paren_item = _PAREN_ITEM.match(text)
    marks = []
    if paren_item:
        number = int(paren_item.group("num"))
        marks.append(_Mark(0, paren_item.end(), Kind.SUBITEM, number, f"（{number}）"))
    for match in _MARKS.finditer(text, paren_item.end() if paren_item else 0):
        mark = _to_mark(match)
        if mark and _starts_part(mark, text, following):
            marks.append(mark)
    return marks


def _to_mark(match: re.Match[str]) -> _Mark | None:
    """Turn a regex match into a mark with its kind, value and normalised label."""
    group = match.lastgroup
    start, end = match.span()
    if match.group("h"):
        number = parse_number(match.group("h_num"))
        unit = match.group("h_unit")
        numeral = "".join(match.group("h_num").split())
        label = f"第{numeral}{unit}{match.group('h_sub') or ''}"
        return _Mark(start, end, _HEADING_KINDS[unit], number, label) if number else None
    if match.group("c"):
        number = ord(match.group("c")) - _CIRCLED_BASE
        return _Mark(start, end, Kind.CIRCLED, number, match.group("c"))
    kind, numeral = {
        "o": (Kind.OUTLINE, "o_num"),
        "s": (Kind.SUBOUTLINE, "s_num"),
        "p": (Kind.POINT, "p_num"),
        "i": (Kind.ITEM, "i_num"),
        "si": (Kind.SUBITEM, "si_num"),
    }[group or ""]
    number = parse_number(match.group(numeral))
    if not number:
        return None
    return _Mark(start, end, kind, number, _label(kind, match.group(numeral), match.group()))


def _label(kind: Kind, numeral: str, matched: str) -> str:
    """Labels as printed, with brackets made full-width and spaces removed: （一）, 1., 一、."""
    numeral = numeral.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if kind in (Kind.SUBOUTLINE, Kind.SUBITEM):
        return f"（{numeral}）"
    if kind is Kind.POINT:
        return f"{numeral}是"
    return numeral + ("、" if matched.rstrip().endswith("、") else ".")


def _starts_part(mark: _Mark, text: str, following: Sequence[str]) -> bool:
    """Whether the mark opens a new part here rather than being part of a sentence."""
    before = text[: mark.start]
    after_break = not before or before[-1] in _BREAK
    if mark.kind in _HEADING_KINDS.values():
        return not (_REFERENCE_BEFORE.search(before) or _REFERENCE_AFTER.match(text[mark.end :]))
    if mark.kind in _OPENING_KINDS and mark.number == 1 and ends_like_title(before):
        return True  # 优质客户服务管理制度一、制度目的…: a title glued to its first section
    if mark.kind is Kind.OUTLINE:
        return (not before or before[-1] in _BREAK - {"、"}) and not before.endswith("第")
    if mark.kind is Kind.POINT:
        return not before or before[-1] in "。；;：:，,"
    if mark.kind is Kind.ITEM and not after_break:
        return (
            mark.number == 1
            and not before[-1].isdigit()
            and _second_item_follows(mark, text, following)
        )
    return after_break


def _second_item_follows(mark: _Mark, text: str, following: Sequence[str]) -> bool:
    """A `1.` glued to text (`管理责任1. 公司…`) is an item only if a `2.` follows soon."""
    second = re.compile(r"(?:^|[\s。；;：:，,)）])2\s*[、.．](?![0-9])")
    if second.search(text, mark.end):
        return True
    return any(re.match(r"2\s*[、.．](?![0-9])", line) for line in following[:_LOOKAHEAD_LINES])
