"""A typed reply judged against the step's scoring points and forbidden phrases, on jieba words.

A phrase's word matches where it stands in the reply on jieba token boundaries: its text must
start where a token starts and end where a token ends. Tokens come from jieba's search mode (a
long word also yields the words inside it: 今天下午 gives 今天 and 下午) without its guessing of
new words (which glues 这不归 together and would hide 不归我管). Cutting the phrase on its own
would depend on jieba's context, and a plain substring search would find 管 inside 管理;
boundary matching avoids both. A word inside a negation still matches (负责 in 不负责任): the
reviewer sees every typed reply.

The verdict is a suggestion: a trainer reviews every typed reply (`suggested` on the move).
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jieba

from training.roleplay.script import Dimension, Node

jieba.setLogLevel(logging.WARNING)  # it logs dictionary loading at DEBUG to stderr


@dataclass(frozen=True)
class Verdict:
    points: dict[Dimension, float]  # earned minus penalties, per dimension
    matched: tuple[str, ...]  # the scoring points earned (their labels, or first phrase)
    forbidden: tuple[str, ...]  # reasons of the forbidden phrases found
    critical: str | None  # reasons of critical forbidden phrases found, or None
    mood: int  # the change of the customer's mood


@dataclass(frozen=True)
class Reply:
    """A reply's normalised text and the offsets where its jieba tokens start and end."""

    text: str
    starts: frozenset[int]
    ends: frozenset[int]

    def has_word(self, word: str) -> bool:
        word = normalise(word)
        at = self.text.find(word)
        while at >= 0:
            if at in self.starts and at + len(word) in self.ends:
                return True
            at = self.text.find(word, at + 1)
        return False

    def matches(self, phrase: str) -> bool:
        """Any `|` alternative whose space-separated words all stand in the reply."""
        return any(
            all(self.has_word(word) for word in alternative.split())
            for alternative in phrase.split("|")
            if alternative.strip()
        )

    def matches_any(self, phrases: tuple[str, ...]) -> bool:
        return any(self.matches(phrase) for phrase in phrases)


def normalise(text: str) -> str:
    """Full-width to half-width and lower case, so ＯＫ, ok and OK are one word."""
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=1024)
def tokenized(text: str) -> Reply:
    text = normalise(text)
    tokens = list(jieba.tokenize(text, mode="search", HMM=False))
    return Reply(
        text,
        frozenset(start for _, start, _ in tokens),
        frozenset(end for _, _, end in tokens),
    )


def judge(node: Node, reply_text: str) -> Verdict:
    """Suggested points, matched scoring points, forbidden phrases and mood for a typed reply."""
    reply = tokenized(reply_text)
    points: dict[Dimension, float] = {}
    matched = []
    for point in node.scoring:
        if reply.matches_any(point.phrases):
            points[point.dimension] = points.get(point.dimension, 0.0) + point.points
            matched.append(point.label or point.phrases[0])
    hits = [item for item in node.forbidden if reply.matches_any(item.phrases)]
    for item in hits:
        if item.dimension is not None and item.penalty:
            points[item.dimension] = points.get(item.dimension, 0.0) - item.penalty
    critical = "；".join(item.reason for item in hits if item.critical) or None
    return Verdict(
        points=points,
        matched=tuple(matched),
        forbidden=tuple(item.reason for item in hits),
        critical=critical,
        mood=node.mood_matched if matched else node.mood_missed,
    )
