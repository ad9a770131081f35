"""Moodle XML, the format Moodle exports question banks in.

Read with defusedxml's SAX parser, so a DTD that declares entities (billion laughs) or points at
external files becomes an error problem instead of being expanded or fetched. SAX also gives
the line of every `<question>` element, which each problem points at.

Supported: multichoice (`<single>` true -> single, false -> multiple; answers with a positive
fraction form the key), truefalse, shortanswer (-> fill_blank with one blank; answers with
fraction 100 are the alternatives), essay (graderinfo -> reference answer), multianswer made of
short-answer cloze codes only (-> fill_blank with several blanks), and category questions
(`$course$/top/` stripped). generalfeedback -> explanation, defaultgrade -> points, name ->
number, tags -> tags. Text in HTML format becomes plain text. description questions are
skipped with a warning; matching, numerical, calculated, cloze with choice blanks, drag and
drop and every other type are reported by name and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from xml.etree.ElementTree import Element, TreeBuilder
from xml.sax import SAXException, SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

import defusedxml.sax
from defusedxml import DefusedXmlException

from question_bank.formats._shared import (
    Rejected,
    clean_category,
    collect,
    finish,
    html_to_text,
    partial_credit_warning,
)
from question_bank.formats.cloze import UnsupportedCloze, read_cloze
from question_bank.model import ImportResult, Option, Problem, Question
from question_bank.texts import N_
from question_bank.types import OPTION_LABELS, option_label

_DECLARED_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*(["'])([A-Za-z0-9._-]+)\1""")
_HTML_FORMATS = frozenset({"html", "moodle_auto_format"})
_NO_KEY = N_("答案: 没有标记正确答案")


class _Builder(ContentHandler):
    """Builds an ElementTree from SAX events, remembering the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.builder = TreeBuilder()
        self.lines: dict[Element, int | None] = {}
        self.locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        self.lines[self.builder.start(name, dict(attrs))] = self.line()

    def endElement(self, name: str) -> None:
        self.builder.end(name)

    def characters(self, content: str) -> None:
        self.builder.data(content)

    def line(self) -> int | None:
        return self.locator.getLineNumber() if self.locator is not None else None


def _as_utf8(data: bytes) -> bytes:
    """Expat reads no multi-byte encoding but UTF-8/16, so transcode a GBK/GB18030 file first."""
    declared = _DECLARED_ENCODING.match(data)
    if not declared or declared.group(2).lower() in (b"utf-8", b"utf8"):
        return data
    try:
        text = data.decode(declared.group(2).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return data
    start, end = declared.span(2)
    return data[:start] + b"UTF-8" + text[end:].encode("utf-8")


def _read_tree(data: bytes) -> tuple[Element, dict[Element, int | None]]:
    """The document's root and element lines; Rejected with a line when unreadable."""
    handler = _Builder()
    try:
        defusedxml.sax.parseString(_as_utf8(data), handler)
    except DefusedXmlException as error:
        message = N_("XML 声明了实体或外部引用, 出于安全原因拒绝")
        raise Rejected(message, line=handler.line()) from error
    except SAXParseException as error:
        message = N_("XML 格式错误: %(detail)s", detail=error.getMessage())
        raise Rejected(message, line=error.getLineNumber()) from error
    except LookupError as error:
        raise Rejected(N_("XML 声明的编码无法识别: %(detail)s", detail=error), line=1) from error
    except (SAXException, ValueError) as error:
        raise Rejected(N_("XML 无法读取: %(detail)s", detail=error), line=1) from error
    return handler.builder.close(), handler.lines


def parse(data: bytes, filename: str | None = None) -> ImportResult:
    """Parse a Moodle XML file; every question either comes out or is reported with its line."""
    result = ImportResult(format="moodle-xml")
    try:
        root, lines = _read_tree(data)
    except Rejected as rejected:
        result.problems.append(Problem(rejected.line, "error", str(rejected)))
        return result
    if root.tag != "quiz":
        result.problems.append(Problem(1, "error", N_("根元素应为 <quiz>, 实际为 <%(tag)s>", tag=root.tag)))
        return result
    category: str | None = None
    for element in root.iter("question"):
        line = lines.get(element)
        if element.get("type") == "category":
            category = clean_category(_text(element, "category"))
            continue
        collect(
            result,
            partial(_read_question, element),
            line=line,
            filename=filename,
            category=category,
        )
    return finish(result)


