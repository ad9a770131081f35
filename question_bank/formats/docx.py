"""Word (.docx) papers: paragraphs and tables as text lines, then the cn-text parser.

One paragraph is one line, so a problem's line number is the paragraph's number in the
document (tables count one line per row). Word's automatic numbering is not in the paragraph
text, so question numbers ('1.') and option letters ('A.') that Word draws are rebuilt from
numbering.xml; underlined blanks (spaces with an underline) become '____'.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import _Element

from question_bank.formats.cn_text import parse_lines
from question_bank.model import ImportResult, Problem
from question_bank.texts import N_

FORMAT = "docx"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CHINESE = "一二三四五六七八九十"


def parse(data: bytes, filename: str | None = None) -> ImportResult:
    """Parse a .docx paper; a file Word cannot open is one error, not an exception."""
    try:
        lines = document_lines(Document(io.BytesIO(data)))
    except Exception:  # a damaged file fails in zip, XML or docx code alike
        message = N_("无法读取 Word 文件, .doc 请用 Word 另存为 .docx")
        return ImportResult(FORMAT, problems=[Problem(None, "error", message)])
    return parse_lines(lines, filename, FORMAT)


def document_lines(document: DocumentObject) -> list[str]:
    """The document body as lines: paragraphs, then table rows, in reading order."""
    numbering = _Numbering(document)
    lines: list[str] = []
    for block in _blocks(document, document.element.body):
        if isinstance(block, Paragraph):
            lines.append(numbering.label(block) + _paragraph_text(block))
        else:
            lines.extend(_table_lines(block, numbering))
    return lines


def _blocks(document: DocumentObject, parent: _Element) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables in order, looking inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(document, content)


def _paragraph_text(paragraph: Paragraph) -> str:
    """The paragraph's text; underlined runs of spaces are the blanks of a fill-in question."""
    pieces = []
    for item in paragraph.iter_inner_content():
        text = item.text
        underlined = getattr(item, "underline", None)
        pieces.append("____" if underlined and text and not text.strip() else text)
    return "".join(pieces).replace("\n", " ")


def _table_lines(table: Table, numbering: _Numbering) -> Iterator[str]:
    """One line per row, cells separated by tabs; a cell of several paragraphs keeps them."""
    for row in table.rows:
        cells = list(dict.fromkeys(cell._tc for cell in row.cells))
        texts = [
            [numbering.label(p) + _paragraph_text(p) for p in _cell_paragraphs(tc, table)]
            for tc in cells
        ]
        if all(len(paragraphs) <= 1 for paragraphs in texts):
            yield "\t".join(paragraphs[0] if paragraphs else "" for paragraphs in texts)
        else:
            yield from (text for paragraphs in texts for text in paragraphs)


def _cell_paragraphs(tc: _Element, table: Table) -> list[Paragraph]:
    return [Paragraph(p, table) for p in tc.iter(qn("w:p"))]


class _Numbering:
    """Word's list numbering: the label ('1.', 'A、', '（一）') each numbered paragraph shows.

    Lists sharing an abstract definition continue one count, except a list that restarts
    (w:startOverride), as Word does for the options of each new question.
    """

    def __init__(self, document: DocumentObject) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.counter_of: dict[str, str] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstracts = {a.get(qn("w:abstractNumId")): a for a in root.iterfind(qn("w:abstractNum"))}
        for num in root.iterfind(qn("w:num")):
            self._add(num, abstracts)

    def _add(self, num: _Element, abstracts: dict[str, _Element]) -> None:
        num_id, target = num.get(qn("w:numId")), num.find(qn("w:abstractNumId"))
        abstract = abstracts.get(target.get(qn("w:val")) if target is not None else "")
        if abstract is None:
            return
        levels = _levels(abstract)
        overrides = _start_overrides(num)
        for level, start in overrides.items():
            if level in levels:
                levels[level] = (*levels[level][:2], start)
        self.levels[num_id] = levels
        self.counter_of[num_id] = num_id if overrides else abstract.get(qn("w:abstractNumId"))

    def label(self, paragraph: Paragraph) -> str:
        """The label Word draws before `paragraph`, counting as Word does ('' if none)."""
        num_id, level = _numbering_of(paragraph)
        levels = self.levels.get(num_id or "")
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(self.counter_of[num_id or ""], [0] * 9)
        counters[level] += 1
        counters[level + 1 :] = [0] * (8 - level)
        return _render(levels, counters, level)


def _start_overrides(num: _Element) -> dict[int, int]:
    overrides = {}
    for override in num.iterfind(qn("w:lvlOverride")):
        start = override.find(qn("w:startOverride"))
        if start is not None:
            overrides[int(override.get(qn("w:ilvl")))] = int(start.get(qn("w:val")))
    return overrides


def _numbering_of(paragraph: Paragraph) -> tuple[str | None, int]:
    """numId and level from the paragraph, else from its style."""
    for owner in (paragraph._p.pPr, _style_ppr(paragraph)):
        num_pr = owner.find(qn("w:numPr")) if owner is not None else None
        if num_pr is None:
            continue
        num_id = num_pr.find(qn("w:numId"))
        level = num_pr.find(qn("w:ilvl"))
        value = num_id.get(qn("w:val")) if num_id is not None else None
        if value and value != "0":
            return value, int(level.get(qn("w:val"))) if level is not None else 0
    return None, 0


def _style_ppr(paragraph: Paragraph) -> _Element | None:
    style = paragraph.style
    return style.element.pPr if style is not None else None


def _levels(abstract: _Element) -> dict[int, tuple[str, str, int]]:
    levels = {}
    for lvl in abstract.iterfind(qn("w:lvl")):
        fmt, text, start = (lvl.find(qn(f"w:{tag}")) for tag in ("numFmt", "lvlText", "start"))
        levels[int(lvl.get(qn("w:ilvl")))] = (
            fmt.get(qn("w:val")) if fmt is not None else "decimal",
            text.get(qn("w:val")) if text is not None else "",
            int(start.get(qn("w:val"))) if start is not None else 1,
        )
    return levels


def _render(levels: dict[int, tuple[str, str, int]], counters: list[int], level: int) -> str:
    fmt, text, _ = levels[level]
    if fmt in ("bullet", "none"):
        return ""
    for depth in range(level + 1):
        depth_fmt, _, start = levels.get(depth, ("decimal", "", 1))
        value = counters[depth] + start - 1
        text = text.replace(f"%{depth + 1}", _format(depth_fmt, value))
    return text + " "


def _format(fmt: str, value: int) -> str:
    """A counter in one of Word's number formats (decimal if unknown)."""
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (value - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and value <= 20:
        return _CIRCLED[value - 1]
    if fmt.startswith(("chinese", "ideograph", "japanese")) and value <= 10:
        return _CHINESE[value - 1]
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _roman(value: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for amount, numeral in numerals:
        count, value = divmod(value, amount)
        out += numeral * count
    return out
