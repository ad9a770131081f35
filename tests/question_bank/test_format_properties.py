"""Properties: parsers never raise on any input, and export then import keeps a question."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from question_bank.export.gift import export_gift
from question_bank.export.moodle_xml import export_moodle_xml
from question_bank.export.xlsx import export_xlsx
from question_bank.formats import get_parser, gift, moodle_xml, spreadsheet
from question_bank.model import ImportResult, Option, Question
from question_bank.types import option_label

OURS = ["gift", "aiken", "moodle-xml", "xlsx", "csv"]
FAST = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])

# Question text with every character the formats treat specially, except those whose limits
# the exporters document: '%' (GIFT weights), '_' and brackets (blank markers), '|' and ';'
# (the spreadsheet's fill-blank notation) and the list separators of tags.
ALPHABET = "客户服务投诉退货热线话术ab Z9.?!~=#{}:\\/<>&\"'-+*@$"
SYNTAX = "{}=~#:\\/%->\n[]()_<>&;|ABCDE. ANSWER:$CATEGORY::TRUE</quiz>客户"


def clean(text: str) -> bool:
    return bool(text.strip()) and text == text.strip() and "->" not in text


line_text = st.text(alphabet=ALPHABET, min_size=1, max_size=20).filter(clean)
block_text = st.lists(line_text, min_size=1, max_size=3).map("\n".join)
maybe = st.none() | block_text
category = st.none() | st.lists(st.sampled_from(["售后", "退换货", "话术", "投诉"]), min_size=1,
                                max_size=3).map("/".join)  # fmt: skip
points = st.sampled_from([0.5, 1.0, 2.0, 3.0, 10.0])


@st.composite
def choice(draw, kind: str) -> Question:
    texts = draw(st.lists(line_text, min_size=2, max_size=6))
    options = [Option(option_label(i), text) for i, text in enumerate(texts)]
    labels = [o.label for o in options]
    if kind == "single":
        answer = [draw(st.sampled_from(labels))]
    else:
        answer = sorted(draw(st.sets(st.sampled_from(labels), min_size=1)))
    return Question(type=kind, stem=draw(block_text), options=options, answer=answer)


@st.composite
def fill_blank(draw) -> Question:
    blanks = draw(st.integers(1, 3))
    answer = draw(st.lists(st.lists(line_text, min_size=1, max_size=3), min_size=blanks,
                           max_size=blanks))  # fmt: skip
    pieces = draw(st.lists(st.just("") | line_text, min_size=blanks + 1, max_size=blanks + 1))
    stem = " ____ ".join(pieces).strip()
    if blanks == 1 and draw(st.booleans()):
        stem = draw(block_text)  # a single blank need not be marked
    return Question(type="fill_blank", stem=stem, answer=answer)


objective = (
    choice("single")
    | choice("multiple")
    | fill_blank()
    | st.builds(Question, type=st.just("true_false"), stem=block_text, answer=st.booleans())
)
subjective = st.builds(
    Question, type=st.sampled_from(["short_answer", "essay", "case"]), stem=block_text, answer=maybe
)


@st.composite
def with_common_fields(draw, questions) -> Question:
    question = draw(questions)
    question.explanation = draw(maybe)
    question.category = draw(category)
    question.points = draw(points)
    return question


def same(question: Question, back: Question, *names: str) -> None:
    for name in ("type", "stem", "answer", "explanation", "category", *names):
        assert getattr(back, name) == getattr(question, name), name
    assert [(o.label, o.text) for o in back.options] == [
        (o.label, o.text) for o in question.options
    ]


def only(result: ImportResult, count: int) -> list[Question]:
    assert not result.has_errors, result.to_json()
    assert len(result.questions) == count
    return result.questions


@FAST
@given(st.lists(with_common_fields(objective | subjective), min_size=1, max_size=4))
def test_xlsx_round_trip(questions):
    back = only(spreadsheet.parse_xlsx(export_xlsx(questions)), len(questions))
    for question, reimported in zip(questions, back, strict=True):
        same(question, reimported, "points")


@FAST
@given(st.lists(with_common_fields(objective), min_size=1, max_size=4))
def test_gift_round_trip(questions):
    back = only(gift.parse(export_gift(questions).encode()), len(questions))
    for question, reimported in zip(questions, back, strict=True):
        same(question, reimported)


@FAST
@given(st.lists(with_common_fields(objective), min_size=1, max_size=4))
def test_moodle_xml_round_trip(questions):
    back = only(moodle_xml.parse(export_moodle_xml(questions)), len(questions))
    for question, reimported in zip(questions, back, strict=True):
        same(question, reimported, "points")


def never_raises(data: bytes) -> None:
    for name in OURS:
        assert isinstance(get_parser(name)(data, None), ImportResult)


@FAST
@given(st.binary(max_size=3000))
def test_parsers_never_raise_on_arbitrary_bytes(data):
    never_raises(data)


@FAST
@given(st.text(alphabet=SYNTAX, max_size=400))
def test_parsers_never_raise_on_syntax_soup(text):
    never_raises(text.encode("utf-8"))
    never_raises(text.encode("gb18030"))


SAMPLES = [
    Question(type="single", stem="甲", options=[Option("A", "x"), Option("B", "y")], answer=["A"]),
    Question(type="fill_blank", stem="乙 ____ 丙 ____", answer=[["a", "b"], ["c"]]),
    Question(type="essay", stem="丁", answer="参考", category="售后"),
]
EXPORTS = [
    export_xlsx(SAMPLES),
    export_moodle_xml(SAMPLES),
    export_gift(SAMPLES).encode(),
]


@FAST
@given(
    st.sampled_from(EXPORTS),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8),
    st.floats(0.1, 1),
)
def test_parsers_never_raise_on_mangled_exports(data, edits, keep):
    mangled = bytearray(data[: max(1, int(len(data) * keep))])
    for where, value in edits:
        mangled[min(int(where * len(mangled)), len(mangled) - 1)] = value
    never_raises(bytes(mangled))


def test_mangling_really_breaks_files():
    """Guard the property above: flipped bytes must reach the parsers' error paths."""
    rng = random.Random(7)
    data = bytearray(EXPORTS[0])
    for _ in range(40):
        data[rng.randrange(len(data))] = rng.randrange(256)
    assert spreadsheet.parse_xlsx(bytes(data)).has_errors
