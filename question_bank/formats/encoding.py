"""Decode uploaded text files: UTF-8 (with or without BOM), GBK or GB18030.

Chinese exam papers and regulations arrive in whatever encoding the author's Word or Notepad
used. UTF-8 is tried strictly first, then GB18030 (a superset of GBK and GB2312), then
charset-normalizer's best guess; the encoding used is reported so previews can show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import from_bytes


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def decode_text(data: bytes) -> DecodedText:
    """Return the text of `data` and the encoding that decoded it; never raises."""
    if data.startswith(b"\xef\xbb\xbf"):
        return DecodedText(data[3:].decode("utf-8", errors="replace"), "utf-8-sig")
    for encoding in ("utf-8", "gb18030"):
        try:
            return DecodedText(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is not None:
        return DecodedText(str(best), best.encoding)
    return DecodedText(data.decode("utf-8", errors="replace"), "utf-8")
