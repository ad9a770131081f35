"""The same paper as UTF-8, UTF-8 with BOM, GBK, GB18030, CRLF text and as a Word document."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.document import Document as DocumentObject

from question_bank.formats import detect_format, parse
from question_bank.formats import docx as docx_format
from question_bank.model import ImportResult

PAPER = """一、单项选择题（每小题2分）
1．客户投诉时首先应该（ ）。
A．解释公司政策  B．倾听并确认问题  C．立即转给主管  D．挂断电话
答案：B
二、判断题
2．服务人员可以与客户争辩。（ ）
答案：×
三、填空题
3．客户服务的核心是____。
答案：客户满意
"""

EXPECTED = [
    ("1", "single", ["B"], 2.0, 2),
    ("2", "true_false", False, 1.0, 6),
    ("3", "fill_blank", [["客户满意"]], 1.0, 9),
]


def summary(result: ImportResult) -> list[tuple[object, ...]]:
    return [(q.number, q.type, q.answer, q.points, q.source.line) for q in result.questions]


@pytest.mark.parametrize(
    "data",
    [
        PAPER.encode("utf-8"),
        b"\xef\xbb\xbf" + PAPER.encode("utf-8"),
        PAPER.encode("gbk"),
        PAPER.encode("gb18030"),
        PAPER.replace("\n", "\r\n").encode("gbk"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030", "gbk-crlf"],
)
def test_text_encodings(data: bytes) -> None:
    result = parse(data, "paper.txt")
    assert result.format == "cn-text"
    assert summary(result) == EXPECTED
    assert result.questions[0].stem == "客户投诉时首先应该（ ）。"
    assert not result.problems


def test_gb18030_only_characters_survive() -> None:
    text = "1.𠮷野家的客户服务属于（ ）\nA.甲 B.乙\n答案：A"
    result = parse(text.encode("gb18030"), "paper.txt")
    assert result.questions[0].stem.startswith("𠮷野家")


def build_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = Document()
    for text in paragraphs:
        if text == "<table>" and table:
            add_table(document, table)
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_table(document: DocumentObject, rows: list[list[str]]) -> None:
    grid = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text


def test_docx_paragraphs_give_the_same_questions_with_paragraph_line_numbers() -> None:
    data = build_docx(PAPER.strip("\n").split("\n"))
    assert detect_format(data, None) == "docx"
    result = parse(data, "paper.docx")
    assert result.format == "docx"
    assert summary(result) == EXPECTED


def test_docx_options_and_answer_key_in_tables() -> None:
    data = build_docx(
        [
            "一、单选题",
            "1.客户投诉时首先应该（ ）",
            "<table>",
            "2.服务的核心是（ ）",
            "A.价格 B.质量 C.客户满意 D.广告",
            "参考答案",
            "1.B 2.C",
        ],
        table=[["A.解释", "B.倾听"], ["C.转交", "D.挂断"]],
    )
    result = parse(data, "paper.docx")
    first, second = result.questions
    assert [o.text for o in first.options] == ["解释", "倾听", "转交", "挂断"]
    assert (first.answer, second.answer, second.source.line) == (["B"], ["C"], 5)


def test_docx_word_numbering_and_underlined_blanks() -> None:
    document = Document()
    document.add_paragraph("一、填空题")
    for stem in ("客户服务的核心是", "处理投诉的第一步是"):
        paragraph = document.add_paragraph(stem, style="List Number")
        paragraph.add_run("        ").underline = True
        paragraph.add_run("。")
    buffer = io.BytesIO()
    document.save(buffer)
    result = docx_format.parse(buffer.getvalue(), "paper.docx")
    assert [(q.number, q.stem, q.type) for q in result.questions] == [
        ("1", "客户服务的核心是____。", "fill_blank"),
        ("2", "处理投诉的第一步是____。", "fill_blank"),
    ]


@pytest.mark.parametrize("cut", [0, 30, 200, 1000, -500])
def test_broken_docx_is_one_error_not_an_exception(cut: int) -> None:
    whole = build_docx(PAPER.strip("\n").split("\n"))
    result = docx_format.parse(b"PK\x03\x04 not a zip" if cut == 0 else whole[:cut], "a.docx")
    assert result.questions == []
    assert [p.severity for p in result.problems] == ["error"]
