"""The seed pages of the demo bank: every question found, with its type, options and answer.

Expectations were read off the seed files by hand (line numbers as an editor shows them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from question_bank.formats import parse
from question_bank.formats.cn_text import MISSING_ANSWER
from question_bank.model import ImportResult, Question

SEEDS = Path(__file__).resolve().parents[2] / "training" / "data" / "seeds"

# 004, first (complete) copy of 《客户服务管理》模拟试题: number, line, options of the choices.
MOCK_CHOICES = {
    "1": (10, ["客户服务员工", "劳动合同工", "劳务合同工", "客户服务代理员工"]),
    "2": (20, ["法定代理", "委托代理", "指定代理", "以上都不对"]),
    "3": (30, ["营销", "管理", "交易进展状况", "交易情况"]),
    "4": (
        40,
        [
            "客户对企业以及企业产品或者服务的满意程度",
            "客户满意后而产生的对某种产品品牌或公司的依赖、维护和重复购买的一种心理倾向",
            "客户对企业利润的贡献程度",
            "客户与企业发生初次交易之后继续购买该企业产品或者服务的程度",
        ],
    ),
    "5": (50, ["信息需求", "环境需求", "情感需求", "便利需求"]),
    "6": (
        60,
        [
            "客户的情绪管理就是察言观色,哄客户开心",
            "对客户的关注在购买阶段即告结束",
            "企业与客户是一种敌对关系",
            "企业不必让客户100%满意",
        ],
    ),
    "7": (70, ["主观性强", "难以评估", "管理成本高", "容易测量"]),
    "8": (80, ["计划阶段", "执行阶段", "检查阶段", "收尾阶段"]),
    "9": (90, ["基本信息", "重要信息", "核心信息", "过程管理信息"]),
    "10": (100, ["理念", "优质服务", "关系质量", "产品差异化"]),
    "11": (110, ["自然流失", "恶意流失", "竞争流失", "过失流失"]),
    "12": (120, ["进攻策略", "防守策略", "撤退策略", "以上说法都正确"]),
    "13": (130, ["分类", "联合分析", "时间序列", "序列发现"]),
    "14": (140, ["贸易展览", "宣传展览", "综合展览", "专项展览"]),
    "15": (148, ["产品交易投诉", "产品交付投诉", "产品文化投诉", "服务能力投诉"]),
    "16": (
        160,
        [
            "服务目标“应该体系在为客户服务的每一个阶段”",
            "服务目标“应该贯穿于企业与客户接触的前期和后期”",
            "服务目标“应该是企业运作程序中基本框架的一部分”",
            "服务目标“应该是对潮流的一种反应”",
            "服务目标“应该始终如一地贯穿于员工的交流”",
        ],
    ),
    "17": (
        172,
        [
            "包括物质需要和精神需要",
            "能通过交换而得以满足",
            "通过客户服务形式而实现满足",
            "受社会生活条件的影响",
            "是自身需要,不易受外界影响",
        ],
    ),
    "18": (
        184,
        [
            "利润的增长主要是由客户忠诚度刺激的",
            "忠诚是客户满意的直接结果",
            "满意在很大程度上受到提供给客户的服务价值的影响",
            "价值是由满意、忠诚和有效率的员工创造的",
            "员工满意主要来自企业高质量的支持和制度",
        ],
    ),
    "19": (196, ["态度", "手段", "表现", "微笑", "耐心"]),
    "20": (208, ["企业理念满意", "企业行为满意", "企业视觉满意", "物质层面满意", "精神层面满意"]),
    "21": (
        220,
        [
            "客户经营方式变化",
            "客户购买行为变化",
            "竞争对手的努力状况",
            "客户服务状况",
            "投诉和建议变化",
        ],
    ),
    "22": (
        232,
        [
            "客户管理统一化",
            "提供客户管理能力",
            "实现企业目标",
            "提供企业竞争力",
            "提供协调互动的平台",
        ],
    ),
    "23": (
        244,
        [
            "是企业与客户沟通的单一平台",
            "是企业收集资料、了解客户需求的关键渠道",
            "为客户提供优质化服务,维护客户忠诚度",
            "是企业从成本中心变成利润中心的重要手段",
            "提高客户贡献度的重要手段",
        ],
    ),
    "24": (
        256,
        [
            "使企业再次赢得顾客",
            "使企业及时发现产品或服务的失误",
            "开创新的商机",
            "可以为企业建立和巩固良好形象提供机会",
            "为企业增加了成本",
        ],
    ),
    "25": (
        268,
        [
            "投诉的提起人应是客户",
            "投诉直接对象是企业",
            "投诉以投诉问题的存在为前提",
            "投诉以实现客户利益主张为目的",
            "企业是投诉追究的责任人",
        ],
    ),
}
MOCK_SUBJECTIVE = [
    ("26", 282, "short_answer", "名词解释", 3.0, "客户服务行为"),
    ("27", 284, "short_answer", "名词解释", 3.0, "企业行为满意"),
    ("28", 286, "short_answer", "名词解释", 3.0, "大客户"),
    ("29", 288, "short_answer", "名词解释", 3.0, "呼吸松弛法"),
    ("30", 290, "short_answer", "名词解释", 3.0, "新闻发布会"),
    ("31", 294, "short_answer", "简答题", 5.0, "服务从在客户服务中起着主力和基础作用的表现有哪些?"),
    ("32", 296, "short_answer", "简答题", 5.0, "简述CRM实施的具体步骤。"),
    ("33", 298, "short_answer", "简答题", 5.0, "展览会的特点有哪些?"),
    ("34", 302, "essay", "论述题", 10.0, "试对客户服务质量管理中应遵循的原则进行总结。"),
    ("35", 304, "essay", "论述题", 10.0, "试对客户服务中心的发展历程进行阐述。"),
]
# 004, the preview of 客户关系管理模拟试题6 at the end of the page.
CRM_PAPER = [
    ("1", 398, ["产品", "服务", "竞争", "价格"]),
    ("2", 398, ["客户忠诚", "客户价值", "客户满意", "客户服务"]),
    (
        "3",
        398,
        [
            "只有大企业才需要实施客户关系管理",
            "维持老顾客的成本大大高于吸引新顾客的成本",
            "实施客户关系管理就是要购买一个CRM软件,并且在企业全面使用",
            "客户流失是不可避免的",
        ],
    ),
    (
        "4",
        398,
        [
            "企业80%的销售额来自于20%的老顾客",
            "企业有80%的新客户和20%的老客户",
            "企业80%的员工为20%的老客户服务",
            "企业的80%的利润来自于20%的老顾客",
        ],
    ),
    ("5", 398, ["产品的包装", "附在实体产品之上的服务", "产品的广告", "产品的价格"]),
    ("6", 398, ["垄断满意", "亲友满意", "惰性满意", "信赖满意"]),
    ("7", 400, ["现有客户", "潜在客户", "已失去客户", "竞争者客户"]),
    ("8", 400, ["客户的盈利率", "客户的投诉率", "客户的满意度", "客户价值"]),
    ("9", 400, ["说明原因", "对客户的期望值表示理解", "提供更多的有效解决方案", "与客户据理力争"]),
    (
        "10",
        400,
        [
            "潜在客户、新客户、常客户、老客户、忠诚客户",
            "关键客户、普通客户、小客户",
            "基本型、被动型、负责型、能动型、伙伴型",
            "铅质客户、铁质客户、黄金客户、白金客户",
        ],
    ),
]


def seed(prefix: str) -> ImportResult:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return parse(path.read_bytes(), path.name)


def options(question: Question) -> list[str]:
    return [o.text for o in question.options]


@pytest.fixture(scope="module")
def mock_paper() -> ImportResult:
    return seed("004")


@pytest.mark.parametrize(
    ("prefix", "count"), [("000", 5), ("001", 0), ("002", 0), ("003", 0), ("004", 68)]
)
def test_question_count_per_seed(prefix: str, count: int) -> None:
    result = seed(prefix)
    assert len(result.questions) == count
    assert not result.has_errors


def test_worked_examples_of_000() -> None:
    questions = seed("000").questions
    assert [(q.number, q.source.line, q.type, q.answer) for q in questions] == [
        ("1", 129, "single", ["C"]),
        ("2", 133, "single", ["A"]),
        ("1", 579, "single", ["A"]),
        ("2", 583, "multiple", ["A", "B", "C", "D", "E"]),
        ("3", 585, "fill_blank", None),
    ]
    assert options(questions[1]) == ["资产配置", "证券选择", "基本面分析", "投资策略"]
    assert questions[3].explanation == "以上关于生命周期理论的解释都正确"
    assert questions[0].explanation.startswith("银行个人理财业务是指")
    assert all(q.section is None for q in questions)


def test_courseware_riddle_in_001_is_reported_not_imported() -> None:
    result = seed("001")
    assert [(p.line, p.severity) for p in result.problems] == [(664, "warning"), (699, "warning")]


def test_complete_mock_exam_choices(mock_paper: ImportResult) -> None:
    choices = mock_paper.questions[:25]
    got = {q.number: (q.source.line, options(q)) for q in choices}
    assert got == MOCK_CHOICES
    assert [q.type for q in choices] == ["single"] * 15 + ["multiple"] * 10
    assert {(q.section, q.points) for q in choices[:15]} == {("单项选择题", 1.0)}
    assert {(q.section, q.points) for q in choices[15:]} == {("多项选择题", 2.0)}
    assert all(q.answer is None and q.stem.endswith("()") for q in choices)


def test_complete_mock_exam_subjective(mock_paper: ImportResult) -> None:
    got = [
        (q.number, q.source.line, q.type, q.section, q.points, q.stem)
        for q in mock_paper.questions[25:35]
    ]
    assert got == MOCK_SUBJECTIVE
    case = mock_paper.questions[35]
    assert (case.number, case.source.line, case.type, case.section, case.points) == (
        "36",
        308,
        "case",
        "案例分析题",
        15.0,
    )
    assert case.case_material.startswith("某乡村饭店") and case.case_material.endswith(
        "老板也乐了。"
    )
    assert case.stem == "请结合所学知识分析:在面对不同的客户需求时,优质客户服务的标准有哪些?"


def test_two_previews_of_the_mock_exam(mock_paper: ImportResult) -> None:
    first, second = mock_paper.questions[36:46], mock_paper.questions[46:56]
    complete = mock_paper.questions[:10]
    assert [q.source.line for q in first] == [324] * 10
    assert [q.source.line for q in second] == [372] * 5 + [374] * 5
    assert [options(q) for q in first[:9]] == [options(q) for q in complete[:9]]
    assert options(first[9]) == ["理念", "优质服务"]
    assert [options(q) for q in second] == [options(q) for q in complete]
    assert second[5].stem == "关于客户情绪管理,下列说确的是()"


def test_preview_of_another_paper(mock_paper: ImportResult) -> None:
    crm = mock_paper.questions[56:]
    assert [(q.number, q.source.line, options(q)) for q in crm[:10]] == CRM_PAPER
    assert {(q.type, q.section, q.points) for q in crm[:10]} == {("single", "单项选择题", 3.0)}
    assert crm[5].stem == "客户对供电公司所提供的电力服务的使用是基于以下哪种类型的满意?()"
    assert [(q.number, q.stem, q.type, q.section, q.points) for q in crm[10:]] == [
        ("1", "潜在客户", "short_answer", "名词解释", 5.0),
        ("2", "目标客户", "short_answer", "名词解释", 5.0),
    ]


def test_cut_off_previews_are_reported(mock_paper: ImportResult) -> None:
    flagged = {(p.line, p.severity) for p in mock_paper.problems if p.message != MISSING_ANSWER}
    assert (324, "warning") in flagged and (372, "warning") in flagged
    assert not any(
        p.line and 6 <= p.line <= 310 and "不连续" in p.message for p in mock_paper.problems
    )
