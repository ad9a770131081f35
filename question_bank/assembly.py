"""Assembling papers from rules: which questions a section may take, whether a pool suffices, a draw.

Plain values in and out (no Flask, no database), so the same rules serve the paper editor's
validation, the exam's draw and later reports. A paper never shows one question twice, so
sections compete for questions their filters share; feasibility and the draw therefore treat
the paper as one assignment of questions to sections, not as independent samples.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

CATEGORY_SEPARATOR = "/"
DIFFICULTY_RANGE = (1, 5)


@dataclass(frozen=True)
class Candidate:
    """A question as the assembler sees it: only what rules filter on and what it is worth."""

    id: int
    type: str
    difficulty: int
    category_path: str | None = None
    tags: frozenset[str] = frozenset()
    knowledge_points: frozenset[str] = frozenset()
    points: float = 1.0


@dataclass
class SectionRule:
    """How many questions of what kind a section draws, and what each is worth.

    Empty filter lists mean "any". Within one list any entry may match (a question in either
    category, carrying either tag); different filters must all match. A category includes its
    subtree, because trainers organise banks as trees and think of a branch as one topic.
    """

    title: str
    type: str | None
    count: int
    points_each: float
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    knowledge_points: list[str] = field(default_factory=list)
    difficulty_min: int = DIFFICULTY_RANGE[0]
    difficulty_max: int = DIFFICULTY_RANGE[1]

    def accepts(self, candidate: Candidate) -> bool:
        """Whether the candidate passes every filter of this section."""
        if self.type and candidate.type != self.type:
            return False
        if not self.difficulty_min <= candidate.difficulty <= self.difficulty_max:
            return False
        if self.categories and not any(
            _in_subtree(candidate.category_path, path) for path in self.categories
        ):
            return False
        if self.tags and not candidate.tags.intersection(self.tags):
            return False
        return not (
            self.knowledge_points
            and not candidate.knowledge_points.intersection(self.knowledge_points)
        )


@dataclass(frozen=True)
class Shortfall:
    """A section the pool cannot fill: it needs `needed`, it can get `available`.

    `eligible` counts every question passing the section's filters; when it exceeds
    `available`, earlier sections have claimed the difference.
    """

    section_index: int
    title: str
    needed: int
    available: int
    eligible: int

    @property
    def missing(self) -> int:
        return self.needed - self.available


@dataclass(frozen=True)
class DrawnSection:
    title: str
    question_ids: list[int]


class ShortfallError(ValueError):
    """The pool cannot satisfy the rules; a short paper is never drawn silently."""

    def __init__(self, shortfalls: list[Shortfall]) -> None:
        super().__init__(f"{len(shortfalls)} section(s) cannot be filled")
        self.shortfalls = shortfalls


def _in_subtree(path: str | None, root: str) -> bool:
    root = root.strip(CATEGORY_SEPARATOR)
    return path is not None and (path == root or path.startswith(root + CATEGORY_SEPARATOR))


def eligible(rule: SectionRule, pool: Sequence[Candidate]) -> list[Candidate]:
    """The candidates of `pool` that `rule` accepts, in pool order."""
    return [c for c in pool if rule.accepts(c)]


class _Assignment:
    """Questions assigned to sections so that no question serves two sections.

    Sections are filled in paper order. When a section runs short, an augmenting path (as in
    bipartite matching) lets an earlier section swap to another question it also accepts and
    free one for the later section, so a paper is refused only when no assignment at all
    exists, and an earlier section never loses a question it had.
    """

    def __init__(self, rules: Sequence[SectionRule], ordered: list[Candidate]) -> None:
        self.rules = rules
        self.rank = {c.id: i for i, c in enumerate(ordered)}
        self.eligible = [eligible(rule, ordered) for rule in rules]
        self.owner: dict[int, int] = {}
        self.taken: list[set[int]] = [set() for _ in rules]

    def fill(self, index: int) -> int:
        """Give section `index` as many questions as possible; return how many it holds."""
        wanted = max(self.rules[index].count, 0)
        for candidate in self.eligible[index]:
            if len(self.taken[index]) >= wanted:
                break
            if candidate.id not in self.owner:
                self._give(candidate.id, index)
        while len(self.taken[index]) < wanted and self._augment(index):
            pass
        return len(self.taken[index])

    def _give(self, question_id: int, index: int) -> None:
        previous = self.owner.get(question_id)
        if previous is not None:
            self.taken[previous].discard(question_id)
        self.owner[question_id] = index
        self.taken[index].add(question_id)

    def _augment(self, start: int) -> bool:
        """Find a chain of swaps ending at an unclaimed question (breadth first); apply it."""
        came_from: dict[int, tuple[int, int] | None] = {start: None}
        frontier = [start]
        while frontier:
            following = []
            for section in frontier:
                for candidate in self.eligible[section]:
                    holder = self.owner.get(candidate.id)
                    if holder is None:
                        self._apply(came_from, section, candidate.id)
                        return True
                    if holder not in came_from:
                        came_from[holder] = (section, candidate.id)
                        following.append(holder)
            frontier = following
        return False

    def _apply(self, came_from: dict[int, tuple[int, int] | None], section: int, question_id: int) -> None:
        while True:
            self._give(question_id, section)
            step = came_from[section]
            if step is None:
                return
            section, question_id = step

    def ordered(self, index: int) -> list[int]:
        return sorted(self.taken[index], key=self.rank.__getitem__)


def _assign(rules: Sequence[SectionRule], ordered: list[Candidate]) -> tuple[_Assignment, list[Shortfall]]:
    assignment = _Assignment(rules, ordered)
    shortfalls = []
    for index, rule in enumerate(rules):
        got = assignment.fill(index)
        if got < rule.count:
            shortfalls.append(
                Shortfall(index, rule.title, rule.count, got, len(assignment.eligible[index]))
            )
    return assignment, shortfalls


def _by_id(pool: Sequence[Candidate]) -> list[Candidate]:
    """The pool in a canonical order, so results never depend on how the caller sorted it."""
    return sorted(pool, key=lambda c: c.id)


def check_rules(rules: Sequence[SectionRule], pool: Sequence[Candidate]) -> list[Shortfall]:
    """Every section the pool cannot fill, with how many questions it lacks.

    Counts questions claimed by earlier sections as gone, since a paper never repeats one.
    An empty list means `draw` fills every section, whatever the seed.
    """
    return _assign(rules, _by_id(pool))[1]


def draw(rules: Sequence[SectionRule], pool: Sequence[Candidate], seed: int) -> list[DrawnSection]:
    """A random paper for `seed`: each section's questions, none repeated across sections.

    The pool is shuffled once with `random.Random(seed)` and every choice follows that order,
    so the same seed and pool give the same paper (an attempt can be reproduced from its seed)
    and different seeds give different papers. Raises ShortfallError rather than drawing short.
    """
    ordered = _by_id(pool)
    random.Random(seed).shuffle(ordered)
    assignment, shortfalls = _assign(rules, ordered)
    if shortfalls:
        raise ShortfallError(shortfalls)
    return [DrawnSection(rule.title, assignment.ordered(i)) for i, rule in enumerate(rules)]


def expected_difficulty(rules: Sequence[SectionRule], pool: Sequence[Candidate]) -> float | None:
    """The mean difficulty a draw can be expected to have, or None when nothing is eligible.

    Each section contributes the mean difficulty of the questions it accepts, weighted by how
    many it draws: a trainer sees whether the rules lean easy or hard before anyone sits it.
    """
    weighted = weight = 0.0
    for rule in rules:
        accepted = eligible(rule, pool)
        if accepted and rule.count > 0:
            weighted += rule.count * sum(c.difficulty for c in accepted) / len(accepted)
            weight += rule.count
    return weighted / weight if weight else None


def total_points(rules: Sequence[SectionRule]) -> float:
    """What a full paper drawn by these rules is worth."""
    return sum(max(rule.count, 0) * rule.points_each for rule in rules)
