"""Moodle XML export, written so Moodle and `question_bank.formats.moodle_xml` both read it.

Carried: type, stem, options, key (including "no key"), explanation (generalfeedback), points
(defaultgrade), category (category questions), number (name; the position when there is none,
since Moodle needs a name) and tags. Text is written as plain_text so spacing and line breaks
survive. short_answer, essay and case become Moodle essays with the reference answer as
information for graders; a fill_blank with one blank is a shortanswer, with several a
multianswer (cloze) of SHORTANSWER codes. Difficulty and knowledge points are not carried.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, indent, tostring

from question_bank.formats._shared import (
    embed_blanks,
    moodle_category_path,
    printable,
    share_of_100,
)
from question_bank.formats.cloze import cloze_code
from question_bank.model import Question

_PLAIN = "plain_text"


def export_moodle_xml(questions: list[Question]) -> bytes:
    """A UTF-8 <quiz> document, with a category question wherever the category changes."""
    quiz = Element("quiz")
    category: str | None = None
    for position, question in enumerate(questions, 1):
        if question.category != category:
            category = question.category
            holder = SubElement(SubElement(quiz, "question", type="category"), "category")
            _text(holder, moodle_category_path(category))
        _question(quiz, question, position)
    indent(quiz)
    return tostring(quiz, encoding="utf-8", xml_declaration=True)


def _text(parent: Element, value: str) -> None:
    SubElement(parent, "text").text = printable(value)


def _formatted(parent: Element, tag: str, value: str, **attributes: str) -> Element:
    element = SubElement(parent, tag, {"format": _PLAIN, **attributes})
    _text(element, value)
    return element


def _question(quiz: Element, question: Question, position: int) -> None:
    kind, stem = _kind_and_stem(question)
    element = SubElement(quiz, "question", type=kind)
    _text(SubElement(element, "name"), question.number or str(position))
    _formatted(element, "questiontext", stem)
    _formatted(element, "generalfeedback", question.explanation or "")
    SubElement(element, "defaultgrade").text = repr(float(question.points))
    _WRITERS[kind](element, question)
    if question.tags:
        tags = SubElement(element, "tags")
        for tag in question.tags:
            _text(SubElement(tags, "tag"), tag)


def _kind_and_stem(question: Question) -> tuple[str, str]:
    """The Moodle type, and the question text (with cloze codes for several blanks)."""
    blanks = question.answer if isinstance(question.answer, list) else []
    if question.type in ("single", "multiple"):
        return "multichoice", question.stem
    if question.type == "true_false":
        return "truefalse", question.stem
    if question.type == "fill_blank" and len(blanks) > 1:
        # A fill_blank key holds one list of alternatives per blank.
        codes = [cloze_code(alternatives) for alternatives in blanks]  # type: ignore[arg-type]
        embedded = embed_blanks(question.stem, codes, lambda text: text)
        return "multianswer", f"{question.stem} {' '.join(codes)}" if embedded is None else embedded
    if question.type == "fill_blank":
        return "shortanswer", question.stem
    return "essay", question.stem


def _multichoice(element: Element, question: Question) -> None:
    """Single: the key 100, others 0. Multiple: the key shares 100, each wrong pick -100."""
    key = question.answer if isinstance(question.answer, list) else []
    single = question.type == "single"
    SubElement(element, "single").text = "true" if single else "false"
    SubElement(element, "shuffleanswers").text = "true"
    SubElement(element, "answernumbering").text = "ABCD"
    right = "100" if single else share_of_100(len(key))
    wrong = "0" if single else "-100"
    for option in question.options:
        fraction = right if option.label in key else wrong
        _formatted(element, "answer", option.text, fraction=fraction)


def _truefalse(element: Element, question: Question) -> None:
    for value in (True, False):
        fraction = "100" if question.answer is value else "0"
        _formatted(element, "answer", "true" if value else "false", fraction=fraction)


def _shortanswer(element: Element, question: Question) -> None:
    SubElement(element, "usecase").text = "0"
    blanks = question.answer if isinstance(question.answer, list) else []
    for alternative in blanks[0] if blanks else []:
        _formatted(element, "answer", alternative, fraction="100")


def _essay(element: Element, question: Question) -> None:
    SubElement(element, "responseformat").text = "editor"
    reference = question.answer if isinstance(question.answer, str) else ""
    _formatted(element, "graderinfo", reference)


def _multianswer(element: Element, question: Question) -> None:
    """The blanks live in the question text as cloze codes."""


_WRITERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "essay": _essay,
    "multianswer": _multianswer,
}
