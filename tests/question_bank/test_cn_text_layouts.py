"""Every layout of Chinese exam papers the cn-text importer reads, one small paper each."""

from __future__ import annotations

import pytest

from question_bank.formats import cn_text, detect_format
from question_bank.model import ImportResult, Question

OPTIONS = ["解释公司政策", "倾听并确认问题", "立即转给主管", "挂断电话"]


def parse(text: str) -> ImportResult:
    return cn_text.parse_text(text.strip("\n"), "paper.txt")


def only(text: str) -> Question:
    result = parse(text)
    assert len(result.questions) == 1, result.to_json()
    return result.questions[0]


def option_texts(question: Question) -> list[str]:
    return [o.text for o in question.options]


@pytest.mark.parametrize(
    "labels",
    [
        ("A.", "B.", "C.", "D."),
        ("A、", "B、", "C、", "D、"),
        ("A．", "B．", "C．", "D．"),
        ("Ａ.", "Ｂ.", "Ｃ.", "Ｄ."),
        ("(A)", "(B)", "(C)", "(D)"),
        ("（A）", "（B）", "（C）", "（D）"),
        ("A)", "B)", "C)", "D)"),
        ("A:", "B:", "C:", "D:"),
    ],
)
def test_option_labels(labels: tuple[str, ...]) -> None:
    options = " ".join(label + text for label, text in zip(labels, OPTIONS, strict=True))
    question = only(f"1.客户投诉时首先应该（ ）\n{options}\n答案：B")
    assert [o.label for o in question.options] == ["A", "B", "C", "D"]
    assert option_texts(question) == OPTIONS
    assert (question.type, question.answer) == ("single", ["B"])


@pytest.mark.parametrize("number", ["1.", "1、", "1．", "（1）", "(1)", "第1题"])
def test_question_numbers(number: str) -> None:
    second = number.replace("1", "2")
    result = parse(
        f"{number}客户投诉时首先应该（ ）\nA.解释 B.倾听\n"
        f"{second}服务的核心是（ ）\nA.价格 B.客户满意"
    )
    assert [(q.number, q.source.line) for q in result.questions] == [("1", 1), ("2", 3)]
    assert result.questions[1].stem == "服务的核心是（ ）"


def test_options_one_per_line_with_blank_lines_between() -> None:
    question = only(
        "1.客户忠诚度指的是()\n\nA.满意程度\n\nB.依赖和重复购买的倾向\n\nC.贡献\n\nD.保持"
    )
    assert option_texts(question) == ["满意程度", "依赖和重复购买的倾向", "贡献", "保持"]


def test_options_glued_to_each_other_and_questions_glued_to_answers() -> None:
    result = parse(
        "1、企业仅靠产品质量难以留住客户,()成为另一张王牌。A.产品B.服务C.竞争D.价格【答案】B"
        "2、对于企业来说,达到()是基本任务。A.客户忠诚B.客户价值C.客户满意D.客户服务【答案】C"
    )
    assert [q.number for q in result.questions] == ["1", "2"]
    assert option_texts(result.questions[0]) == ["产品", "服务", "竞争", "价格"]
    assert [q.answer for q in result.questions] == [["B"], ["C"]]


def test_question_glued_to_the_last_option_of_the_previous_one() -> None:
    result = parse(
        "1.下列属于服务补救的是() A.道歉 B.补偿 C.跟进 D.以上都是2.下列说法正确的是() A.甲 B.乙"
    )
    assert [q.number for q in result.questions] == ["1", "2"]
    assert result.questions[0].options[-1].text == "以上都是"


def test_wrapped_option_text_and_comma_typo_after_a_label() -> None:
    question = only("14.展销会属于()\nA.贸易展览\nB.宣传展览\nC,综合展览 D.专项展览")
    assert option_texts(question) == ["贸易展览", "宣传展览", "综合展览", "专项展览"]


def test_letters_inside_option_text_are_not_labels() -> None:
    question = only(
        "1.下列说法正确的是（ ）\nA.CRM系统 B.维生素A的作用 C.A和B D.A、B、C都对\n答案：D"
    )
    assert option_texts(question) == ["CRM系统", "维生素A的作用", "A和B", "A、B、C都对"]
    assert question.answer == ["D"]


def test_stem_wrapped_over_a_blank_line_is_joined() -> None:
    question = only(
        "6、客户对供电公司电力服务的使用是基于以下哪种类\n\n型的满意?() A.垄断满意B.亲友满意"
    )
    assert question.stem == "客户对供电公司电力服务的使用是基于以下哪种类型的满意?()"


