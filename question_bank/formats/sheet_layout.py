"""The columns of the Excel/CSV question template, shared by the importer and the exporter.

One row per question. 题型 takes any name the type registry knows (单选, 多选题, single...);
答案 is written the way each type's `format_answer` writes it; 知识点 and 标签 hold several
values separated by 、 , ， ; or ；.
"""

from __future__ import annotations

import re

from question_bank.model import Question
from question_bank.texts import N_
from question_bank.types import OPTION_LABELS, get_type

QUESTION_SHEET = "题目"  # the importer prefers this sheet; the exporter writes it
TYPE = "题型"
STEM = "题干"
ANSWER = "答案"
EXPLANATION = "解析"
POINTS = "分值"
DIFFICULTY = "难度"
CATEGORY = "分类"
KNOWLEDGE_POINTS = "知识点"
TAGS = "标签"
OPTION_PREFIX = "选项"
TEMPLATE_OPTIONS = 8  # 选项A..选项H; more columns are added when a question needs them
LIST_SEPARATOR = "、"
LIST_SPLIT = re.compile(r"[、,，;；]")

Cell = str | int | float | None


def option_header(label: str) -> str:
    return OPTION_PREFIX + label


def headers(option_count: int = TEMPLATE_OPTIONS) -> list[str]:
    """The header row with `option_count` option columns."""
    options = [option_header(label) for label in OPTION_LABELS[:option_count]]
    tail = [ANSWER, EXPLANATION, POINTS, DIFFICULTY, CATEGORY, KNOWLEDGE_POINTS, TAGS]
    return [TYPE, STEM, *options, *tail]


def option_columns_needed(questions: list[Question]) -> int:
    """How many option columns the questions need: the template's eight or up to the highest
    label used. ValueError for a label that is not a letter A–Z, which has no column."""
    used = [_column(option.label) + 1 for q in questions for option in q.options]
    return max([TEMPLATE_OPTIONS, *used])


def _column(label: str) -> int:
    if len(label) != 1 or label not in OPTION_LABELS:
        raise ValueError(N_("选项标签 '%(label)s' 不是 A–Z 字母, 无法导出", label=label))
    return OPTION_LABELS.index(label)


def split_list(text: str) -> list[str]:
    """'售后、退换货, 话术' -> ['售后', '退换货', '话术']."""
    return [item.strip() for item in LIST_SPLIT.split(text) if item.strip()]


def question_row(question: Question, option_count: int) -> list[Cell]:
    """One question as the cells under `headers(option_count)`; option X goes under 选项X."""
    question_type = get_type(question.type)
    options = [""] * option_count
    for option in question.options:
        options[_column(option.label)] = option.text
    return [
        question_type.label,
        question.stem,
        *options,
        question_type.format_answer(question.answer),
        question.explanation or "",
        _number(question.points),
        question.difficulty,
        question.category or "",
        LIST_SEPARATOR.join(question.knowledge_points),
        LIST_SEPARATOR.join(question.tags),
    ]


def _number(value: float) -> int | float:
    """2.0 is written as 2 so the cell reads like a person typed it."""
    return int(value) if float(value).is_integer() else value
