"""Validation of a scenario's conversation graph, and its reachable scores found by walking it.

Two looks. The structure, moods aside: references, option counts, endings, weights, nodes no
path reaches, dead ends and cycles with no way out. Then the walk (`walk.Walk`) of every run the
scenario allows, with the customer's mood (mood gates open and close as it moves): it finds
gates that never open, decisions that offer nothing at some mood, loops a run cannot leave at
some mood, the most a single path earns per dimension (`maxima`, what scoring divides by), the
highest and lowest reachable totals, and whether any path passes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from question_bank.texts import N_
from training.roleplay.scoring import weighted
from training.roleplay.script import Dimension, Node, NodeKind, Scenario
from training.roleplay.walk import Walk, reach, successors

ERROR = "error"
WARNING = "warning"


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
    paths: int  # routes from the start to an end passing no node twice (see `walk`)
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
    walk = Walk(scenario)
    if scenario.start in scenario.nodes:
        walk.run()
    problems += _walked(scenario, walk)
    totals = [weighted(scenario.weights, walk.maxima, run.earned, run.mood)[0] for run in walk.runs]
    problems += _figures(scenario, walk, totals)
    paths = walk.routes()
    if walk.partial:
        problems.append(
            Problem(
                None,
                WARNING,
                N_("路径太多，最高分、最低分和路径数为估算"),
            )
        )
    return Check(
        problems=problems,
        max_score=max(totals) if totals else None,
        min_score=min(totals) if totals else None,
        endings=len({run.end for run in walk.runs}),
        paths=paths,
        maxima=walk.maxima,
    )


def _walked(scenario: Scenario, walk: Walk) -> Iterator[Problem]:
    """What only the walk finds: gates, decisions closed at some mood, loops at some mood."""
    visited = walk.visited
    endless = walk.endless_moods()
    trapped = _cannot_end(scenario)  # named by the structure check already
    for node in scenario.nodes.values():
        if node.id not in visited:
            continue
        if node.id in walk.closed_moods:
            mood = walk.closed_moods[node.id]
            yield Problem(node.id, ERROR, N_("情绪为 %(mood)s 时没有可选的回复", mood=mood))
        for option in node.options:
            if option.gate and (node.id, option.id) not in walk.opened:
                yield Problem(
                    node.id,
                    ERROR,
                    N_("选项 %(option)s 的情绪条件在任何路径上都无法满足", option=option.id),
                )
        if node.id in endless and node.id not in trapped:
            yield Problem(
                node.id,
                ERROR,
                N_(
                    "情绪为 %(mood)s 时，从这里的每个回复都绕回原处，走不到结束节点",
                    mood=endless[node.id],
                ),
            )


def _figures(scenario: Scenario, walk: Walk, totals: list[float]) -> Iterator[Problem]:
    """What the complete runs say: no passing path; a weighted dimension nothing can earn."""
    if not totals:
        return
    runs = zip(totals, walk.runs, strict=True)
    if not any(total >= scenario.pass_mark and not run.critical for total, run in runs):
        yield Problem(None, ERROR, N_("没有能及格的路径"))
    for dimension in scenario.weights:
        if dimension is not Dimension.MOOD and walk.maxima.get(dimension, 0) <= 0:
            yield Problem(
                None,
                WARNING,
                N_(
                    "没有路径能在维度 %(dimension)s 得分，未在此扣分的练习得满分",
                    dimension=dimension,
                ),
            )


# --- structure ---------------------------------------------------------------------------------


def _weights(scenario: Scenario) -> Iterator[Problem]:
    total = sum(scenario.weights.values())
    if total != 100:
        yield Problem(None, ERROR, N_("各维度权重之和为 %(total)s，应为 100", total=total))
    used = {d for node in scenario.nodes.values() for d in _dimensions_scored(node)}
    for dimension in sorted(used - set(scenario.weights)):
        yield Problem(
            None,
            WARNING,
            N_("维度 %(dimension)s 没有权重，其得分不计入总分", dimension=dimension),
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
            Problem(None, ERROR, N_("start 指向不存在的节点 %(target)s", target=scenario.start))
        )
        return problems
    reachable = reach({scenario.start}, lambda n: successors(scenario, n))
    for node_id in scenario.nodes:
        if node_id not in reachable:
            problems.append(Problem(node_id, ERROR, N_("没有路径能到达此节点")))
    problems += _traps(scenario, reachable)
    return problems


def _node(scenario: Scenario, node: Node) -> Iterator[Problem]:
    """What is wrong with one node on its own: references, option count, endings, gates."""
    if node.kind is NodeKind.END:
        if node.outcome is None:
            yield Problem(node.id, ERROR, N_("结束节点缺少 outcome"))
        if node.next or node.options:
            yield Problem(node.id, ERROR, N_("结束节点不能有后续"))
        return
    if node.kind is NodeKind.DECISION:
        if not 2 <= len(node.options) <= 5:
            yield Problem(
                node.id,
                ERROR,
                N_("决策节点应有 2–5 个选项，现有 %(n)s 个", n=len(node.options)),
            )
        for option in node.options:
            yield from _reference(scenario, node, option.next, option.id)
            if option.gate and not _gate_can_open(option.gate.at_least, option.gate.below):
                message = N_("选项 %(option)s 的情绪条件不可能满足", option=option.id)
                yield Problem(node.id, ERROR, message)
    elif node.next is None:
        yield Problem(node.id, ERROR, N_("没有 next，对话在此中断"))
    else:
        yield from _reference(scenario, node, node.next)
    if node.kind is NodeKind.FREE_TEXT and not node.scoring:
        yield Problem(node.id, WARNING, N_("自由回复没有得分点"))


def _gate_can_open(at_least: int | None, below: int | None) -> bool:
    low = 0 if at_least is None else at_least
    high = 101 if below is None else below
    return low < high and low <= 100 and high > 0


def _reference(
    scenario: Scenario, node: Node, target: str, option: str | None = None
) -> Iterator[Problem]:
    """A `next` (the node's, or its `option`'s) naming no node."""
    if target in scenario.nodes:
        return
    if option is None:
        yield Problem(node.id, ERROR, N_("next 指向不存在的节点 %(target)s", target=target))
    else:
        message = N_(
            "选项 %(option)s 的 next 指向不存在的节点 %(target)s", option=option, target=target
        )
        yield Problem(node.id, ERROR, message)


def _cannot_end(scenario: Scenario) -> set[str]:
    """Nodes from which no end node can be reached, whatever the run chooses."""
    predecessors: dict[str, list[str]] = {node_id: [] for node_id in scenario.nodes}
    for node_id in scenario.nodes:
        for target in successors(scenario, node_id):
            predecessors[target].append(node_id)
    ends = {n.id for n in scenario.nodes.values() if n.kind is NodeKind.END}
    can_end = reach(ends, predecessors.__getitem__)
    return set(scenario.nodes) - can_end


def _traps(scenario: Scenario, reachable: set[str]) -> list[Problem]:
    """Cycles no run can leave, each named once, at its first node in file order.

    A node that only leads into a trap, or to a dead end (no next, reported by `_node`), is not
    named again."""
    stuck = _cannot_end(scenario)
    trapped = [n for n in scenario.nodes if n in reachable and n in stuck]
    ahead = {
        n: reach(set(successors(scenario, n)), lambda n: successors(scenario, n)) for n in trapped
    }
    problems = []
    named: set[str] = set()
    for node_id in trapped:
        if node_id in named or node_id not in ahead[node_id]:
            continue
        members = [m for m in trapped if m in ahead[node_id] and node_id in ahead[m]]
        named.update(members)
        cycle = " → ".join(members)
        problems.append(
            Problem(node_id, ERROR, N_("循环 %(cycle)s 没有出口，走不到结束节点", cycle=cycle))
        )
    return problems
