"""Papers as trainers paste them: the hand-keyed corpus in corpus/ and two properties.

The corpus reproduces layouts found in real published papers (see corpus/README.md); the
score is the share of questions that come through exactly right. The properties say that
what copying does to a paper — line breaks lost, a document site's noise added — changes
nothing the importer reads.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from question_bank.formats import cn_text
from question_bank.model import ImportResult
from tests.question_bank.corpus_score import FileScore, papers, score_file, table
from tests.question_bank.test_cn_text_properties import SETTINGS, Paper
from tests.question_bank.test_cn_text_properties import papers as generated_papers

TARGET = 0.98


@pytest.fixture(scope="module")
def scores() -> list[FileScore]:
    return [score_file(paper) for paper in papers()]


def test_the_corpus_covers_every_layout_class(scores: list[FileScore]) -> None:
    layouts = {s.layout for s in scores}
    assert layouts >= {
        "flattened",
        "survey",
        "judge_list",
        "mixed_choice",
        "site_noise",
        "markdown",
        "explanation_key",
        "several_papers",
        "unnumbered",
    }


def test_at_least_98_percent_of_corpus_questions_come_through_exactly_right(
    scores: list[FileScore],
) -> None:
    right = sum(s.right for s in scores)
    expected = sum(s.expected for s in scores)
    print("\n" + table(scores))
    wrong = [f"{s.layout}/{s.name}: {line}" for s in scores for line in s.wrong]
    assert right / expected >= TARGET, "\n".join(wrong)


def test_no_corpus_paper_comes_back_empty(scores: list[FileScore]) -> None:
    assert [f"{s.layout}/{s.name}" for s in scores if s.expected and not s.parsed] == []


def read(result: ImportResult) -> list[tuple]:
    return [
        (q.number, q.type, q.answer, [o.label for o in q.options], "".join(q.stem.split()))
        for q in result.questions
    ]


@SETTINGS
@given(generated_papers())
def test_a_flattened_paper_imports_the_same_questions(paper: Paper) -> None:
    # A key of words glued together ('1.客户满意3.首问负责') has no boundary left to find.
    assume("参考答案" not in paper.lines or all(q.kind != "fill_blank" for q in paper.questions))
    original = cn_text.parse_text("\n".join(paper.lines))
    flattened = cn_text.parse_text("".join(paper.lines))
    assert read(flattened) == read(original)


NOISE = [
    "客户服务知识测试题库与答案_第3页",
    "已阅读5页,还剩99页未读 继续免费阅读",
    "下载本文档",
    "版权说明:本文档由用户提供并上传,收益归属内容提供方,若内容存在侵权,请进行举报或认领",
    "image",
    "编辑：培训部 日期：2025-06-01 浏览次数：312",
    "分享到：微信 微博 QQ空间",
    "第 2 页 共 5 页",
]


@SETTINGS
@given(generated_papers(), st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(NOISE))))
def test_document_site_noise_changes_nothing(paper: Paper, noise: list[tuple[int, str]]) -> None:
    lines = list(paper.lines)
    for where, text in noise:
        lines.insert(1 + where % len(lines), text)
    original = cn_text.parse_text("\n".join(paper.lines))
    noisy = cn_text.parse_text("\n".join(lines))
    assert read(noisy) == read(original)
    assert [p.message for p in noisy.problems] == [p.message for p in original.problems]
