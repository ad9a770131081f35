"""The parser never raises, whatever the upload holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from training.manuals.parsing import parse_manual

FRAGMENTS = [
    "第一章",
    "总则",
    "第一条",
    "第十条之一",
    "第8条",
    "第二节",
    "一、",
    "（一）",
    "(二)",
    "1.",
    "2、",
    "（1）",
    "①",
    "一是",
    "本制度",
    "依照本办法第十条规定",
    "为规范",
    "客户服务管理制度",
    "# ",
    "## ",
    "**",
    "。",
    "；",
    ":",
    "\n",
    "\n\n",
    " ",
    "旳",
    "合集下载",
    "精品",
    "目录",
    "第1篇",
    "(3篇)",
    "百",
]

mangled_regulations = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=60).map(
    "".join
)


@settings(max_examples=200, deadline=None)
@given(text=mangled_regulations, encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_never_raises_on_mangled_regulations(text: str, encoding: str) -> None:
    result = parse_manual(text.encode(encoding, errors="replace"), "x.txt")
    assert result.to_json()["problems"] is not None
    for document in result.documents:
        assert all(part.address for part in document.walk())


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300), filename=st.sampled_from(["x.txt", "x.md", "x.docx", None]))
def test_never_raises_on_random_bytes(data: bytes, filename: str | None) -> None:
    result = parse_manual(data, filename)
    assert isinstance(result.ok, bool)