def _text(element: Element, path: str) -> str:
    """The <text> inside `path`, as plain text whatever its format attribute says."""
    holder = element.find(path)
    if holder is None:
        return ""
    text = holder.findtext("text") or ""
    return html_to_text(text) if holder.get("format") in _HTML_FORMATS else text.strip()


def _fraction(answer: Element) -> float:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return 0.0


def _read_question(element: Element) -> tuple[Question, list[str]]:
    """The fields every type shares, then the type's own reader."""
    kind = element.get("type") or "?"
    if kind == "description":
        raise Rejected(N_("说明文字不是题目, 已跳过"), "warning")
    if kind not in _READERS:
        raise Rejected(N_("不支持的题型: %(kind)s", kind=kind))
    warnings: list[str] = []
    question = Question(
        type=kind,
        stem=_text(element, "questiontext"),
        explanation=_text(element, "generalfeedback") or None,
        points=_points(element, warnings),
        number=_text(element, "name") or None,
        tags=[tag for tag in (_text(t, ".") for t in element.iterfind("tags/tag")) if tag],
    )
    warnings.extend(_READERS[kind](element, question))
    return question, warnings


def _points(element: Element, warnings: list[str]) -> float:
    grade = (element.findtext("defaultgrade") or "").strip()
    if not grade:
        return 1.0
    try:
        return float(grade)
    except ValueError:
        warnings.append(N_("分值: 无法识别 defaultgrade '%(grade)s', 按 1 分", grade=grade))
        return 1.0


def _multichoice(element: Element, question: Question) -> list[str]:
    """<single>true</single> is single choice (fraction 100 marks the key), else multiple."""
    answers = element.findall("answer")
    if len(answers) > len(OPTION_LABELS):
        raise Rejected(N_("选项过多: %(count)s 个, 最多 %(most)s 个", count=len(answers), most=len(OPTION_LABELS)))
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    question.type = "single" if single else "multiple"
    question.options = [Option(option_label(i), _text(a, ".")) for i, a in enumerate(answers)]
    question.answer = [
        option.label
        for option, answer in zip(question.options, answers, strict=True)
        if (_fraction(answer) >= 100 if single else _fraction(answer) > 0)
    ] or None
    return [] if question.answer else [_NO_KEY]


def _truefalse(element: Element, question: Question) -> list[str]:
    question.type = "true_false"
    keys = [_text(a, ".").lower() for a in element.findall("answer") if _fraction(a) >= 100]
    question.answer = keys[0] in ("true", "1", "yes") if keys else None
    return [] if keys else [_NO_KEY]


def _shortanswer(element: Element, question: Question) -> list[str]:
    """One blank: answers with fraction 100 are its alternatives."""
    question.type = "fill_blank"
    answers = [(a, _text(a, ".")) for a in element.findall("answer")]
    accepted = [text for answer, text in answers if text and _fraction(answer) >= 100]
    question.answer = [accepted] if accepted else None
    dropped = sum(1 for _, text in answers if text) - len(accepted)
    return partial_credit_warning(dropped) + ([] if accepted else [_NO_KEY])


def _essay(element: Element, question: Question) -> list[str]:
    """The information for graders is the reference answer."""
    question.type = "essay"
    question.answer = _text(element, "graderinfo") or None
    return []


def _multianswer(element: Element, question: Question) -> list[str]:
    """Cloze made only of short-answer codes: one blank per code."""
    try:
        cloze = read_cloze(question.stem)
    except UnsupportedCloze as error:
        raise Rejected(str(error)) from error
    if not cloze.blanks:
        raise Rejected(N_("完形填空中没有可识别的空"))
    question.type = "fill_blank"
    question.stem = cloze.stem
    question.answer = cloze.blanks
    return partial_credit_warning(cloze.dropped)


_READERS: dict[str, Callable[[Element, Question], list[str]]] = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "essay": _essay,
    "multianswer": _multianswer,
}
