"""The Moodle XML importer, including hostile documents."""

from __future__ import annotations

from question_bank.formats.moodle_xml import parse


def quiz(*questions: str) -> bytes:
    body = "\n".join(questions)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>\n'.encode()


def text(tag: str, value: str, format_: str = "html") -> str:
    return f'<{tag} format="{format_}"><text><![CDATA[{value}]]></text></{tag}>'


def answer(fraction: str, value: str) -> str:
    return f'<answer fraction="{fraction}" format="html"><text>{value}</text></answer>'


MULTICHOICE = f"""<question type="multichoice">
  <name><text>Q1</text></name>
  {text("questiontext", "<p>客户投诉<script>alert(1)</script>首先&amp;应该?</p><p>第二段</p>")}
  {text("generalfeedback", "<p>先倾听</p>")}
  <defaultgrade>2.0000000</defaultgrade>
  <single>true</single>
  {answer("100", "倾听")}
  {answer("0", "挂断")}
  <tags><tag><text>投诉</text></tag></tags>
</question>"""


def test_multichoice_single_with_html_feedback_grade_name_and_tags():
    result = parse(quiz(MULTICHOICE), "bank.xml")
    assert result.problems == []
    question = result.questions[0]
    assert question.type == "single"
    assert question.stem == "客户投诉首先&应该?\n第二段"
    assert [(o.label, o.text) for o in question.options] == [("A", "倾听"), ("B", "挂断")]
    assert question.answer == ["A"]
    assert (question.explanation, question.points, question.number) == ("先倾听", 2.0, "Q1")
    assert question.tags == ["投诉"]
    assert (question.source.file, question.source.line) == ("bank.xml", 3)


def test_multichoice_multiple_uses_positive_fractions():
    xml = f"""<question type="multichoice">{text("questiontext", "哪些?")}<single>false</single>
      {answer("50", "您好")}{answer("-100", "喂")}{answer("50", "请")}</question>"""
    question = parse(quiz(xml)).questions[0]
    assert (question.type, question.answer) == ("multiple", ["A", "C"])


def test_truefalse_shortanswer_and_essay():
    xml = quiz(
        f"""<question type="truefalse">{text("questiontext", "退货要小票")}
          {answer("0", "true")}{answer("100", "false")}</question>""",
        f"""<question type="shortanswer">{text("questiontext", "热线是 ____")}
          {answer("100", "400")}{answer("100", "四零零")}{answer("50", "800")}</question>""",
        f"""<question type="essay">{text("questiontext", "论述服务")}
          {text("graderinfo", "<p>态度与能力</p>")}</question>""",
    )
    result = parse(xml)
    assert [(q.type, q.answer) for q in result.questions] == [
        ("true_false", False),
        ("fill_blank", [["400", "四零零"]]),
        ("essay", "态度与能力"),
    ]
    assert [(p.severity, "部分得分" in p.message) for p in result.problems] == [("warning", True)]


def test_plain_text_format_keeps_spacing():
    xml = f"""<question type="essay">{text("questiontext", "a  <b>  c", "plain_text")}</question>"""
    assert parse(quiz(xml)).questions[0].stem == "a  <b>  c"


def test_category_questions_set_the_category_of_following_questions():
    category = (
        '<question type="category"><category><text>$course$/top/售后/退换货</text></category>'
        "</question>"
    )
    result = parse(quiz(MULTICHOICE, category, MULTICHOICE))
    assert [q.category for q in result.questions] == [None, "售后/退换货"]


def test_cloze_of_short_answers_becomes_fill_blank():
    stem = r"等级 {1:SHORTANSWER:=金卡~=金#好~%50%黄金} 和 {1:SA:=银\}卡}"
    result = parse(quiz(f'<question type="multianswer">{text("questiontext", stem)}</question>'))
    question = result.questions[0]
    assert (question.type, question.stem, question.answer) == (
        "fill_blank",
        "等级 ____ 和 ____",
        [["金卡", "金"], ["银}卡"]],
    )


def test_unsupported_and_skipped_types_are_reported_with_the_question_line():
    xml = quiz(
        '<question type="matching"><name><text>M</text></name></question>',
        MULTICHOICE,
        '<question type="numerical"></question>',
        f'<question type="multianswer">{text("questiontext", "{1:MULTICHOICE:=甲~乙}")}</question>',
        '<question type="description"></question>',
        "<question></question>",
    )
    result = parse(xml)
    assert len(result.questions) == 1
    assert [(p.line, p.severity) for p in result.problems] == [
        (3, "error"),
        (14, "error"),
        (15, "error"),
        (16, "warning"),
        (17, "error"),
    ]
    assert "matching" in result.problems[0].message
    assert "numerical" in result.problems[1].message
    assert "MULTICHOICE" in result.problems[2].message


def test_validation_problems_point_at_the_question_line():
    xml = f"""<question type="multichoice">{text("questiontext", "?")}
      <defaultgrade>0</defaultgrade>{answer("100", "甲")}{answer("0", "乙")}</question>"""
    result = parse(quiz(xml))
    assert [(p.line, p.message[:3]) for p in result.problems] == [(3, "分值:")]


def test_malformed_xml_is_one_error_with_its_line():
    result = parse(b"<quiz>\n<question type='essay'>\n</quiz>")
    assert result.questions == []
    assert [(p.line, p.severity) for p in result.problems] == [(3, "error")]


def test_wrong_root_and_empty_input():
    assert "quiz" in parse(b"<html></html>").problems[0].message
    assert parse(b"").problems[0].severity == "error"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz><question type="essay"><questiontext><text>&lol3;</text></questiontext></question></quiz>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><questiontext><text>&secret;</text></questiontext></question></quiz>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE quiz SYSTEM "http://127.0.0.1:9/evil.dtd">
<quiz></quiz>"""


def test_billion_laughs_is_refused_not_expanded():
    result = parse(BILLION_LAUGHS)
    assert result.questions == []
    assert [(p.line, p.severity) for p in result.problems] == [(3, "error")]
    assert "实体" in result.problems[0].message


def test_external_entity_is_refused_not_read():
    result = parse(EXTERNAL_ENTITY)
    assert result.questions == []
    assert result.problems[0].severity == "error"
    assert "root:" not in str(result.to_json())


def test_external_dtd_is_refused():
    result = parse(EXTERNAL_DTD)
    assert [p.severity for p in result.problems] == ["error"]


def test_gbk_declared_file_is_read():
    xml = '<?xml version="1.0" encoding="GBK"?><quiz><question type="essay">'
    xml += (
        '<questiontext format="plain_text"><text>中文题干</text></questiontext></question></quiz>'
    )
    assert parse(xml.encode("gbk")).questions[0].stem == "中文题干"


def test_an_unknown_declared_encoding_is_one_error_not_an_exception():
    result = parse(b'<?xml version="1.0" encoding="ut--8"?><quiz></quiz>')
    assert [(p.line, p.severity) for p in result.problems] == [(1, "error")]
    assert "编码" in result.problems[0].message and not result.questions
