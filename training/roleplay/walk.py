"""Every run a scenario allows, walked over its states rather than its paths.

A state is (node, mood, choices taken that a loop could repeat): only a choice on a cycle of the
graph can be made twice, so the others need not be remembered, and a choice made again earns
nothing more (see `scoring`). The walk has three passes:

1. Every reachable state and its ways on, breadth first: which gates open, which decisions offer
   nothing at some mood, and which states can still reach an end.
2. The states that can reach an end, grouped into strongly connected components. Going round
   inside a component earns nothing (coming back to a state means every choice on the way was
   already taken), so what a run has earned flows through the components in topological order
   as a set of distinct outcomes (points per dimension, critical mistake made or not). Runs that
   earn the same are counted once, which keeps a branchy scenario cheap: eight decisions of four
   options are 65,536 paths but a few hundred outcomes.
3. The routes (choices from the start to an end, no node twice), counted on the graph itself.

A typed reply is walked three ways: every scoring point matched and no forbidden phrase; nothing
matched; nothing matched and every forbidden phrase used.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from training.roleplay.play import clamp, offered
from training.roleplay.script import Dimension, Node, NodeKind, Scenario

MOST_STATES = 200_000  # states explored at most; beyond, the figures are partial
MOST_OUTCOMES = 2_000  # distinct outcomes kept per state; beyond, only the extreme ones
MOST_ROUTE_STEPS = 1_000_000  # steps spent counting routes through loops

Choice = tuple[str, str | None]  # (node, option); a typed reply's choice has no option
State = tuple[str, int, frozenset[Choice]]  # node, mood, choices taken that a loop may repeat
Earned = tuple[float, ...]  # points per dimension, in `POINTED` order
Outcome = tuple[Earned, bool]  # what a run earned so far, and whether it made a critical mistake

T = TypeVar("T")

POINTED = tuple(d for d in Dimension if d is not Dimension.MOOD)  # the mood is scored at the end


@dataclass(frozen=True)
class Run:
    """A kind of complete run: where it ends, what it earned, the final mood, 一票否决 or not."""

    end: str
    earned: dict[Dimension, float]
    mood: int
    critical: bool


@dataclass(frozen=True)
class Way:
    """One way a step can go: its choice, points, mood change, critical mistake, next node."""

    choice: Choice
    points: dict[Dimension, float]
    mood: int
    critical: bool
    next: str | None


class Walk:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.looping = on_cycles(scenario)
        self.edges: dict[State, list[tuple[Way, State]]] = {}
        self.alive: set[State] = set()  # states from which an end can be reached
        self.opened: set[Choice] = set()  # options offered in some state
        self.closed_moods: dict[str, int] = {}  # decision → a mood at which nothing is offered
        self.runs: list[Run] = []
        self.maxima: dict[Dimension, float] = {}
        self.partial = False

    @property
    def visited(self) -> set[str]:
        return {state[0] for state in self.edges}

    def run(self) -> None:
        start: State = (self.scenario.start, self.scenario.mood, frozenset())
        self.explore(start)
        if start in self.alive:
            self.runs = self.outcomes(start)
        for run in self.runs:
            for dimension, points in run.earned.items():
                self.maxima[dimension] = max(self.maxima.get(dimension, 0.0), points)

    # -- pass 1: the states -----------------------------------------------------------------

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
        self.alive = reach(ends | unexplored, lambda s: predecessors.get(s, []))

    def ways_on(self, state: State) -> list[tuple[Way, State]]:
        node_id, mood, taken = state
        node = self.scenario.nodes[node_id]
        ways = []
        for way in self.ways(node, mood):
            if way.next not in self.scenario.nodes:
                continue  # a broken reference, reported by the structure check
            kept = taken | {way.choice} if node_id in self.looping else taken
            ways.append((way, (way.next, clamp(mood + way.mood), kept)))
        return ways

    def ways(self, node: Node, mood: int) -> list[Way]:
        if node.kind is NodeKind.END:
            return []
        if node.kind is NodeKind.DECISION:
            options = offered(node, mood)
            self.opened.update((node.id, option.id) for option in options)
            if not options and node.options:
                self.closed_moods.setdefault(node.id, mood)
            return [
                Way((node.id, o.id), o.points, o.mood, o.critical is not None, o.next)
                for o in options
            ]
        if node.kind is NodeKind.FREE_TEXT:
            return typed_ways(node)
        return [Way((node.id, None), {}, 0, False, node.next)]

    # -- pass 2: what runs earn -------------------------------------------------------------

    def outcomes(self, start: State) -> list[Run]:
        """Each distinct outcome at each end state, flowing through the components in order."""
        inbound: dict[State, set[Outcome]] = {start: {((0.0,) * len(POINTED), False)}}
        runs = []
        for component in reversed(components(self.alive, self.alive_successors)):
            arrived = set().union(*(inbound.pop(state, set()) for state in component))
            for state in component:
                node_id, mood, taken = state
                if self.scenario.nodes[node_id].kind is NodeKind.END:
                    runs += [Run(node_id, _named(earned), mood, bad) for earned, bad in arrived]
                for way, target in self.edges.get(state, ()):
                    if target in component or target not in self.alive:
                        continue  # inside a component nothing more is earned
                    fresh = way.choice not in taken
                    moved = {_step(outcome, way, fresh) for outcome in arrived}
                    inbound[target] = inbound.get(target, set()) | moved
                    if len(inbound[target]) > MOST_OUTCOMES:
                        inbound[target] = _extremes(inbound[target])
                        self.partial = True
        return runs

    def alive_successors(self, state: State) -> Iterable[State]:
        return (target for _, target in self.edges.get(state, ()) if target in self.alive)

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

    # -- pass 3: routes ---------------------------------------------------------------------

    def routes(self) -> int:
        """Routes from the start to an end passing no node twice (options no mood opens left
        out); counted on the graph, so two options to the same node are two routes.

        Depth first. The count from a node on no cycle cannot depend on the route that came to
        it (no node of that route lies ahead of it), so it is kept: only loops cost more than one
        visit."""
        nodes = self.scenario.nodes
        if self.scenario.start not in nodes:
            return 0
        looping = {n for n in nodes if n in reach(set(self.route_targets(n)), self.route_targets)}
        known: dict[str, int] = {}
        budget = [MOST_ROUTE_STEPS]

        def count(node_id: str, route: frozenset[str]) -> int:
            if node_id in known:
                return known[node_id]
            budget[0] -= 1
            if budget[0] < 0:
                self.partial = True
                return 0
            found = 1 if nodes[node_id].kind is NodeKind.END else 0
            for target in self.route_targets(node_id):
                if target not in route:
                    found += count(target, route | {target})
            if node_id not in looping:
                known[node_id] = found
            return found

        start = self.scenario.start
        return _deep(lambda: count(start, frozenset({start})))

    def route_targets(self, node_id: str) -> list[str]:
        node = self.scenario.nodes[node_id]
        if node.kind is NodeKind.DECISION:
            targets = [
                o.next for o in node.options if o.gate is None or (node_id, o.id) in self.opened
            ]
        else:
            targets = [node.next] if node.next else []
        return [t for t in targets if t in self.scenario.nodes]


def typed_ways(node: Node) -> list[Way]:
    """Best reply (every point, nothing forbidden), a reply that earns nothing, and the worst."""
    choice = (node.id, None)
    penalties: dict[Dimension, float] = {}
    for item in node.forbidden:
        if item.dimension is not None and item.penalty:
            penalties[item.dimension] = penalties.get(item.dimension, 0.0) - item.penalty
    critical = any(item.critical for item in node.forbidden)
    ways = [
        Way(choice, {}, node.mood_missed, False, node.next),
        Way(choice, penalties, node.mood_missed, critical, node.next),
    ]
    if node.scoring:
        best: dict[Dimension, float] = {}
        for point in node.scoring:
            best[point.dimension] = best.get(point.dimension, 0.0) + point.points
        ways.insert(0, Way(choice, best, node.mood_matched, False, node.next))
    return [way for i, way in enumerate(ways) if way not in ways[:i]]


def _step(outcome: Outcome, way: Way, fresh: bool) -> Outcome:
    earned, critical = outcome
    if fresh and way.points:
        earned = tuple(
            value + way.points.get(dimension, 0.0)
            for value, dimension in zip(earned, POINTED, strict=True)
        )
    return earned, critical or way.critical


def _extremes(outcomes: set[Outcome]) -> set[Outcome]:
    """The outcomes with the most and the least in each dimension and in all, with and without
    a critical mistake: the maxima stay exact, the highest and lowest totals become estimates."""
    kept: set[Outcome] = set()
    for critical in (False, True):
        group = [outcome for outcome in outcomes if outcome[1] is critical]
        if not group:
            continue
        keys = [lambda o: sum(o[0])] + [lambda o, i=i: o[0][i] for i in range(len(POINTED))]
        for key in keys:
            kept.add(max(group, key=key))
            kept.add(min(group, key=key))
    return kept


def _named(earned: Earned) -> dict[Dimension, float]:
    return {d: value for d, value in zip(POINTED, earned, strict=True) if value}


# --- graph helpers -----------------------------------------------------------------------------


def successors(scenario: Scenario, node_id: str) -> list[str]:
    """The nodes a node leads to (existing ones), whatever the mood."""
    node = scenario.nodes[node_id]
    targets = [option.next for option in node.options] if node.options else [node.next]
    return [target for target in targets if target in scenario.nodes]


def reach(start: set[T], ways_on: Callable[[T], Iterable[T]]) -> set[T]:
    seen = set(start)
    todo = list(start)
    while todo:
        for target in ways_on(todo.pop()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def on_cycles(scenario: Scenario) -> set[str]:
    """Nodes the conversation can come back to: only their choices can be made twice."""
    ways_on = lambda n: successors(scenario, n)  # noqa: E731
    return {n for n in scenario.nodes if n in reach(set(ways_on(n)), ways_on)}


def components(states: Iterable[T], ways_on: Callable[[T], Iterable[T]]) -> list[list[T]]:
    """Strongly connected components (Tarjan, without recursion), each after those it leads to."""
    index: dict[T, int] = {}
    low: dict[T, int] = {}
    stack: list[T] = []
    on_stack: set[T] = set()
    found: list[list[T]] = []
    for root in states:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(ways_on(root)))]
        while work:
            state, pending = work[-1]
            for target in pending:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(ways_on(target))))
                    break
                if target in on_stack:
                    low[state] = min(low[state], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[state])
                if low[state] == index[state]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == state:
                            break
                    found.append(component)
    return found


def _deep(count: Callable[[], int]) -> int:
    """Run a recursive count with room for long routes."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        return count()
    finally:
        sys.setrecursionlimit(limit)
