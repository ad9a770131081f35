"""Noise removal and Chinese numerals."""

from __future__ import annotations

import pytest

from training.manuals.parsing import parse_manual
from training.manuals.parsing.bullets import TextBlock, text_blocks
from training.manuals.parsing.cleaning import clean_line, clean_lines, clean_title
from training.manuals.parsing.numerals import parse_number, to_chinese


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("你是哪天挂旳?谁帮你挂旳?", "你是哪天挂的?谁帮你挂的?"),
        ("  1. 1、下载文档前请自行甄别文档内容的完整性,平台不提供额外的编辑。", ""),
        ('- 2、"仅部分预览"的文档,不可在线预览部分', ""),
        ("合集下载", ""),
        ("精品", ""),
        ("- 格式:ppt", ""),
        ("- 大小:1.08 MB", ""),
        ("- 文档页数:124", ""),
        ("第 3 页 共 10 页", ""),
        (
            "要坦诚、热心地接受。 如有侵权请联系告知删除,感谢你们的配合! 精品",
            "要坦诚、热心地接受。",
        ),
        ("第1篇第一章总则第一条为加强管理。", "第一章总则第一条为加强管理。"),
        ("**第一条**\u3000为了规范。", "第一条 为了规范。"),
        (". 客户服务管理流程(一)管理方法", "客户服务管理流程(一)管理方法"),
        ("精品课程建设规定", "精品课程建设规定"),
    ],
)
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_clean_lines_keeps_line_numbers() -> None:
    assert clean_lines(["合集下载", "第一条 为了规范。", ""]) == ["", "第一条 为了规范。", ""]


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("关于客户管理的规定(3篇)", "关于客户管理的规定"),
        ("客户服务流程建设 第2篇", "客户服务流程建设"),
        ("《客户服务管理制度》", "客户服务管理制度"),
        ("客户服务体系(管理制度)", "客户服务体系(管理制度)"),
    ],
)
def test_clean_title(raw: str, title: str) -> None:
    assert clean_title(raw) == title


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("九十九", 99),
        ("一百", 100),
        ("一百零五", 105),
        ("一百二十", 120),
        ("两百", 200),
        ("8", 8),
        ("１２", 12),
        ("〇", 0),
    ],
)
def test_parse_number(numeral: str, value: int) -> None:
    assert parse_number(numeral) == value


@pytest.mark.parametrize("numeral", ["", "十十", "百三千", "第", "x1"])
def test_parse_number_rejects_non_numbers(numeral: str) -> None:
    assert parse_number(numeral) is None


def test_to_chinese_round_trips() -> None:
    assert [to_chinese(n) for n in (1, 10, 11, 20, 101, 110)] == [
        "一",
        "十",
        "十一",
        "二十",
        "一百零一",
        "一百一十",
    ]
    assert all(parse_number(to_chinese(n)) == n for n in range(1, 1000))


def test_inline_sub_bullets_are_put_one_per_line_and_dates_and_times_are_left_alone():
    text = ("客户服务流程\n第一条 服务步骤如下：\n1. 接待客户- 欢迎客户；- 关注需求; - 记录信息。\n"
            "第二条 工作时间9:00-18:30，2024-01-01起执行；客户-产品关系由专人维护。\n")
    (document,) = parse_manual(text.encode(), "制度.txt").documents
    first, second = document.articles()
    assert first.parts[0].text == "接待客户\n- 欢迎客户；\n- 关注需求;\n- 记录信息。"
    assert second.text == "工作时间9:00-18:30，2024-01-01起执行；客户-产品关系由专人维护。"


def test_the_reader_draws_bullet_lines_as_a_list():
    assert text_blocks("接待客户\n- 欢迎客户；\n- 关注需求\n其后一段") == [
        TextBlock(text="接待客户"), TextBlock(items=["欢迎客户；", "关注需求"]),
        TextBlock(text="其后一段"),
    ]
    # an edition stored before the parser split them reads the same
    assert text_blocks("接待客户- 欢迎客户；- 关注需求") == [
        TextBlock(text="接待客户"), TextBlock(items=["欢迎客户；", "关注需求"]),
    ]
