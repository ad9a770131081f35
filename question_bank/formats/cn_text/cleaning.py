"""Remove what conversion and scraping add to a paper: page numbers, watermarks, running heads.

Lines are blanked, never removed or merged, so every later step still reports the line number
the author sees in the source. A running head is a short line repeated three times or more
that does not look like part of a question (options such as "A.正确" repeat legitimately).
"""

from __future__ import annotations

import re
from collections import Counter

from question_bank.formats.cn_text.reflow import FENCE
from question_bank.formats.cn_text.sections import header_at_start
from question_bank.formats.cn_text.vocabulary import MARKERS, fold

_INVISIBLE = dict.fromkeys(
    [*range(0x200B, 0x2010), 0x2060, 0xFEFF, 0xFFFD, 0x00AD, *range(0xE000, 0xF900)]
)
_WHITESPACE = str.maketrans({"\t": " ", "\x0b": " ", "\x0c": " ", "\r": " "})
_BULLET = re.compile(r"^\s*(?:[•❖●◆■□▪◇○◎★☆►▶·※]+|[-*](?=\s))\s*")
_PAGE_INLINE = re.compile(r"第\s*\d+\s*页\s*[,/、]?\s*共\s*\d+\s*页|第PAGE页共NUMPAGES页")
_PAGE_LINE = re.compile(
    r"^(?:第\s*\d+\s*页|共\s*\d+\s*页\s*,?\s*第\s*\d+\s*页|[-—–]{1,2}\s*\d+\s*[-—–]{1,2}"
    r"|\d{1,4}|\d+\s*/\s*\d+|page\s*\d+(?:\s*of\s*\d+)?|\d+\s*页)$",
    re.IGNORECASE,
)
_WATERMARK = re.compile(
    r"精选课件|精品课件|课件ppt|仅供学习|仅供参考|仅供个人|版本可编辑|可编辑修改|专业资料整理|欢迎下载"
    r"|下载文档前请自行甄别|仅部分预览|如文档侵犯您的权益|由用户提供并上传|继续免费阅读|下载本文档"
    r"|^(?:https?://|www\.)\S+$"
)
# Document sites: page titles per page, reading counters, sharing and copyright lines; looked
# for only in lines holding one of their characters, as most lines hold none.
_SITE_HINT = re.compile("[页頁图圖阅閱剩續載版档檔览覽享]|image")
_SITE_NOISE = re.compile(
    r"_第\s*\d+\s*[页頁]\s*$|^(?:image|图片|圖片)$|已[阅閱]读\s*\d+\s*[页頁]|还剩\s*\d+\s*页"
    r"|繼續免費閱讀|下載本文檔|版[权權]说明|版權說明|^文[档檔][简簡]介$|浏览次数|瀏覽次數|阅读次数"
    r"|^分享到|本文档所有内容"
)
# The form on a paper's first page: 姓名____ 学号____, 题号 一 二 三 总分, 得分 评卷人.
_FORM_FIELD = re.compile(r"姓名|学号|班级|专业|考号|准考证号|座位号|得分|评卷人|阅卷人|总分|题号")
_FORM_FIELDS = 2
_STRUCTURAL = re.compile(
    r"^\s*(?:第\s*\d+\s*题|\d{1,4}\s*[.、]|\(\d{1,3}\)|\(?[A-H][.、:)])|[?:]\s*$|_{2,}|\(\s*\)"
)
_REPEATS = 3
_SHORT = 40
_WATERMARK_LENGTH = 60


def clean_lines(lines: list[str]) -> list[str]:
    """The same number of lines, noise blanked and invisible characters removed; code between
    ``` fences is kept as written."""
    joined = "\n".join(lines)
    code = _fenced(lines) if "```" in joined or "~~~" in joined else [False] * len(lines)
    tidy = [
        line.translate(_INVISIBLE) if fenced else _tidy(line)
        for line, fenced in zip(lines, code, strict=True)
    ]
    counts = Counter(_key(line) for line in tidy if line)
    return [
        line if fenced or not (_is_noise(line) or _is_running_head(line, counts)) else ""
        for line, fenced in zip(tidy, code, strict=True)
    ]


def _fenced(lines: list[str]) -> list[bool]:
    """Which lines are code inside a ``` fence (the fences themselves are not)."""
    inside, marks = False, []
    for line in lines:
        fence = ("`" in line or "~" in line) and bool(FENCE.match(line))
        marks.append(inside and not fence)
        inside = inside != fence
    return marks


def _tidy(line: str) -> str:
    text = _PAGE_INLINE.sub(" ", line.translate(_INVISIBLE).translate(_WHITESPACE)).strip()
    if _PAGE_LINE.match(fold(text)):
        return ""
    return _BULLET.sub("", text).strip()


def _key(line: str) -> str:
    return "".join(fold(line).split())


def _is_noise(line: str) -> bool:
    if len(line) > _WATERMARK_LENGTH:
        return False
    folded = fold(line)
    site = bool(_SITE_HINT.search(folded)) and bool(_SITE_NOISE.search(folded))
    return (
        site or bool(_WATERMARK.search(folded)) or len(_FORM_FIELD.findall(folded)) >= _FORM_FIELDS
    )


def _is_running_head(line: str, counts: Counter[str]) -> bool:
    if not line or len(line) > _SHORT or counts[_key(line)] < _REPEATS:
        return False
    folded = fold(line)
    structural = _STRUCTURAL.search(folded) or MARKERS.search(folded) or header_at_start(folded)
    return not structural
