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
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from training.roleplay.play import clamp, offered
from training.roleplay.scoring import weighted
from training.roleplay.script import Dimension, Node, NodeKind, Scenario

ERROR = "error"
WARNING = "warning"
MOST_PATHS = 200_000  # a walk beyond this many complete runs stops: the figures are then partial
MOST_STATES = 200_000  # (node, mood, choices) states explored at most
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
    problems += walk.problems(known=_cannot_end(scenario))
    totals = [walk.total(run) for run in walk.runs]
    problems += _figures(scenario, walk, totals)
    return Check(
        problems=problems,
        max_score=max(totals) if totals else None,
        min_score=min(totals) if totals else None,
        endings=len({run.end for run in walk.runs}),
        paths=len({run.route for run in walk.runs}),
        maxima=walk.maxima,
    )


def _figures(scenario: Scenario, walk: _Walk, totals: list[float]) -> Iterator[Problem]:
    """What the complete runs say: no passing path; a weighted dimension nothing can earn."""
    if not totals:
        return
    runs = zip(totals, walk.runs, strict=True)
    if not any(total >= scenario.pass_mark and not run.critical for total, run in runs):
        yield Problem(None, ERROR, "没有能及格的路径 (no path passes)")
    for dimension in scenario.weights:
        if dimension is not Dimension.MOOD and walk.maxima.get(dimension, 0) <= 0:
            yield Problem(
                None,
                WARNING,
                f"没有路径能在维度 {dimension} 得分，未在此扣分的练习得满分"
                f" (no path earns {dimension}: runs that lose none get its whole weight)",
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


def _cannot_end(scenario: Scenario) -> set[str]:
    """Nodes from which no end node can be reached, whatever the run chooses."""
    predecessors: dict[str, list[str]] = {node_id: [] for node_id in scenario.nodes}
    for node_id in scenario.nodes:
        for target in _successors(scenario, node_id):
            predecessors[target].append(node_id)
    ends = {n.id for n in scenario.nodes.values() if n.kind is NodeKind.END}
    return set(scenario.nodes) - _reach(ends, lambda n: predecessors[n])


def _traps(scenario: Scenario, reachable: set[str]) -> list[Problem]:
    """Cycles no run can leave, each named once, at its first node in file order.

    A node that only leads into a trap, or to a dead end (no next, reported by `_node`), is not
    named again."""
    stuck = _cannot_end(scenario)
    trapped = [n for n in scenario.nodes if n in reachable and n in stuck]
    ahead = {n: _reach(set(_successors(scenario, n)), _succ(scenario)) for n in trapped}
    problems = []
    named: set[str] = set()
    for node_id in trapped:
        if node_id in named or node_id not in ahead[node_id]:
            continue
        members = [m for m in trapped if m in ahead[node_id] and node_id in ahead[m]]
        named.update(members)
        cycle = " → ".join(members)
        problems.append(
            Problem(
                node_id, ERROR, f"循环 {cycle} 没有出口，走不到结束节点 (cycle without a way out)"
            )
        )
    return problems


def _succ(scenario: Scenario) -> Any:
    return lambda n: _successors(scenario, n)


# --- the walk ----------------------------------------------------------------------------------

Choice = tuple[str, str | None]  # (node, option); a typed reply's choice has no option
State = tuple[str, int, frozenset[Choice]]  # node, mood, choices taken that a loop may repeat


@dataclass(frozen=True)
class _Run:
    """One complete run the walk found."""

    end: str
    route: tuple[Choice, ...]  # the options picked, in order
    earned: dict[Dimension, float]
    mood: int
    critical: bool


@dataclass(frozen=True)
class _Variant:
    """One way a step can go: its choice, points, mood change, critical mistake, next node."""

    choice: Choice
    points: dict[Dimension, float]
    mood: int
    critical: bool
    next: str | None


class _Walk:
    """The runs a scenario allows, in two passes over its states (node, mood, choices taken).

    First every reachable state and its ways on (breadth first, no path twice): which gates
    open, which decisions offer nothing, which states can still reach an end. Then every
    complete run, depth first, only through states that can reach an end, so a loop that leads
    nowhere costs nothing. Only choices on a cycle of the graph are kept in the state (no other
    choice can be made twice), which keeps the states few."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.looping = _on_cycles(scenario)
        self.edges: dict[State, list[tuple[_Variant, State]]] = {}
        self.alive: set[State] = set()
        self.opened: set[Choice] = set()  # options offered in some state
        self.closed_moods: dict[str, int] = {}  # decision → a mood at which nothing is offered
        self.runs: list[_Run] = []
        self.partial = False
        self.maxima: dict[Dimension, float] = {}

    def run(self) -> None:
        start: State = (self.scenario.start, self.scenario.mood, frozenset())
        self.explore(start)
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, LONGEST_RUN * 3 + 100))
        try:
            if start in self.alive:
                self.follow(start, {}, False, (), set())
        finally:
            sys.setrecursionlimit(limit)
        for run in self.runs:
            for dimension, points in run.earned.items():
                self.maxima[dimension] = max(self.maxima.get(dimension, 0.0), points)

    def explore(self, start: State) -> None:
        """Every reachable state with its ways on; then the states that can reach an end."""
        todo = deque([start])
        while todo:
            state = todo.popleft()
            if state in self.edges:
                continue
            if len(self.edges) >= MOST_STATES:
                self.partial = True
                break
            self.edges[state] = self.ways_on(state)
            todo.extend(target for _, target in self.edges[state])
        predecessors: dict[State, list[State]] = {}
        for state, ways in self.edges.items():
            for _, target in ways:
                predecessors.setdefault(target, []).append(state)
        ends = {s for s in self.edges if self.scenario.nodes[s[0]].kind is NodeKind.END}
        unexplored = {t for ways in self.edges.values() for _, t in ways if t not in self.edges}
        self.alive = _reach(ends | unexplored, lambda s: predecessors.get(s, []))

    def ways_on(self, state: State) -> list[tuple[_Variant, State]]:
        node_id, mood, taken = state
        node = self.scenario.nodes[node_id]
        ways = []
        for variant in self.variants(node, mood):
            if variant.next not in self.scenario.nodes:
                continue  # a broken reference, reported by the structure
            kept = taken | {variant.choice} if node_id in self.looping else taken
            ways.append((variant, (variant.next, clamp(mood + variant.mood), kept)))
        return ways

    def variants(self, node: Node, mood: int) -> list[_Variant]:
        if node.kind is NodeKind.END:
            return []
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

    def follow(
        self,
        state: State,
        earned: dict[Dimension, float],
        critical: bool,
        route: tuple[Choice, ...],
        on_path: set[State],
    ) -> None:
        """Every complete run on from this state (a state met again on the path is not
        followed: going round the loop again changes nothing but the route)."""
        node_id, mood, taken = state
        if self.scenario.nodes[node_id].kind is NodeKind.END:
            self.runs.append(_Run(node_id, route, earned, mood, critical))
            return
        if state in on_path or len(route) >= LONGEST_RUN:
            return
        if len(self.runs) >= MOST_PATHS:
            self.partial = True
            return
        on_path.add(state)
        decision = self.scenario.nodes[node_id].kind is NodeKind.DECISION
        for variant, target in self.edges.get(state, ()):
            if target not in self.alive:
                continue
            fresh = variant.choice not in taken  # a choice made again earns nothing more
            self.follow(
                target,
                _add(earned, variant.points) if fresh else earned,
                critical or variant.critical,
                (*route, variant.choice) if decision else route,
                on_path,
            )
        on_path.discard(state)

    def total(self, run: _Run) -> float:
        return weighted(self.scenario.weights, self.maxima, run.earned, run.mood)[0]

    def problems(self, known: set[str]) -> list[Problem]:
        """What only the walk finds; `known`: nodes whose trap the structure already named."""
        problems = []
        endless = self.endless_moods()
        visited = {state[0] for state in self.edges}
        for node in self.scenario.nodes.values():
            if node.id not in visited:
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
            if node.id in endless and node.id not in known:
                problems.append(
                    Problem(
                        node.id,
                        ERROR,
                        f"情绪为 {endless[node.id]} 时，从这里的每个回复都绕回原处，走不到结束节点"
                        " (cycle without a way out)",
                    )
                )
        if self.partial:
            problems.append(Problem(None, WARNING, "路径太多，只检查了一部分 (too many paths)"))
        return problems

    def endless_moods(self) -> dict[str, int]:
        """Decisions caught in a loop no run leaves, with the lowest such mood.

        The states that cannot reach an end, less those that only run into a decision offering
        nothing (reported on their own): what is left goes round a loop."""
        dead = {s for s in self.edges if s not in self.alive}
        inside = {s: [t for _, t in self.edges[s] if t in dead] for s in dead}
        pending = {s: len(targets) for s, targets in inside.items()}
        feeding: dict[State, list[State]] = {}
        for state, targets in inside.items():
            for target in targets:
                feeding.setdefault(target, []).append(state)
        sinks = [s for s, count in pending.items() if count == 0]
        while sinks:
            for state in feeding.get(sinks.pop(), []):
                pending[state] -= 1
                if pending[state] == 0:
                    sinks.append(state)
        endless: dict[str, int] = {}
        for (node_id, mood, _), count in pending.items():
            if count and self.scenario.nodes[node_id].kind is NodeKind.DECISION:
                endless[node_id] = min(mood, endless.get(node_id, mood))
        return endless


def _on_cycles(scenario: Scenario) -> set[str]:
    """Nodes the conversation can come back to: only their choices can be made twice."""
    successors = _succ(scenario)
    return {n for n in scenario.nodes if n in _reach(set(successors(n)), successors)}


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