def test_section_header_sets_type_points_and_section() -> None:
    result = parse(
        "一、单项选择题(本大题共2小题,每小题1分,共2分。请将其代码填写在题后的括号内。)\n"
        "1.甲（ ）A.a B.b\n2.乙（ ）A.a B.b\n"
        "二、多项选择题（本大题共1小题，每小题2分，共2分）\n3.丙（ ）A.a B.b C.c\n"
        "三、名词解释(本大题共2小题,共6分)\n4.客户服务行为\n5.大客户\n"
        "四、论述题\n6.试述客户服务质量管理原则。（10分）\n"
        "五、案例分析题(本大题共1小题,共15分)\n7.某饭店剩饭很多。\n请分析原因？"
    )
    got = [(q.number, q.type, q.section, q.points) for q in result.questions]
    assert got == [
        ("1", "single", "单项选择题", 1.0),
        ("2", "single", "单项选择题", 1.0),
        ("3", "multiple", "多项选择题", 2.0),
        ("4", "short_answer", "名词解释", 3.0),
        ("5", "short_answer", "名词解释", 3.0),
        ("6", "essay", "论述题", 10.0),
        ("7", "case", "案例分析题", 15.0),
    ]
    assert result.questions[5].stem == "试述客户服务质量管理原则。"
    case = result.questions[6]
    # the material is kept once, apart from the question asked about it (shown above it)
    assert (case.case_material, case.stem) == ("某饭店剩饭很多。", "请分析原因？")


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("二、多选题", "multiple"),
        ("多项选择题", "multiple"),
        ("三、不定项选择题（每题2分）", "multiple"),
        ("【单选题】", "single"),
        ("判断题：", "true_false"),
        ("四、是非题(每题1分)", "true_false"),
        ("五、填空题", "fill_blank"),
        ("（六）简答题", "short_answer"),
        ("七．论述题", "essay"),
        ("第八部分 案例分析题", "case"),
    ],
)
def test_section_header_variants(header: str, kind: str) -> None:
    question = only(f"{header}\n1.题干（ ）")
    assert question.type == kind
    assert question.section in header


def test_section_header_inside_a_line_starts_a_new_section() -> None:
    result = parse("1、甲() A、a B、b 二、名词解释(每题5分共20分)。 1、潜在客户 2、目标客户")
    assert [(q.number, q.type, q.section, q.points) for q in result.questions] == [
        ("1", "single", None, 1.0),
        ("1", "short_answer", "名词解释", 5.0),
        ("2", "short_answer", "名词解释", 5.0),
    ]


def test_points_shared_from_the_section_total() -> None:
    result = parse("三、判断题（共6分）\n1.甲。（ ）\n2.乙。（ ）\n3.丙。（ ）")
    assert [q.points for q in result.questions] == [2.0, 2.0, 2.0]


@pytest.mark.parametrize(
    ("marker", "answer"),
    [
        ("答案:B", ["B"]),
        ("答案：B", ["B"]),
        ("正确答案：A,B,C", ["A", "B", "C"]),
        ("【答案】ABD", ["A", "B", "D"]),
        ("参考答案:C", ["C"]),
        ("答：A、C", ["A", "C"]),
    ],
)
def test_inline_answer_markers(marker: str, answer: list[str]) -> None:
    question = only(f"1.下列正确的是（ ）\nA.甲 B.乙 C.丙 D.丁\n{marker}")
    assert question.answer == answer
    assert question.type == ("multiple" if len(answer) > 1 else "single")


def test_answer_in_the_stem_brackets_leaves_an_empty_bracket() -> None:
    question = only("1.投诉的直接对象属于（ B ）。\nA.员工 B.企业 C.政府 D.媒体")
    assert question.answer == ["B"]
    assert question.stem == "投诉的直接对象属于（  ）。"


@pytest.mark.parametrize(
    ("marker", "label"),
    [("解析:因为", "因为"), ("【解析】因为", "因为"), ("答案解析：因为", "因为")],
)
def test_explanation_markers(marker: str, label: str) -> None:
    question = only(f"1.甲（ ）A.a B.b\n答案：A\n{marker}倾听是第一步。")
    assert question.explanation == label + "倾听是第一步。"


def test_worked_example_with_answer_and_explanation_glued_to_the_options() -> None:
    question = only(
        "例题:1.生命周期理论对消费者的()行为提供了全新的解释。\n\n"
        "A.消费B.理财C.投资D.储蓄正确答案:A解析:生命周期理论解释消费行为。"
    )
    assert question.answer == ["A"]
    assert question.explanation == "生命周期理论解释消费行为。"
    assert option_texts(question)[-1] == "储蓄"


