"""Validation of a scenario's conversation graph, and its reachable scores found by walking it.

Two passes. The structure (ignoring moods): references, option counts, endings, weights, nodes
no path reaches, dead ends and cycles with no way out. Then a walk of every run the scenario
allows, node by node with the customer's mood (mood gates open and close as it moves): it finds
gates that never open, decisions that offer nothing at some mood, loops a run can never leave,
the most a single path earns per dimension (`maxima`, what scoring divides by), the highest and
lowest reachable totals, and whether any path passes.

A typed reply is walked three ways: every scoring point matched and no forbidden phrase; nothing
matched; nothing matched and every forbidden phrase used. A loop is walked until it repeats a
state (node, mood, choices taken); a choice made again earns nothing more (see `scoring`), so
the walk ends and the figures are finite.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from training.roleplay.play import clamp, offered
from training.roleplay.scoring import weighted
from training.roleplay.script import Dimension, Node, NodeKind, Scenario

ERROR = "error"
WARNING = "warning"
MOST_PATHS = 200_000  # a walk beyond this many complete runs stops: the figures are then partial
LONGEST_RUN = 300  # steps; a run this long is a loop the walk does not follow further


@dataclass(frozen=True)
class Problem:
    node: str | None  # None: the scenario as a whole
    severity: str  # "error" (cannot be saved) | "warning"
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"node": self.node, "severity": self.severity, "message": self.message}


@dataclass(frozen=True)
class Check:
    problems: list[Problem]
    max_score: float | None  # None when the walk found no complete run
    min_score: float | None
    endings: int  # end nodes some run reaches
    paths: int  # distinct routes (sequences of choices) from the start to an end
    maxima: dict[Dimension, float] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not any(problem.severity == ERROR for problem in self.problems)

    def as_json(self) -> dict[str, Any]:
        """Exactly what `servicecoach scenario validate FILE --json` prints."""
        return {
            "valid": self.valid,
            "problems": [problem.as_json() for problem in self.problems],
            "max_score": self.max_score,
            "min_score": self.min_score,
            "endings": self.endings,
            "paths": self.paths,
        }


def check(scenario: Scenario) -> Check:
    """Every problem of the scenario and its reachable scores."""
    problems = [*_weights(scenario), *_structure(scenario)]
    walk = _Walk(scenario)
    if scenario.start in scenario.nodes:
        walk.run()
    trapped = {p.node for p in problems if "cycle without a way out" in p.message}
    problems += [p for p in walk.problems() if p.node not in trapped or "cycle" not in p.message]
    totals = [walk.total(run) for run in walk.runs]
    if totals and not any(
        total >= scenario.pass_mark and not run.critical
        for total, run in zip(totals, walk.runs, strict=True)
    ):
        problems.append(Problem(None, ERROR, "没有能及格的路径 (no path passes)"))
    return Check(
        problems=problems,
        max_score=max(totals) if totals else None,
        min_score=min(totals) if totals else None,
        endings=len({run.end for run in walk.runs}),
        paths=len({run.route for run in walk.runs}),
        maxima=walk.maxima,
    )


# --- structure ---------------------------------------------------------------------------------


def _weights(scenario: Scenario) -> Iterator[Problem]:
    total = sum(scenario.weights.values())
    if total != 100:
        yield Problem(None, ERROR, f"各维度权重之和为 {total}，应为 100 (weights sum to {total})")
    used = {d for node in scenario.nodes.values() for d in _dimensions_scored(node)}
    for dimension in sorted(used - set(scenario.weights)):
        yield Problem(
            None,
            WARNING,
            f"维度 {dimension} 没有权重，其得分不计入总分 (points in an unweighted dimension)",
        )


def _dimensions_scored(node: Node) -> Iterator[Dimension]:
    for option in node.options:
        yield from option.points
    for point in node.scoring:
        yield point.dimension
    for item in node.forbidden:
        if item.dimension is not None:
            yield item.dimension


def _structure(scenario: Scenario) -> list[Problem]:
    problems = [problem for node in scenario.nodes.values() for problem in _node(scenario, node)]
    if scenario.start not in scenario.nodes:
        problems.append(
            Problem(None, ERROR, f"start 指向不存在的节点 {scenario.start} (no such node)")
        )
        return problems
    reachable = _reach({scenario.start}, lambda n: _successors(scenario, n))
    for node_id in scenario.nodes:
        if node_id not in reachable:
            problems.append(Problem(node_id, ERROR, "没有路径能到达此节点 (unreachable node)"))
    problems += _traps(scenario, reachable)
    return problems


def _node(scenario: Scenario, node: Node) -> Iterator[Problem]:
    """What is wrong with one node on its own: references, option count, endings, gates."""
    if node.kind is NodeKind.END:
        if node.outcome is None:
            yield Problem(node.id, ERROR, "结束节点缺少 outcome (end node without outcome)")
        if node.next or node.options:
            yield Problem(node.id, ERROR, "结束节点不能有后续 (end node with a next)")
        return
    if node.kind is NodeKind.DECISION:
        if not 2 <= len(node.options) <= 5:
            yield Problem(
                node.id,
                ERROR,
                f"决策节点应有 2–5 个选项，现有 {len(node.options)} 个 (2–5 options)",
            )
        for option in node.options:
            yield from _reference(scenario, node, option.next, f"选项 {option.id} 的 next")
            if option.gate and not _gate_can_open(option.gate.at_least, option.gate.below):
                yield Problem(node.id, ERROR, f"选项 {option.id} 的情绪条件不可能满足 (empty gate)")
    elif node.next is None:
        yield Problem(node.id, ERROR, "没有 next，对话在此中断 (dead end)")
    else:
        yield from _reference(scenario, node, node.next, "next")
    if node.kind is NodeKind.FREE_TEXT and not node.scoring:
        yield Problem(node.id, WARNING, "自由回复没有得分点 (free-text step scores nothing)")


def _gate_can_open(at_least: int | None, below: int | None) -> bool:
    low = 0 if at_least is None else at_least
    high = 101 if below is None else below
    return low < high and low <= 100 and high > 0


def _reference(scenario: Scenario, node: Node, target: str, what: str) -> Iterator[Problem]:
    if target not in scenario.nodes:
        yield Problem(node.id, ERROR, f"{what} 指向不存在的节点 {target} (no such node)")


def _successors(scenario: Scenario, node_id: str) -> list[str]:
    node = scenario.nodes[node_id]
    targets = [option.next for option in node.options] if node.options else [node.next]
    return [target for target in targets if target in scenario.nodes]


def _reach(start: set[str], successors: Any) -> set[str]:
    seen = set(start)
    todo = list(start)
    while todo:
        for target in successors(todo.pop()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _traps(scenario: Scenario, reachable: set[str]) -> list[Problem]:
    """Cycles no run can leave: reachable nodes on a cycle from which no end can be reached.

    A dead end (no next) is reported by `_node`; each trapped cycle is named once, at its first
    node in file order."""
    successors = _succ(scenario)
    predecessors: dict[str, list[str]] = {node_id: [] for node_id in scenario.nodes}
    for node_id in scenario.nodes:
        for target in successors(node_id):
            predecessors[target].append(node_id)
    ends = {n.id for n in scenario.nodes.values() if n.kind is NodeKind.END}
    can_end = _reach(ends, lambda n: predecessors[n])
    trapped = [n for n in scenario.nodes if n in reachable and n not in can_end]
    ahead = {n: _reach(set(successors(n)), successors) for n in trapped}
    problems = []
    named: set[str] = set()
    for node_id in trapped:
        if node_id in named or node_id not in ahead[node_id]:
            continue  # named with its cycle, or only leads into a trap named elsewhere
        members = [m for m in trapped if m in ahead[node_id] and node_id in ahead[m]]
        named.update(members)
        problems.append(
            Problem(
                node_id,
                ERROR,
                f"循环 {' → '.join(members)} 没有出口，走不到结束节点 (cycle without a way out)",
            )
        )
    return problems


def _succ(scenario: Scenario) -> Any:
    return lambda n: _successors(scenario, n)


# --- the walk ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    """One complete run the walk found."""

    end: str
    route: tuple[tuple[str, str | None], ...]  # the choices made: (node, option)
    earned: dict[Dimension, float]
    mood: int
    critical: bool


@dataclass(frozen=True)
class _Variant:
    """One way a step can go: its choice, points, mood change, critical mistake, next node."""

    choice: tuple[str, str | None]
    points: dict[Dimension, float]
    mood: int
    critical: bool
    next: str | None


class _Walk:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.runs: list[_Run] = []
        self.opened: set[tuple[str, str]] = set()  # (node, option) offered in some state
        self.visited: set[str] = set()
        self.closed_moods: dict[str, int] = {}  # decision → a mood at which nothing is offered
        self.reentered: set[Any] = set()  # states a run came back to (loop heads)
        self.endless: set[str] = set()  # loop heads from which no run gets out
        self.partial = False
        self.maxima: dict[Dimension, float] = {}

    def run(self) -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, LONGEST_RUN * 3 + 100))
        try:
            self.step(self.scenario.start, self.scenario.mood, frozenset(), {}, False, (), set())
        finally:
            sys.setrecursionlimit(limit)
        for run in self.runs:
            for dimension, points in run.earned.items():
                self.maxima[dimension] = max(self.maxima.get(dimension, 0.0), points)

    def step(
        self,
        node_id: str,
        mood: int,
        taken: frozenset[tuple[str, str | None]],
        earned: dict[Dimension, float],
        critical: bool,
        route: tuple[tuple[str, str | None], ...],
        on_path: set[Any],
    ) -> int:
        """Follow every way on from this state; the number of complete runs found."""
        node = self.scenario.nodes.get(node_id)
        if node is None:
            return 0
        self.visited.add(node_id)
        if node.kind is NodeKind.END:
            self.runs.append(_Run(node_id, route, earned, mood, critical))
            return 1
        state = (node_id, mood, taken)
        if state in on_path or len(route) >= LONGEST_RUN:
            self.reentered.add(state)
            return 0
        if len(self.runs) >= MOST_PATHS:
            self.partial = True
            return 1  # not followed further; not a dead end either
        on_path.add(state)
        found = 0
        for variant in self.variants(node, mood):
            if variant.next is None:
                continue
            fresh = variant.choice not in taken
            found += self.step(
                variant.next,
                clamp(mood + variant.mood),
                taken | {variant.choice},
                _add(earned, variant.points) if fresh else earned,
                critical or variant.critical,
                (*route, variant.choice) if node.kind is NodeKind.DECISION else route,
                on_path,
            )
        on_path.discard(state)
        if not found and state in self.reentered:
            self.endless.add(node_id)
        return found

    def variants(self, node: Node, mood: int) -> list[_Variant]:
        if node.kind is NodeKind.DECISION:
            options = offered(node, mood)
            self.opened.update((node.id, option.id) for option in options)
            if not options and node.options:
                self.closed_moods.setdefault(node.id, mood)
            return [
                _Variant((node.id, o.id), o.points, o.mood, o.critical is not None, o.next)
                for o in options
            ]
        if node.kind is NodeKind.FREE_TEXT:
            return _typed_variants(node)
        return [_Variant((node.id, None), {}, 0, False, node.next)]

    def total(self, run: _Run) -> float:
        return weighted(self.scenario.weights, self.maxima, run.earned, run.mood)[0]

    def problems(self) -> list[Problem]:
        problems = []
        for node in self.scenario.nodes.values():
            if node.id not in self.visited:
                continue
            if node.id in self.closed_moods:
                mood = self.closed_moods[node.id]
                problems.append(
                    Problem(
                        node.id, ERROR, f"情绪为 {mood} 时没有可选的回复 (no option open: dead end)"
                    )
                )
            for option in node.options:
                if option.gate and (node.id, option.id) not in self.opened:
                    problems.append(
                        Problem(
                            node.id,
                            ERROR,
                            f"选项 {option.id} 的情绪条件在任何路径上都无法满足 (mood gate never opens)",
                        )
                    )
            if node.id in self.endless:
                problems.append(
                    Problem(
                        node.id,
                        ERROR,
                        "对话可能在此循环，永远走不到结束节点 (cycle without a way out)",
                    )
                )
        if self.partial:
            problems.append(
                Problem(None, WARNING, f"路径超过 {MOST_PATHS} 条，只检查了一部分 (too many paths)")
            )
        return problems


def _typed_variants(node: Node) -> list[_Variant]:
    """Best reply (every point, nothing forbidden), a reply that earns nothing, and the worst."""
    choice = (node.id, None)
    penalties: dict[Dimension, float] = {}
    for item in node.forbidden:
        if item.dimension is not None and item.penalty:
            penalties[item.dimension] = penalties.get(item.dimension, 0.0) - item.penalty
    variants = [
        _Variant(choice, {}, node.mood_missed, False, node.next),
        _Variant(
            choice,
            penalties,
            node.mood_missed,
            any(item.critical for item in node.forbidden),
            node.next,
        ),
    ]
    if node.scoring:
        best: dict[Dimension, float] = {}
        for point in node.scoring:
            best[point.dimension] = best.get(point.dimension, 0.0) + point.points
        variants.insert(0, _Variant(choice, best, node.mood_matched, False, node.next))
    return [v for i, v in enumerate(variants) if v not in variants[:i]]


def _add(earned: dict[Dimension, float], points: dict[Dimension, float]) -> dict[Dimension, float]:
    if not points:
        return earned
    total = dict(earned)
    for dimension, value in points.items():
        total[dimension] = total.get(dimension, 0.0) + value
    return total
