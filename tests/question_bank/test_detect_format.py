"""Format detection by extension and by content."""

from __future__ import annotations

import io
import zipfile

import pytest

from question_bank.export.gift import export_gift
from question_bank.export.moodle_xml import export_moodle_xml
from question_bank.export.xlsx import export_xlsx
from question_bank.formats import detect_format, parse
from question_bank.model import Question

QUESTIONS = [Question(type="true_false", stem="退货需要小票", answer=True)]


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("题库.docx", "docx"),
        ("bank.XML", "moodle-xml"),
        ("bank.xlsx", "xlsx"),
        ("bank.xlsm", "xlsx"),
        ("bank.csv", "csv"),
        ("bank.gift", "gift"),
        ("bank.aiken", "aiken"),
    ],
)
def test_extension_decides(filename, expected):
    assert detect_format(b"anything", filename) == expected


def test_zip_content_tells_xlsx_from_docx():
    assert detect_format(export_xlsx(QUESTIONS)) == "xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert detect_format(buffer.getvalue()) == "docx"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (export_moodle_xml(QUESTIONS), "moodle-xml"),
        (b"  \n<quiz></quiz>", "moodle-xml"),
        ("甲?\nA. 1\nB. 2\nANSWER: B\n".encode(), "aiken"),
        (export_gift(QUESTIONS).encode(), "gift"),
        ("甲 {=a ~b}\n\n乙 {T}".encode(), "gift"),
        ("一、单选题\n1. 客户投诉时首先应该（ ）\nA. 倾听 B. 解释\n答案: A".encode(), "cn-text"),
    ],
)
def test_text_content_decides_without_a_filename(content, expected):
    assert detect_format(content) == expected


def test_parse_dispatches_to_the_detected_format():
    result = parse(export_moodle_xml(QUESTIONS), "export.xml")
    assert (result.format, [q.stem for q in result.questions]) == ("moodle-xml", ["退货需要小票"])


def test_unknown_format_is_a_problem_not_an_exception():
    result = parse(b"x", format="qti")
    assert [(p.severity, "qti" in p.message) for p in result.problems] == [("error", True)]