@pytest.mark.parametrize(
    ("mark", "expected"),
    [
        ("√", True),
        ("×", False),
        ("✓", True),
        ("✗", False),
        ("✔", True),
        ("✘", False),
        ("对", True),
        ("错", False),
        ("正确", True),
        ("错误", False),
        ("T", True),
        ("F", False),
    ],
)
def test_true_false_marks(mark: str, expected: bool) -> None:
    question = only(f"判断题\n1.客户永远是对的。（ ）\n答案：{mark}")
    assert (question.type, question.answer, question.options) == ("true_false", expected, [])


def test_true_false_mark_in_the_stem_and_options_right_wrong() -> None:
    result = parse("判断题\n1.投诉是改进的机会。（√）\n2.客户永远是对的。\nA.正确 B.错误\n答案：B")
    assert [(q.answer, q.options, q.stem) for q in result.questions] == [
        (True, [], "投诉是改进的机会。（）"),
        (False, [], "客户永远是对的。"),
    ]


def test_fill_blanks_with_several_blanks_and_alternatives() -> None:
    result = parse(
        "填空题\n1.服务的两个特性是____和____。\n答案：程序特性；个人特性\n"
        "2.处理投诉第一步是________。\n答案：倾听/聆听|聆听客户或倾听客户\n"
        "3.客户服务的三个阶段是（ ）、（ ）和（ ）。\n答案：售前 售中 售后"
    )
    assert [q.answer for q in result.questions] == [
        [["程序特性"], ["个人特性"]],
        [["倾听", "聆听", "聆听客户", "倾听客户"]],
        [["售前"], ["售中"], ["售后"]],
    ]


def test_subjective_reference_answer_spans_lines_until_the_next_question() -> None:
    result = parse(
        "简答题\n1.简述处理客户投诉的步骤。\n答：1.倾听客户诉说；\n2.表示理解和道歉；\n"
        "3.提出解决方案。\n2.简述客户服务的特点。\n参考答案：\n（1）无形性；\n（2）差异性。"
    )
    assert [q.answer for q in result.questions] == [
        "1.倾听客户诉说；\n2.表示理解和道歉；\n3.提出解决方案。",
        "（1）无形性；\n（2）差异性。",
    ]


@pytest.mark.parametrize(
    ("text", "kind", "answer"),
    [
        ("1.甲（ ）\nA.a B.b C.c\n答案：B", "single", ["B"]),
        ("1.甲（ ）\nA.a B.b C.c\n答案：BC", "multiple", ["B", "C"]),
        ("1.客户永远是对的。\n答案：×", "true_false", False),
        ("1.服务的核心是____。\n答案：客户满意", "fill_blank", [["客户满意"]]),
        ("1.服务的核心是（ ）。", "fill_blank", None),
        ("1.简述服务的特点。\n答：无形性。", "short_answer", "无形性。"),
    ],
)
def test_type_inferred_without_section_headers(text: str, kind: str, answer: object) -> None:
    question = only(text)
    assert (question.type, question.answer, question.section) == (kind, answer, None)


def test_question_type_tags() -> None:
    result = parse(
        "1.【多选题】优质服务包括？\nA、礼貌 B、高效\n答案：AB\n2.【判断题】客户永远是对的。\n答案：错"
    )
    assert [(q.type, q.answer) for q in result.questions] == [
        ("multiple", ["A", "B"]),
        ("true_false", False),
    ]


def test_noise_is_removed_without_shifting_line_numbers() -> None:
    result = parse(
        "XX大学期末考试\n一、单选题\n1.甲（ ）\nA.a B.b\n第 1 页 共 2 页\n- 2 -\n3\n"
        "XX大学期末考试\n2.乙（ ）\nA.a B.b\n精选课件ppt\nXX大学期末考试\n"
    )
    assert [(q.stem, q.source.line, option_texts(q)) for q in result.questions] == [
        ("甲（ ）", 3, ["a", "b"]),
        ("乙（ ）", 9, ["a", "b"]),
    ]


def test_numbered_handbook_paragraphs_are_not_questions() -> None:
    result = parse(
        "第三条 客户服务遵循以下原则:\n1. 以客户为中心,尊重客户;\n2. 诚信经营,公平公正;\n"
        "例题:1.资产配置是指()。\nA.分散投资 B.集中投资\n正确答案:A"
    )
    assert [(q.number, q.stem) for q in result.questions] == [("1", "资产配置是指()。")]


