"""Find where one regulation ends and the next begins in a file holding several.

A new regulation starts at a title: a line printed twice (`客户服务用户管理制度` ×2), a short
line or a glued prefix right before numbering that restarts (`客户管理制度第一章总则…`), or a
Markdown `# 标题`. Numbering that restarts at 第一章/第一条/一、 also starts a new regulation,
taking the title-looking lines just above it. A run of bare chapter headings followed by the
same chapters again is a table of contents and is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .cleaning import clean_title
from .markers import HEADING_KINDS, Kind, Token, tokenize_line
from .titles import CLAUSE_END, SENTENCE_PUNCT, ends_like_title, glued_title, is_title_line

_RESTART_KINDS = frozenset({Kind.PART, Kind.CHAPTER, Kind.ARTICLE, Kind.OUTLINE, Kind.SUBOUTLINE})
_TITLE_OPENERS = frozenset({Kind.PART, Kind.CHAPTER, Kind.ARTICLE, Kind.OUTLINE})
_FOLLOWING_LINES = 12


@dataclass
class Segment:
    """The tokens of one regulation (or of some other text between regulations)."""

    tokens: list[Token] = field(default_factory=list)
    title: str | None = None
    title_line: int | None = None
    counts: Counter[Kind] = field(default_factory=Counter)
    top: Token | None = None

    def add(self, token: Token) -> None:
        self.tokens.append(token)
        if token.structural:
            self.counts[token.kind] += 1
            if self.top is None or token.rank < self.top.rank:
                self.top = token

    def forget_headings(self) -> None:
        """Drop a table of contents: keep only the text before it."""
        kept = [token for token in self.tokens if not token.structural]
        self.tokens, self.counts, self.top = [], Counter(), None
        for token in kept:
            self.add(token)

    @property
    def start_line(self) -> int:
        lines = [token.line for token in self.tokens] + [self.title_line or 0]
        return min(line for line in lines if line) if any(lines) else 1


def tokenize_document(lines: list[str]) -> list[list[Token]]:
    """Tokens per cleaned line, with repeated and glued titles turned into TITLE tokens."""
    lines, title_rows = _mark_repeated_titles(lines)
    token_lines = [
        [Token(Kind.TITLE, row + 1, line)]
        if row in title_rows
        else tokenize_line(line, row + 1, _following(lines, row))
        for row, line in enumerate(lines)
    ]
    _promote_titles([tokens for tokens in token_lines if tokens])
    return token_lines


def split_segments(token_lines: list[list[Token]]) -> list[Segment]:
    """Group the tokens into one segment per regulation-or-other-text."""
    segments = [Segment()]
    for tokens in token_lines:
        for token in tokens:
            current = segments[-1]
            if token.kind is Kind.TITLE:
                if current.tokens or current.title:
                    segments.append(current := Segment())
                current.title, current.title_line = token.text, token.line
                continue
            if _restarts(current, token):
                if _is_table_of_contents(current):
                    current.forget_headings()
                else:
                    segments.append(current := _successor(current, token))
            elif _opens_foreign_outline(current, token):
                successor = _successor(current, token)
                if successor.title:
                    segments.append(current := successor)
            current.add(token)
    return [segment for segment in segments if segment.tokens or segment.title]


def _following(lines: list[str], row: int) -> list[str]:
    return [line for line in lines[row + 1 : row + 1 + _FOLLOWING_LINES] if line]


def _mark_repeated_titles(lines: list[str]) -> tuple[list[str], set[int]]:
    """Titles printed twice (`X`, `X`, `X第一章…`): keep the first as title, strip the copies."""
    lines = list(lines)
    title_rows: set[int] = set()
    rows = [row for row, line in enumerate(lines) if line]
    for position, row in enumerate(rows):
        text = lines[row]
        after = [other for other in rows[position + 1 : position + 3] if lines[other]]
        if not text or not after or not _could_be_title(text):
            continue
        if _strip_repeats(lines[after[0]], text) is None:
            continue
        title_rows.add(row)
        for other in after:
            stripped = _strip_repeats(lines[other], text)
            if stripped is not None:
                lines[other] = stripped
    return lines, title_rows


def _could_be_title(text: str) -> bool:
    return len(text) <= 60 and "。" not in text and text[-1] not in CLAUSE_END


def _strip_repeats(line: str, title: str) -> str | None:
    """`line` without leading copies of `title` (spacing ignored), or None if it has none."""
    copy = _spaced_pattern(title)
    stripped = line
    while match := copy.match(stripped):
        rest = stripped[match.end() :]
        if rest and rest[0] not in " .．:：" and not _starts_with_numbering(rest):
            break
        stripped = rest.lstrip(" .．:：")
    return None if stripped == line else stripped


def _spaced_pattern(title: str) -> re.Pattern[str]:
    """Match `title` or its collection-free form even when spaces were inserted or dropped."""
    variants = sorted({title, clean_title(title)}, key=len, reverse=True)
    spaced = ("\\s*".join(re.escape(ch) for ch in v if not ch.isspace()) for v in variants if v)
    return re.compile("|".join(f"(?:{pattern})" for pattern in spaced))


def _starts_with_numbering(text: str) -> bool:
    tokens = tokenize_line(text, 0)
    return bool(tokens) and tokens[0].structural


def _promote_titles(token_lines: list[list[Token]]) -> None:
    """Turn title lines in front of restarting numbering into TITLE tokens (in place)."""
    for index, tokens in enumerate(token_lines):
        first = tokens[0]
        if first.kind is not Kind.TEXT or not is_title_line(first.text):
            continue
        if len(tokens) > 1:
            if ends_like_title(first.text) and _opens_glued(tokens[1], first.text):
                tokens[0] = Token(Kind.TITLE, first.line, first.text)
            continue
        next_line = token_lines[index + 1] if index + 1 < len(token_lines) else []
        previous = token_lines[index - 1][-1] if index else None
        if next_line and _opens_document(next_line[0]) and not _awaits_body(previous):
            tokens[0] = Token(Kind.TITLE, first.line, first.text)


def _opens_document(token: Token) -> bool:
    return token.number == 1 and token.kind in _TITLE_OPENERS


def _opens_glued(token: Token, title: str) -> bool:
    """Glued titles may also open `（一）` or `1.` lists, if the title is not too short."""
    if _opens_document(token):
        return True
    return token.number == 1 and token.kind in (Kind.SUBOUTLINE, Kind.ITEM) and len(title) >= 4


def _awaits_body(token: Token | None) -> bool:
    """`第一章` alone on a line: the next short line is its title, not a document title."""
    return token is not None and token.structural and not token.text


def _restarts(segment: Segment, token: Token) -> bool:
    """Numbering that starts again at one (第一章 after 第三章, 第一条 in an article-only text),
    or a first 第一章/一、 above everything seen so far (一、 after a list of 1. 2. 3.)."""
    top = segment.top
    if top is None or token.number != 1 or token.kind not in _RESTART_KINDS:
        return False
    if token.kind is top.kind:
        return True
    return token.rank < top.rank and segment.counts[top.kind] >= 2


def _is_table_of_contents(segment: Segment) -> bool:
    """Only bare 第X章/第X节 lines so far (page numbers allowed), no articles, no text after."""
    structural = [token for token in segment.tokens if token.structural]
    if len(structural) < 2 or any(token.kind not in HEADING_KINDS for token in structural):
        return False
    first_heading = segment.tokens.index(structural[0])
    return all(token.structural for token in segment.tokens[first_heading:])


def _opens_foreign_outline(segment: Segment, token: Token) -> bool:
    """`一、` after a finished paragraph of an article text: usually another document glued on."""
    if token.kind is not Kind.OUTLINE or token.number != 1 or not token.line_start:
        return False
    if segment.top is None or segment.top.kind not in (Kind.PART, Kind.CHAPTER, Kind.ARTICLE):
        return False
    last = segment.tokens[-1] if segment.tokens else None
    return bool(last and last.kind is Kind.TEXT and last.text[-1] in SENTENCE_PUNCT)


def _successor(segment: Segment, token: Token) -> Segment:
    """A new segment, taking over the title-looking lines at the end of `segment`."""
    successor = Segment()
    run_start = len(segment.tokens)
    while run_start and segment.tokens[run_start - 1].kind is Kind.TEXT:
        run_start -= 1
    run = segment.tokens[run_start:] if token.line_start else []
    found = _title_in_run(run)
    if found is None:
        return successor
    index, title, rest = found
    del segment.tokens[run_start + index :]
    successor.title, successor.title_line = title, run[index].line
    for moved in ([rest] if rest else []) + run[index + 1 :]:
        successor.add(moved)
    return successor


def _title_in_run(run: list[Token]) -> tuple[int, str, Token | None] | None:
    """The last standalone title line of a text run, else the first title glued to prose."""
    for index in range(len(run) - 1, -1, -1):
        if is_title_line(run[index].text):
            return index, run[index].text, None
    for index, token in enumerate(run):
        title = glued_title(token.text)
        if title:
            rest = token.text[len(title) :].strip()
            return index, title, Token(Kind.TEXT, token.line, rest) if rest else None
    return None
