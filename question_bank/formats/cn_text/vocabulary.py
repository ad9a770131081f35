"""The words and marks of Chinese exam papers, shared by every step of the cn-text parser.

Every pattern here runs on *folded* text: full-width ASCII (Ａ１．（：), the ideographic space
and the traditional forms of the few characters our markers use are mapped one character for
one character, so a position found in the folded line is the same position in the original
line and stems keep the author's own punctuation.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TRADITIONAL = "單項選擇題斷詞釋簡論參確誤錯對與並號個"
_SIMPLIFIED = "单项选择题断词释简论参确误错对与并号个"

_FOLD = {
    **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)},
    **{ord(t): ord(s) for t, s in zip(_TRADITIONAL, _SIMPLIFIED, strict=True)},
    0x3000: 0x20,
    0x00A0: 0x20,
    0x3014: ord("("),
    0x3015: ord(")"),
    0xFE59: ord("("),
    0xFE5A: ord(")"),
}

_FOLDED = {chr(source): chr(target) for source, target in _FOLD.items()}
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLDED)) + "]")

CJK = r"\u4e00-\u9fff"
CN_ORDINAL = "一二三四五六七八九十"
ROMAN_ORDINAL = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"

# Section names as papers write them, longest first, each with the type it implies.
# "choice" (选择题) is decided per question by how many letters its answer has.
_SECTION_NAMES: tuple[tuple[str, str], ...] = (
    ("不定项选择题?", "multiple"),
    ("单项选择题?|单选题?", "single"),
    ("多项选择题?|多选题?", "multiple"),
    ("选择题", "choice"),
    ("判断(?:正误|改错|说明|分析)题?|正误判断题?|是非判断题?|判断题|是非题", "true_false"),
    ("填空题?", "fill_blank"),
    ("名词解释题?|概念解释题?|简答题|简述题|问答题|计算题", "short_answer"),
    ("综合论述题|论述题", "essay"),
    ("案例分析题?|案例讨论题?|案例题|材料分析题?|情[景境]分析题?|综合分析题", "case"),
)
SECTION_NAME = "|".join(pattern for pattern, _ in _SECTION_NAMES)
_SECTION_TYPES = [(re.compile(f"(?:{pattern})$"), kind) for pattern, kind in _SECTION_NAMES]

TF_TRUE = ("正确", "对", "√", "✓", "✔", "是", "T", "Y")
TF_FALSE = ("错误", "错", "×", "✗", "✘", "否", "F", "X", "N")
TF_WORD = "正确|错误|[对错√×✓✗✔✘是否TFXYN]"
TF_MARK = "[√×✓✗✔✘]"

BLANK = re.compile(r"_{2,}|\(\s*\)")

ANSWER_MARK = (
    r"[【\[]\s*(?:参考|正确|标准)?答案\s*[】\]]\s*:?"
    r"|(?:参考|正确|标准)?答案(?!解析)\s*(?:为|是)?\s*:"
    rf"|(?:参考|正确|标准)?答案\s*[;；]?(?=\s*(?:[A-H]|{TF_MARK}))"
    rf"|(?<![{CJK}])答\s*:"
)
EXPLANATION_MARK = (
    r"[【\[]\s*(?:答案|试题|题目)?(?:解析|详解|分析|点拨|点评)\s*[】\]]\s*:?"
    r"|(?:答案|试题|题目)?解析\s*:|详解\s*:"
)
META_MARK = (
    r"[【\[]\s*(?:难度|知识点|考点|题型|分值|来源|标签|出处)\s*[】\]]|(?:难度|知识点|考点)\s*:"
)
MARKERS = re.compile(
    f"(?P<explanation>{EXPLANATION_MARK})|(?P<answer>{ANSWER_MARK})|(?P<meta>{META_MARK})"
)
# How a subjective question asks: '简述…', '什么是…'.
ASKS = re.compile(r"^\s*(?:请)?(?:简述|试述|试论|论述|试分析|简要分析|简要说明|什么是|何谓)")
# The heading of an answer key: 参考答案, 【答案】, 答案及解析(仅供参考)：…
KEY_HEADING = re.compile(
    rf"\s*(?:附\s*:?\s*)?(?:[{CN_ORDINAL}]{{1,3}}\s*[、.]\s*)?[【\[]?\s*"
    r"(?:参考答案|标准答案|试题答案|试卷答案|答案)\s*(?:[及与和]\s*(?:解析|评分标准|评分参考|详解|提示))?"
    r"\s*[】\]]?\s*(?:\([^)]{0,30}\))?\s*:?\s*"
)
# An objective answer as a key writes it — B, ABD, √, 对, 正确 — not the start of a word.
OBJECTIVE_TOKEN = rf"(?:[A-Ha-h]{{1,8}}|{TF_WORD})(?![A-Za-z{CJK}])"


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Half-width, simplified twin of `text` with exactly the same length.

    Cached, as every step folds the same lines and fragments again; a regex visits only the
    few characters that change, about twice as fast as str.translate on Chinese text.
    """
    return _FOLDABLE.sub(_fold_one, text)


def _fold_one(match: re.Match[str]) -> str:
    return _FOLDED[match.group()]


def section_type(name: str) -> str:
    """The question type a section name implies ('choice' when the answer must decide)."""
    folded = fold(name)
    return next(kind for pattern, kind in _SECTION_TYPES if pattern.match(folded))


def cn_number(text: str) -> int | None:
    """1 for 一, 12 for 十二, 3 for Ⅲ: the ordinals papers put before their sections."""
    if text and text in ROMAN_ORDINAL:
        return ROMAN_ORDINAL.index(text) + 1
    if not text or any(c not in CN_ORDINAL for c in text):
        return None
    tens, _, units = text.rpartition("十")
    if "十" not in text:
        return CN_ORDINAL.index(text) + 1 if len(text) == 1 else None
    return (CN_ORDINAL.index(tens) + 1 if tens else 1) * 10 + (
        CN_ORDINAL.index(units) + 1 if units else 0
    )
