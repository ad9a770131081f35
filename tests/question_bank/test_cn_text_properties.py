"""Properties: the importer never raises, reads every generated paper back exactly, and after
random damage accounts for every numbered question whose line survived (perhaps cut): parsed,
or reported near its line or by its number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from question_bank.formats import cn_text
from question_bank.model import ImportResult

WORDS = [
    "客户",
    "服务",
    "投诉",
    "满意",
    "忠诚",
    "质量",
    "管理",
    "企业",
    "员工",
    "需求",
    "渠道",
    "流程",
]
KINDS = {
    "single": "单项选择题",
    "multiple": "多项选择题",
    "true_false": "判断题",
    "fill_blank": "填空题",
    "short_answer": "简答题",
}
NUMBER_STYLES = ["{}.", "{}、", "{}．", "（{}）", "第{}题 "]
LABEL_STYLES = ["{}.", "{}、", "（{}）", "{}．", "{})"]
ORDINALS = "一二三四五六"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Generated:
    """One generated question: what the importer must read back, and its first line."""

    number: int
    kind: str
    answer: object
    line: int = 0
    last_line: int = 0


@dataclass
class Paper:
    """Lines of a generated paper and the questions they hold."""

    lines: list[str]
    questions: list[Generated]


words = st.lists(st.sampled_from(WORDS), min_size=2, max_size=5).map("".join)


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    """1–4 sections of questions in one numbering, label and option layout, answered inline
    or by a key at the end of the paper (reference answers always inline)."""
    kinds = draw(st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=4))
    number_style = draw(st.sampled_from(NUMBER_STYLES))
    label_style = draw(st.sampled_from(LABEL_STYLES))
    layout = draw(st.sampled_from(["per-line", "inline", "glued"]))
    keyed = draw(st.booleans())
    lines: list[str] = ["客户服务知识测试"]
    questions: list[Generated] = []
    for ordinal, kind in zip(ORDINALS, kinds, strict=False):
        count = draw(st.integers(1, 4))
        lines.append(f"{ordinal}、{KINDS[kind]}（本大题共{count}小题，每小题2分）")
        for _ in range(count):
            number = len(questions) + 1
            question = Generated(number, kind, None, line=len(lines) + 1)
            body, question.answer, answer_text = draw(_question(kind, label_style, layout))
            lines.append(number_style.format(number) + body[0])
            lines.extend(body[1:])
            if not keyed or kind == "short_answer":
                lines.append(f"答案：{answer_text}")
            question.last_line = len(lines)
            questions.append(question)
    if keyed and any(q.kind != "short_answer" for q in questions):
        lines.append("参考答案")
        lines.extend(f"{q.number}.{_key_text(q)}" for q in questions if q.kind != "short_answer")
    return Paper(lines, questions)


@st.composite
def _question(draw: st.DrawFn, kind: str, label_style: str, layout: str) -> tuple:
    """(lines after the number, the answer the importer must read, the answer as written)."""
    stem = draw(words)
    if kind in ("single", "multiple"):
        texts = draw(st.lists(words, min_size=4, max_size=5, unique=True))
        labels = "ABCDE"[: len(texts)]
        size = 1 if kind == "single" else draw(st.integers(2, len(texts)))
        answer = sorted(draw(st.permutations(labels))[:size])
        options = [
            label_style.format(label) + text for label, text in zip(labels, texts, strict=True)
        ]
        body = {
            "per-line": [f"{stem}（ ）", *options],
            "inline": [f"{stem}（ ）", " ".join(options)],
            "glued": [f"{stem}（ ）" + "".join(options)],
        }[layout]
        return body, answer, "".join(answer)
    if kind == "true_false":
        answer = draw(st.booleans())
        return [f"{stem}。（ ）"], answer, "√" if answer else "×"
    if kind == "fill_blank":
        word = draw(words)
        return [f"{stem}是____。"], [[word]], word
    reference = draw(words) + "。"
    return [f"简述{stem}。"], reference, reference


def _key_text(question: Generated) -> str:
    if question.kind == "true_false":
        return "√" if question.answer else "×"
    if question.kind == "fill_blank":
        return question.answer[0][0]  # type: ignore[index]
    return "".join(question.answer)  # type: ignore[arg-type]


def parse(lines: list[str]) -> ImportResult:
    return cn_text.parse_text("\n".join(lines), "generated.txt")


def no_internal_error(result: ImportResult) -> bool:
    return not any("内部错误" in p.message for p in result.problems)


@SETTINGS
@given(
    st.text(
        alphabet=st.sampled_from(list("一二、．.（）()ABCDE答案解析：:1234567890 \n√×_客户服务题")),
        max_size=400,
    )
)
def test_never_raises_on_fragments_of_papers(text: str) -> None:
    assert no_internal_error(cn_text.parse_text(text))


@SETTINGS
@given(st.binary(max_size=300))
def test_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    assert no_internal_error(cn_text.parse(data, "noise.txt"))


@SETTINGS
@given(papers())
def test_generated_papers_read_back_exactly(paper: Paper) -> None:
    result = parse(paper.lines)
    got = [(q.number, q.type, q.answer, q.source.line, q.points) for q in result.questions]
    want = [(str(q.number), q.kind, q.answer, q.line, 2.0) for q in paper.questions]
    assert got == want
    assert not result.problems


HEADER = "本大题共"
JUNK = ["第 2 页 共 5 页", "精选课件ppt", "客户服务管理复习资料", "", "注意事项", "1、以客户为中心"]


@st.composite
def damaged(draw: st.DrawFn) -> tuple[Paper, list[tuple[str, int]]]:
    """A paper after a few random edits — lines deleted, cut, joined, split, junk added — with
    the original line number of every line (0 for junk). Section headers are left whole: they
    are what tells a question that lost its number from prose."""
    paper = draw(papers())
    actions = st.sampled_from(["delete", "cut", "insert", "join", "split"])
    edits = draw(
        st.lists(st.tuples(actions, st.integers(0, 10_000), st.integers(0, 40)), max_size=5)
    )
    lines = list(paper.lines)
    origin = list(range(1, len(lines) + 1))
    for action, where, size in edits:
        index = where % len(lines)
        if HEADER in lines[index] and action != "insert":
            continue
        if action == "delete" and len(lines) > 1:
            del lines[index], origin[index]
        elif action == "cut":
            start = size % (len(lines[index]) + 1)
            lines[index] = lines[index][:start] + lines[index][start + 1 + size % 8 :]
        elif action == "insert":
            lines.insert(index, draw(st.sampled_from(JUNK)))
            origin.insert(index, 0)
        elif action == "join" and index + 1 < len(lines):
            lines[index] += " " + lines.pop(index + 1)
            origin.pop(index + 1)
        elif action == "split" and len(lines[index]) > 2:
            cut = 1 + size % (len(lines[index]) - 1)
            lines[index : index + 1] = [lines[index][:cut], lines[index][cut:]]
            origin.insert(index + 1, origin[index])
    return Paper(lines, paper.questions), list(zip(lines, origin, strict=True))


@SETTINGS
@given(damaged())
def test_damaged_papers_lose_no_question_silently(
    case: tuple[Paper, list[tuple[str, int]]],
) -> None:
    paper, mapped = case
    result = parse(paper.lines)
    assert no_internal_error(result)
    parsed = {q.number for q in result.questions}
    surviving = {old for _, old in mapped}
    for question in paper.questions:
        if str(question.number) in parsed or question.line not in surviving:
            continue
        span = {
            i for i, (_, old) in enumerate(mapped, 1) if question.line <= old <= question.last_line
        }
        near = {i for line in span for i in (line - 1, line, line + 1)}
        assert any(
            p.line in near or re.search(rf"(?<!\d){question.number}(?!\d)", p.message)
            for p in result.problems
        ), (question, paper.lines, result.problems)
