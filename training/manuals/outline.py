"""Between a parsed regulation's tree and the flat rows the library stores, both ways.

Pure functions (no database): `outline_rows` flattens a parsed document with each part's
anchor and article flag; `part_tree` rebuilds the tree from stored rows for the templates, and
`articles_with_text` gives each article with the text below it, for search and diffs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from training.manuals.parsing import Document, Part


@dataclass(frozen=True)
class OutlineRow:
    """One part of a parsed document as it will be stored."""

    part: Part
    parent: Part | None
    depth: int
    anchor: str
    is_article: bool


def outline_rows(document: Document) -> list[OutlineRow]:
    """Every part in reading order, with its permalink anchor and whether it is an article."""
    short = _articles_numbered_once(document)
    return list(_rows(document.parts, None, 0, short, None, False))


def _rows(
    parts: list[Part],
    parent: Part | None,
    depth: int,
    short: bool,
    prefix: str | None,
    in_article: bool,
) -> Iterator[OutlineRow]:
    """`prefix` is the part of the key dropped from anchors below a shortened article."""
    for part in parts:
        article = not in_article and (part.kind == "article" or not _has_article(part))
        own_prefix = prefix
        if article and part.kind == "article" and short:
            own_prefix = f"{parent.key}-" if parent else ""
        anchor = part.key[len(own_prefix) :] if own_prefix else part.key
        yield OutlineRow(part, parent, depth, anchor, article)
        yield from _rows(part.parts, part, depth + 1, short, own_prefix, in_article or article)


def _has_article(part: Part) -> bool:
    return any(child.kind == "article" for child in part.walk())


def _articles_numbered_once(document: Document) -> bool:
    """Articles numbered through the whole text keep "a8" as anchor when chapters move.

    Regulations that restart 第一条 in every chapter keep the chapter in the anchor ("ch2-a1").
    """
    own_keys = list(_article_own_keys(document.parts, ""))
    return len(own_keys) == len(set(own_keys))


def _article_own_keys(parts: list[Part], parent_key: str) -> Iterator[str]:
    for part in parts:
        if part.kind == "article":
            yield part.key[len(parent_key) + 1 :] if parent_key else part.key
        yield from _article_own_keys(part.parts, part.key)


def content_hash(document: Document) -> str:
    """Fingerprint of a regulation's content: re-importing the same text changes nothing."""
    payload = json.dumps([document.preamble, document.to_json()["parts"]], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class StoredPart(Protocol):
    """What the functions below need of a stored part (an ORM object or a result row)."""

    depth: int
    is_article: bool
    label: str
    title: str | None
    text: str


P = TypeVar("P", bound=StoredPart)


@dataclass
class PartNode(Generic[P]):
    """A stored part with the parts nested under it, for templates and article texts."""

    part: P
    children: list[PartNode[P]] = field(default_factory=list)

    def walk(self) -> Iterator[PartNode[P]]:
        yield self
        for child in self.children:
            yield from child.walk()


def part_tree(parts: Iterable[P]) -> list[PartNode[P]]:
    """Rebuild the tree from parts in reading order, using their depths (no parent lookups)."""
    roots: list[PartNode[P]] = []
    open_nodes: list[PartNode[P]] = []
    for part in parts:
        node = PartNode(part)
        while open_nodes and open_nodes[-1].part.depth >= part.depth:
            open_nodes.pop()
        (open_nodes[-1].children if open_nodes else roots).append(node)
        open_nodes.append(node)
    return roots


def article_nodes(nodes: list[PartNode[P]]) -> Iterator[PartNode[P]]:
    """The article nodes of a tree, in reading order."""
    for node in nodes:
        if node.part.is_article:
            yield node
        else:
            yield from article_nodes(node.children)


def part_line(part: StoredPart) -> str:
    """'第八条 服务规范 客户服务规范：' — label, title and text on one line."""
    return " ".join(filter(None, (part.label, part.title, part.text)))


def articles_with_text(parts: Iterable[P]) -> list[tuple[P, str]]:
    """Each article with its body: its own text, then a line for each part below it."""
    return [
        (node.part, "\n".join(filter(None, (node.part.text, *map(_line, node.children)))))
        for node in article_nodes(part_tree(parts))
    ]


def _line(node: PartNode[P]) -> str:
    return "\n".join(part_line(below.part) for below in node.walk())
