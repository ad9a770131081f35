"""Remove what document-sharing sites and format converters add to regulation text.

Cleaning keeps one output line per input line (removed lines become "") so problems can
still point at the line numbers of the uploaded file.
"""

from __future__ import annotations

import re

# Watermark and advertising lines of document-sharing sites (doc88, renrendoc, wenku …).
_NOISE_LINE = re.compile(
    r"下载文档前请自行甄别|仅部分预览|如文档侵犯您的权益|本文档由.{0,30}提供|"
    r"^(?:合集下载|精品|相关文档|最新文档|猜你喜欢|热门内容|目\s*录)$|"
    r"^格式\s*[:：]\s*[A-Za-z]{2,5}$|^大小\s*[:：]\s*[\d.]+\s*[KMG]?B$|^文档页数\s*[:：]\s*\d+$|"
    r"^第\s*\d+\s*页\s*(?:[,，/]?\s*共\s*\d+\s*页)?$|^-\s*\d+\s*-$|^\d{1,3}$"
)
# Watermarks glued to the end of a real sentence: "…热心地接受。 如有侵权请联系告知删除,… 精品".
_NOISE_INLINE = re.compile(
    r"如有侵权请联系告知删除[^。!！]{0,20}[!！。]?|-*\s*精选(?:公文范文|课件ppt)\s*-*|\s+精品$"
)
# Bullets and Markdown list/quote markers in front of the real text: "- ", "• ", "❖ ", "> ".
_BULLET = re.compile(r"^(?:[-*+>]\s+|[•·❖●◆■□▪➢]\s*)+")
# "第1篇" / "【篇一】": the n-th piece of a scraped collection, glued before its first chapter.
_PIECE_PREFIX = re.compile(
    r"^(?:第\s*[0-9０-９一二三四五六七八九十]+\s*篇|【篇[一二三四五六七八九十]+】)\s*"
    r"(?=第|[一二三四五六七八九十]+、|$)"
)
# Leading stray punctuation left by PDF/HTML conversion: ". 客户服务管理流程".
_LEADING_PUNCT = re.compile(r"^[.．,，、;；:：]+\s*")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u2009\x0b\x0c]+")

# "(3篇)" / "第1篇" / "【2篇】" after a title: the collection, not the regulation.
_TITLE_PIECES = re.compile(
    r"\s*(?:[(（【]\s*[0-9０-９一二三四五六七八九十]+\s*篇\s*[)）】]|第\s*[0-9０-９]+\s*篇)\s*$"
)
_TITLE_QUOTES = re.compile(r"^《(.+)》$")
_TITLE_TRAILING_PUNCT = re.compile(r"[\s:：,，;；。.]+$")


def clean_line(line: str) -> str:
    """One line without conversion noise; "" when the whole line is noise."""
    line = _SPACES.sub(" ", line.replace("旳", "的").replace("**", "")).strip()
    line = _NOISE_INLINE.sub("", line).strip()
    line = _BULLET.sub("", line)
    line = _PIECE_PREFIX.sub("", line)
    line = _LEADING_PUNCT.sub("", line).strip()
    return "" if _NOISE_LINE.search(line) else line


def clean_lines(lines: list[str]) -> list[str]:
    """Clean every line, keeping the line count (and so the line numbers) unchanged."""
    return [clean_line(line) for line in lines]


def clean_title(title: str) -> str:
    """Title without collection suffixes (3篇), book quotes 《》 or trailing punctuation."""
    title = _TITLE_PIECES.sub("", title.strip())
    title = _TITLE_TRAILING_PUNCT.sub("", title)
    quoted = _TITLE_QUOTES.match(title)
    return quoted.group(1).strip() if quoted else title