def test_courseware_after_the_last_question_stays_out_of_it() -> None:
    result = parse(
        "案例分析题\n1.某饭店剩饭很多。\n\n请分析原因?\n\n客户服务管理复习资料\n\n"
        "第一章 客户服务管理规划 第一节 客户服务的组织结构……"
    )
    case = result.questions[0]
    assert (case.case_material, case.stem) == ("某饭店剩饭很多。", "请分析原因?")


def test_plain_text_is_detected_as_cn_text() -> None:
    assert detect_format("1.甲（ ）\nA.a B.b\n答案：A".encode(), "paper.txt") == "cn-text"


def test_front_matter_and_bracketed_answer_after_the_options() -> None:
    result = parse(
        "XX大学期末考试试卷\n姓名：________ 学号：________\n题号\t一\t二\t总分\n"
        "注意事项：\n1.本试卷共2页。\n2.请将答案写在括号（ ）内。\n"
        "一、单项选择题（每小题2分）\n1.客户投诉时首先应该（ ）。A.解释 B.倾听 C.转交 D.挂断（答案：B）"
    )
    assert [(q.number, q.source.line, q.answer) for q in result.questions] == [("1", 8, ["B"])]
    assert result.questions[0].options[-1].text == "挂断"
    assert not result.problems


def test_traditional_characters() -> None:
    result = parse(
        "一、單項選擇題（每小題2分）\n1.客戶投訴時首先應該（ ）\nA.解釋 B.傾聽\n參考答案：B"
    )
    assert [(q.type, q.section, q.points, q.answer) for q in result.questions] == [
        ("single", "單項選擇題", 2.0, ["B"])
    ]


def test_two_part_paper_with_headings_between_sections() -> None:
    result = parse(
        "第一部分 选择题（共30分）\n一、单项选择题（共1题，每题1分。只有1个最符合题意）\n"
        "1．下列属于服务补救的是（　　）。\nA．道歉　　B．补偿\nC．跟进　　D．以上都是\n【答案】D\n"
        "第二部分 非选择题（共70分）\n二、案例分析题（共1题，共20分）\n"
        "2．某银行客户排队时间过长。\n（1）分析原因？\n（2）提出改进措施？\n【答案】（1）流程繁琐；（2）增加窗口。"
    )
    choice, case = result.questions
    assert [o.text for o in choice.options] == ["道歉", "补偿", "跟进", "以上都是"]
    assert (choice.answer, case.type, case.points) == (["D"], "case", 20.0)
    assert (case.case_material, case.stem) == ("某银行客户排队时间过长。", "（1）分析原因？\n（2）提出改进措施？")
    assert case.answer == "（1）流程繁琐；（2）增加窗口。"


def test_a_question_about_a_sum_is_numbered_although_it_reads_like_a_decimal() -> None:
    result = parse(
        "1.客服每天工作8小时,对吗?对\n2.16-8*2=16,这个算式正确吗? 错\n3.服务无小事,对吗?对"
    )
    got = [(q.number, q.stem[:5], q.answer) for q in result.questions]
    assert got == [("1", "客服每天工", True), ("2", "16-8*", False), ("3", "服务无小事", True)]
    assert not result.problems


def test_a_stem_wrapped_before_a_decimal_stays_one_question() -> None:
    result = parse("1.客户来电咨询,每分钟话费\n2.5元是否合理?\n2.服务无小事,对吗?对")
    assert [(q.number, q.stem) for q in result.questions] == [
        ("1", "客户来电咨询,每分钟话费\n2.5元是否合理?"),
        ("2", "服务无小事,对吗?"),
    ]


def test_options_that_are_their_own_letters_run_together() -> None:
    question = only("1.四档来电A(紧急)、B(普通)中哪一档先接?A.AB.BC.CD.D")
    assert (question.stem, option_texts(question)) == (
        "四档来电A(紧急)、B(普通)中哪一档先接?",
        ["A", "B", "C", "D"],
    )


def test_a_number_glued_to_a_numeric_option_starts_the_question_it_numbers() -> None:
    result = parse("1.每小时12通,3小时几通?A.24B.30C.36D.482.哪项体现同理心?A.打断B.复述")
    assert [(q.number, option_texts(q)) for q in result.questions] == [
        ("1", ["24", "30", "36", "48"]),
        ("2", ["打断", "复述"]),
    ]


def test_a_stem_wrapped_over_a_blank_line_in_a_choice_section() -> None:
    """'选择题' leaves single or multiple to each answer; it is no registered type to look up."""
    question = only("二、选择题\n1.客服接听电话时\n\n应先说什么（ ）\nA.您好 B.喂\n答案：A")
    assert (question.type, question.stem, question.answer) == (
        "single",
        "客服接听电话时应先说什么（ ）",
        ["A"],
    )
