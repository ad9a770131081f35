"""Chinese numerals (一 … 九十九, 一百零一) and Arabic digits as used in article numbers."""

from __future__ import annotations

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CHINESE_DIGITS = "零一二三四五六七八九"


def parse_number(text: str) -> int | None:
    """Return the value of `第X条`'s X (十二, 一百零五, 8, ８), or None if X is not a number."""
    text = text.strip().translate(_FULLWIDTH_DIGITS)
    if not text:
        return None
    if text.isascii():
        return int(text) if text.isdigit() else None
    if all(ch in _DIGITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    return _parse_with_units(text)


def _parse_with_units(text: str) -> int | None:
    """Read 一百二十三 style numerals; reject sequences such as 十十 or 百三千."""
    total, pending, last_unit = 0, None, 10_000
    for ch in text:
        if ch in _DIGITS:
            if pending is not None and pending != 0:
                return None
            pending = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None
            total += (pending or 1) * unit
            pending, last_unit = None, unit
        else:
            return None
    return total + (pending or 0)


def to_chinese(number: int) -> str:
    """Write 1…9999 the way regulations number their articles (十一, 二十, 一百零五)."""
    if number <= 0:
        return _CHINESE_DIGITS[0] if number == 0 else str(number)
    if number >= 10_000:
        return str(number)
    parts: list[str] = []
    gap = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, unit)
        if digit:
            if gap and parts:
                parts.append("零")
            parts.append(_CHINESE_DIGITS[digit] + name)
            gap = False
        else:
            gap = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text
