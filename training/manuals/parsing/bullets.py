"""Sub-bullets inside a part's text: "接待客户- 欢迎客户；- 关注需求；- 记录信息。"

Converters flatten a Word list under a numbered item into one line, each bullet's "- " left in
the middle of it. The parser puts such bullets one per line ("接待客户\\n- 欢迎客户；\\n- …"),
so the stored text says where each bullet starts; the reader draws lines that start with "- "
as a list (`text_blocks`), for editions imported before this rule too, since it is the same
function. A dash counts as a bullet only when at least two are found in one line, each after
punctuation or a space or before a space, and none before a digit: "9:00-18:30", "2024-01-01"
and a single "客户-产品" stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BULLET = "- "
_DASHES = "-－"
_BEFORE = "；;。，,：:、"


def _is_marker(line: str, at: int) -> bool:
    following = line[at + 1 :].lstrip()[:1]
    if not following or following.isdigit() or following in _DASHES:
        return False
    before = line[at - 1] if at else " "
    after = line[at + 1 : at + 2]
    return before in _BEFORE or before.isspace() or after.isspace()


def _markers(line: str) -> list[int]:
    found = [at for at, char in enumerate(line) if char in _DASHES and _is_marker(line, at)]
    return found if len(found) >= 2 else []


def bullet_lines(text: str) -> str:
    """`text` with inline "- " bullets each on a line of its own, starting with "- "."""
    lines: list[str] = []
    for line in text.split("\n"):
        spots = _markers(line)
        if not spots:
            lines.append(line)
            continue
        lead = line[: spots[0]].rstrip()
        if lead:
            lines.append(lead)
        ends = [*spots[1:], len(line)]
        lines += [BULLET + line[start + 1 : end].strip() for start, end in zip(spots, ends, strict=True)]
    return "\n".join(lines)


@dataclass
class TextBlock:
    """A run of plain lines (`items` empty) or of bullets (`text` empty)."""

    text: str = ""
    items: list[str] = field(default_factory=list)


def text_blocks(text: str) -> list[TextBlock]:
    """A part's text as the reader draws it: paragraphs, and bullet lines grouped as lists."""
    blocks: list[TextBlock] = []
    for line in bullet_lines(text or "").split("\n"):
        if line.startswith(BULLET):
            if not blocks or not blocks[-1].items:
                blocks.append(TextBlock())
            blocks[-1].items.append(line[len(BULLET) :])
        elif blocks and not blocks[-1].items:
            blocks[-1].text = f"{blocks[-1].text}\n{line}"
        else:
            blocks.append(TextBlock(text=line))
    return [block for block in blocks if block.text.strip() or block.items]
