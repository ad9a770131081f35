"""The GIFT importer: every supported construct, and every unsupported one reported by line."""

from __future__ import annotations

from question_bank.formats.gift import escape, parse, unescape
from question_bank.model import ImportResult


def gift(text: str) -> ImportResult:
    return parse(text.encode("utf-8"), "bank.gift")


def only(text: str):
    result = gift(text)
    assert len(result.questions) == 1, result.to_json()
    return result.questions[0]


def test_single_choice_with_title_and_general_feedback():
    question = only("::Q1:: 客户投诉首先应该? {=倾听 ~解释政策#不对 ~挂断 ####先倾听再解决}")
    assert question.type == "single"
    assert question.number == "Q1"
    assert question.stem == "客户投诉首先应该?"
    assert [(o.label, o.text) for o in question.options] == [
        ("A", "倾听"),
        ("B", "解释政策"),
        ("C", "挂断"),
    ]
    assert question.answer == ["A"]
    assert question.explanation == "先倾听再解决"
    assert question.source.file == "bank.gift"


def test_per_answer_feedback_is_not_the_explanation():
    question = only("请选择 {=对的#答得好 ~错的#再想想}")
    assert question.explanation is None
    assert [o.text for o in question.options] == ["对的", "错的"]


def test_weighted_answers_make_multiple_choice():
    question = only("哪些是礼貌用语? {~%50%您好 ~%50%请 ~%-100%喂}")
    assert (question.type, question.answer) == ("multiple", ["A", "B"])


def test_choice_without_any_marked_answer_is_a_draft_with_a_warning():
    result = gift("哪些? {~甲 ~乙}")
    assert result.questions[0].answer is None
    assert [(p.line, p.severity) for p in result.problems] == [(1, "warning")]


def test_true_false_forms():
    result = gift("甲 {T}\n\n乙 {TRUE}\n\n丙 {F}\n\n丁 {false#反馈1#反馈2}")
    assert [(q.type, q.answer) for q in result.questions] == [
        ("true_false", True),
        ("true_false", True),
        ("true_false", False),
        ("true_false", False),
    ]


def test_short_answer_becomes_fill_blank_with_alternatives():
    question = only("客服热线是? {=400-123 =400123}")
    assert (question.type, question.stem, question.answer) == (
        "fill_blank",
        "客服热线是?",
        [["400-123", "400123"]],
    )


def test_several_blocks_in_one_stem_are_several_blanks():
    question = only("热线 {=400} 转 {=8 =八} 号.")
    assert (question.type, question.stem, question.answer) == (
        "fill_blank",
        "热线 ____ 转 ____ 号.",
        [["400"], ["8", "八"]],
    )


def test_missing_word_choice_keeps_a_blank_in_the_stem():
    question = only("客户是 {=上帝 ~麻烦} 的说法不妥.")
    assert (question.type, question.stem) == ("single", "客户是 ____ 的说法不妥.")


def test_partial_credit_short_answers_are_dropped_with_a_warning():
    result = gift("热线? {=%100%400 =%50%800}")
    assert result.questions[0].answer == [["400"]]
    assert "部分得分" in result.problems[0].message


def test_empty_block_is_an_essay():
    question = only("论述服务意识. {####从态度和能力两方面}")
    assert (question.type, question.answer, question.explanation) == (
        "essay",
        None,
        "从态度和能力两方面",
    )


def test_escapes_are_undone():
    question = only(r"符号 \{ \} \= \~ \# \: 和 \\ {=a\=b ~c\~d}")
    assert question.stem == "符号 { } = ~ # : 和 \\"
    assert [o.text for o in question.options] == ["a=b", "c~d"]


def test_escape_and_unescape_are_inverse():
    text = "a{b}c=d~e#f:g\\h\n第二行"
    assert "\n" not in escape(text)
    assert unescape(escape(text)) == text


def test_html_marker_converts_to_plain_text_and_markdown_stays():
    result = gift(
        "[html]<p>描述<b>服务</b><script>x()</script>理念</p> {}\n\n[markdown]**加粗** {}"
    )
    assert [q.stem for q in result.questions] == ["描述服务理念", "**加粗**"]


def test_comments_and_categories():
    text = (
        "// 整行注释\n"
        "$CATEGORY: $course$/top/售后/退换货\n"
        "\n"
        "甲 {T}\n"
        "// 题内注释\n"
        "\n"
        "$CATEGORY: $course$/top\n"
        "\n"
        "乙 {F}\n"
    )
    result = gift(text)
    assert [(q.stem, q.category) for q in result.questions] == [("甲", "售后/退换货"), ("乙", None)]
    assert [q.source.line for q in result.questions] == [4, 9]


def test_questions_spanning_lines():
    question = only("第一行\n第二行 {\n=对\n~错\n}")
    assert (question.stem, question.answer) == ("第一行\n第二行", ["A"])


def test_unsupported_types_are_reported_by_name_and_line():
    text = "甲 {T}\n\n匹配 {=a -> 1 =b -> 2}\n\n数值 {#3:1}\n\n只是一段说明文字\n\n坏的 {=a"
    result = gift(text)
    assert [q.stem for q in result.questions] == ["甲"]
    assert [(p.line, p.severity) for p in result.problems] == [
        (3, "error"),
        (5, "error"),
        (7, "warning"),
        (9, "error"),
    ]
    assert "匹配题" in result.problems[0].message
    assert "数值题" in result.problems[1].message
    assert "说明文字" in result.problems[2].message


def test_cloze_with_a_choice_block_is_unsupported():
    result = gift("甲 {=a ~b} 乙 {=c}")
    assert result.questions == []
    assert "完形填空" in result.problems[0].message


def test_validation_problems_point_at_the_question_line():
    result = gift("甲 {T}\n\n{=a ~b}")
    assert [(p.line, p.message) for p in result.problems] == [(3, "题干: 不能为空")]


def test_gbk_encoded_file():
    result = parse("客服热线是? {=400}".encode("gbk"))
    assert result.questions[0].stem == "客服热线是?"
