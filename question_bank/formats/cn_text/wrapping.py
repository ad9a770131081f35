"""Join the lines of a stem, option or answer the way the author wrote them.

PDF and scraped text breaks Chinese sentences anywhere; a break after a full stop is a
paragraph, a break between two Chinese characters is only a wrap.
"""

from __future__ import annotations

import re

_PARAGRAPH_END = tuple("。！？!?；;：:”」）)")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_LIST_ITEM = re.compile(
    r"(?:\d{1,2}\s*[.、．)）]|[(（]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,2}[、.．])"
)


_FENCE = re.compile(r"^\s*(?:```|~~~)")


def unwrap(text: str) -> str:
    """Lines joined: paragraphs kept on their own lines, wrapped lines glued back; code
    between ``` fences kept line for line, as written."""
    joined, fenced = "", False
    for raw in text.split("\n"):
        fence = bool(_FENCE.match(raw))
        line = raw.rstrip() if fenced and not fence else raw.strip()
        if fenced or fence:
            joined = f"{joined}\n{line}" if joined else line
        elif line:
            joined = _join(joined, line) if joined else line
        fenced = fenced != fence
    return joined


def _join(before: str, after: str) -> str:
    if before.endswith(_PARAGRAPH_END) or _LIST_ITEM.match(after):
        return f"{before}\n{after}"
    if _CJK.match(before[-1]) or _CJK.match(after[0]):
        return before + after
    return f"{before} {after}"
