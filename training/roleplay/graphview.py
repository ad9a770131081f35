"""The conversation graph of a scenario, laid out for the editor's SVG view.

Why the layout is computed here rather than in the browser: no graph library may come from a
CDN, and a layout in plain Python is deterministic, so a test can pin it and the page needs no
script to draw it. Pure Python on `script.Scenario` (no Flask, no database); the template turns
the `Layout` into SVG and translates the labels.

The method is the classic layered one (Sugiyama), kept small:
1. edges that close a cycle ("back" edges, found by a depth-first walk from the start) are set
   aside, so what is left has no cycle;
2. every node's row is its longest distance from a node without predecessors, so a reply
   always flows downwards and every ending sits below the steps that lead to it;
3. an edge crossing several rows passes through a waypoint in each row it crosses, so it is
   routed between boxes instead of through them;
4. within a row, boxes are ordered by the mean position of their neighbours (a few sweeps down
   and up), which removes most crossings;
5. each box is then pulled towards its neighbours' mean x, keeping the order and the spacing.
Back edges are drawn as a loop on the right of the boxes they join.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from training.roleplay.script import MoodGate, Node, NodeKind, Outcome, Scenario

BOX_WIDTH = 184
BOX_HEIGHT = 66
WAYPOINT_WIDTH = 14
GAP = 28  # between neighbours in a row
ROW_GAP = 58  # between rows
MARGIN = 24
LOOP_OFFSET = 36  # how far a back edge swings out to the right
FONT_PX = 12  # the size the template writes box text in
TEXT_LINES = 2
SWEEPS = 6
NO_LINE_START = "，。！？、；：）」』”’…,.!?;:)"  # stays at the end of the line before (禁则)


@dataclass(frozen=True)
class Box:
    """A node's place on the canvas and the text shown in it."""

    id: str
    kind: NodeKind
    x: float  # top-left corner
    y: float
    lines: tuple[str, ...]  # the node's text, wrapped and cut to fit
    outcome: Outcome | None = None
    start: bool = False
    reachable: bool = True
    width: float = BOX_WIDTH
    height: float = BOX_HEIGHT

    @property
    def centre_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Arrow:
    """One or more replies leading from one node to another (parallel options are merged)."""

    source: str
    target: str
    options: tuple[str, ...]  # option ids, empty for a plain `next`
    points: tuple[tuple[float, float], ...]  # start, waypoints, end
    critical_options: tuple[str, ...] = ()  # those of the options that are critical mistakes
    gate: str = ""  # the mood gate of the options, e.g. "<50"
    back: bool = False  # closes a cycle: drawn as a loop on the right

    @property
    def label(self) -> str:
        return ",".join(self.options)

    @property
    def critical(self) -> bool:
        """Every way along this arrow is a critical mistake (drawn red; a mixed arrow only
        marks its critical letters)."""
        return bool(self.options) and set(self.options) == set(self.critical_options)

    @property
    def path(self) -> str:
        """The SVG path: smooth vertical curves through the waypoints, or a loop for a back edge."""
        (x0, y0), *rest = self.points
        if self.back:
            (x1, y1), (x2, y2), (x3, y3) = rest
            return f"M{x0:.1f},{y0:.1f} C{x1:.1f},{y1:.1f} {x2:.1f},{y2:.1f} {x3:.1f},{y3:.1f}"
        parts = [f"M{x0:.1f},{y0:.1f}"]
        for (ax, ay), (bx, by) in zip(self.points, rest, strict=False):
            middle = (ay + by) / 2
            parts.append(f"C{ax:.1f},{middle:.1f} {bx:.1f},{middle:.1f} {bx:.1f},{by:.1f}")
        return " ".join(parts)

    @property
    def label_at(self) -> tuple[float, float]:
        """Where the option letters sit: a little way along the first stretch of the arrow."""
        (x0, y0), (x1, y1) = self.points[0], self.points[1]
        share = 0.45 if self.back else 0.3
        return x0 + (x1 - x0) * share, y0 + (y1 - y0) * share


@dataclass(frozen=True)
class Layout:
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    width: float
    height: float

    def box(self, node_id: str) -> Box:
        return next(box for box in self.boxes if box.id == node_id)


# A row holds node ids and waypoints; a waypoint is (source, target, row) of the edge it carries.
Item = str | tuple[str, str, int]
Chains = dict[tuple[str, str], list[Item]]


@dataclass
class _Edge:
    source: str
    target: str
    options: list[str]
    critical: list[str]
    gates: list[MoodGate | None]


def layout(scenario: Scenario) -> Layout:
    """Lay the scenario's nodes out in rows, top to bottom from the start (see the module doc)."""
    edges = _edges(scenario)
    order, back = _walk(scenario, edges)
    forward = [edge for edge in edges if (edge.source, edge.target) not in back]
    rank = _ranks(order, forward)
    rows, chains = _rows(order, rank, forward)
    _reduce_crossings(rows, chains)
    xs = _place(rows, chains)
    reachable = _reachable(scenario.start, edges)
    boxes = {
        node_id: _box(scenario.nodes[node_id], xs[node_id], _row_y(rank[node_id]),
                      node_id == scenario.start, node_id in reachable)
        for node_id in order
    }
    arrows = [
        _arrow(edge, boxes, chains, xs, edges, back=(edge.source, edge.target) in back)
        for edge in edges
    ]
    width = max((box.x + box.width for box in boxes.values()), default=0) + MARGIN
    if any(arrow.back for arrow in arrows):
        width += LOOP_OFFSET
    height = max((box.y + box.height for box in boxes.values()), default=0) + MARGIN
    return Layout(tuple(boxes.values()), tuple(arrows), width, height)


def _edges(scenario: Scenario) -> list[_Edge]:
    """Every link between existing nodes; options of one node leading to the same node merge."""
    edges: list[_Edge] = []
    for node in scenario.nodes.values():
        by_target: dict[str, _Edge] = {}
        for option in node.options:
            if option.next in scenario.nodes:
                edge = by_target.get(option.next)
                if edge is None:
                    edge = by_target[option.next] = _Edge(node.id, option.next, [], [], [])
                edge.options.append(option.id)
                if option.critical is not None:
                    edge.critical.append(option.id)
                edge.gates.append(option.gate)
        if node.next in scenario.nodes and node.next not in by_target:
            by_target[node.next] = _Edge(node.id, node.next, [], [], [])
        edges.extend(by_target.values())
    return edges


def _successors(edges: Iterable[_Edge]) -> dict[str, list[str]]:
    following: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        following[edge.source].append(edge.target)
    return following


def _walk(scenario: Scenario, edges: list[_Edge]) -> tuple[list[str], set[tuple[str, str]]]:
    """Nodes in depth-first order from the start (then the unreachable ones, in file order),
    and the edges that lead back to a node still on the walk's path (they close a cycle)."""
    following = _successors(edges)
    order: list[str] = []
    back: set[tuple[str, str]] = set()
    seen: set[str] = set()
    roots = [scenario.start] if scenario.start in scenario.nodes else []
    for root in [*roots, *scenario.nodes]:
        if root in seen:
            continue
        seen.add(root)
        order.append(root)
        on_path = {root}
        stack = [(root, iter(following[root]))]
        while stack:
            node_id, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                stack.pop()
                on_path.discard(node_id)
            elif target in on_path:
                back.add((node_id, target))
            elif target not in seen:
                seen.add(target)
                order.append(target)
                on_path.add(target)
                stack.append((target, iter(following[target])))
    return order, back


def _ranks(order: list[str], forward: list[_Edge]) -> dict[str, int]:
    """Each node's row: the longest chain of forward edges leading to it."""
    following = _successors(forward)
    incoming: dict[str, int] = defaultdict(int)
    for edge in forward:
        incoming[edge.target] += 1
    rank = dict.fromkeys(order, 0)
    ready = [node_id for node_id in order if incoming[node_id] == 0]
    while ready:
        node_id = ready.pop(0)
        for target in following[node_id]:
            rank[target] = max(rank[target], rank[node_id] + 1)
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    return rank


def _rows(
    order: list[str], rank: dict[str, int], forward: list[_Edge]
) -> tuple[list[list[Item]], Chains]:
    """The rows of boxes and waypoints, and for each forward edge its chain of items from source
    to target."""
    rows: list[list[Item]] = [[] for _ in range(max(rank.values(), default=0) + 1)]
    for node_id in order:
        rows[rank[node_id]].append(node_id)
    chains: Chains = {}
    for edge in forward:
        chain: list[Item] = [edge.source]
        for row in range(rank[edge.source] + 1, rank[edge.target]):
            waypoint = (edge.source, edge.target, row)
            rows[row].append(waypoint)
            chain.append(waypoint)
        chains[(edge.source, edge.target)] = [*chain, edge.target]
    return rows, chains


def _neighbours(chains: Chains) -> tuple[dict[Item, list[Item]], dict[Item, list[Item]]]:
    """For every item, the items just above it and just below it that an edge joins it to."""
    above: dict[Item, list[Item]] = defaultdict(list)
    below: dict[Item, list[Item]] = defaultdict(list)
    for chain in chains.values():
        for upper, lower in zip(chain, chain[1:], strict=False):
            below[upper].append(lower)
            above[lower].append(upper)
    return above, below


def _reduce_crossings(rows: list[list[Item]], chains: Chains) -> None:
    """Order each row by the mean position of the items it is joined to in the row before,
    sweeping down then up; an item with no such neighbour keeps its place."""
    above, below = _neighbours(chains)
    for sweep in range(SWEEPS):
        downwards = sweep % 2 == 0
        indices = range(1, len(rows)) if downwards else range(len(rows) - 2, -1, -1)
        for index in indices:
            reference = rows[index - 1] if downwards else rows[index + 1]
            joined = above if downwards else below
            position = {item: i for i, item in enumerate(reference)}
            row = rows[index]

            def mean(item: Item, at: int, joined=joined, position=position) -> float:
                places = [position[n] for n in joined[item] if n in position]
                return sum(places) / len(places) if places else float(at)

            keyed = [(mean(item, at), at, item) for at, item in enumerate(row)]
            rows[index] = [item for _, _, item in sorted(keyed)]


def _width(item: Item) -> float:
    return WAYPOINT_WIDTH if isinstance(item, tuple) else BOX_WIDTH


def _place(rows: list[list[Item]], chains: Chains) -> dict[Item, float]:
    """The left x of every item: rows centred, then each item pulled towards the mean centre of
    its neighbours while keeping the row's order and spacing."""
    above, below = _neighbours(chains)
    widest = max((_row_width(row) for row in rows), default=0)
    x: dict[Item, float] = {}
    for row in rows:
        left = MARGIN + (widest - _row_width(row)) / 2
        for item in row:
            x[item] = left
            left += _width(item) + GAP
    for sweep in range(SWEEPS):
        joined = above if sweep % 2 == 0 else below
        for row in rows:
            wanted = {}
            for item in row:
                centres = [x[n] + _width(n) / 2 for n in joined[item]]
                wanted[item] = sum(centres) / len(centres) - _width(item) / 2 if centres else x[item]
            _fit(row, wanted, x)
    shift = MARGIN - min(x.values(), default=MARGIN)
    return {item: left + shift for item, left in x.items()}


def _fit(row: list[Item], wanted: dict[Item, float], x: dict[Item, float]) -> None:
    """Put the row's items as near their wanted x as the order and the gaps allow: push right
    from the left, push left from the right, and take the mean of the two."""
    pushed_right, floor = {}, float("-inf")
    for item in row:
        pushed_right[item] = max(wanted[item], floor)
        floor = pushed_right[item] + _width(item) + GAP
    pushed_left, ceiling = {}, float("inf")
    for item in reversed(row):
        pushed_left[item] = min(wanted[item], ceiling - _width(item))
        ceiling = pushed_left[item] - GAP
    for item in row:
        x[item] = (pushed_right[item] + pushed_left[item]) / 2
    for before, after in zip(row, row[1:], strict=False):  # the mean may still overlap
        x[after] = max(x[after], x[before] + _width(before) + GAP)


def _row_width(row: list[Item]) -> float:
    return sum(_width(item) for item in row) + GAP * max(len(row) - 1, 0)


def _row_y(rank: int) -> float:
    return MARGIN + rank * (BOX_HEIGHT + ROW_GAP)


def _reachable(start: str, edges: list[_Edge]) -> set[str]:
    following = _successors(edges)
    seen, todo = {start}, [start]
    while todo:
        for target in following[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _box(node: Node, x: float, y: float, start: bool, reachable: bool) -> Box:
    text = node.text or node.debrief or "  ".join(f"{o.id}. {o.text}" for o in node.options)
    return Box(node.id, node.kind, x, y, wrap(text, BOX_WIDTH - 16, TEXT_LINES),
               node.outcome, start, reachable)


def _arrow(
    edge: _Edge,
    boxes: dict[str, Box],
    chains: Chains,
    xs: dict[Item, float],
    edges: list[_Edge],
    back: bool,
) -> Arrow:
    source, target = boxes[edge.source], boxes[edge.target]
    gate = _gate_text(edge.gates)
    if back:
        right = max(source.x + source.width, target.x + target.width) + LOOP_OFFSET
        start = (source.x + source.width, source.y + source.height / 2)
        end = (target.x + target.width, target.y + target.height / 2)
        points = (start, (right, start[1]), (right, end[1]), end)
        return Arrow(edge.source, edge.target, tuple(edge.options), points,
                     tuple(edge.critical), gate, True)
    start = (_port(edge, source, boxes, edges), source.y + source.height)
    waypoints = [(xs[item] + WAYPOINT_WIDTH / 2, _row_y(item[2]) + BOX_HEIGHT / 2)
                 for item in chains[(edge.source, edge.target)][1:-1]
                 if isinstance(item, tuple)]
    end = (target.centre_x, target.y)
    return Arrow(edge.source, edge.target, tuple(edge.options), (start, *waypoints, end),
                 tuple(edge.critical), gate)


def _port(edge: _Edge, source: Box, boxes: dict[str, Box], edges: list[_Edge]) -> float:
    """Where an arrow leaves its box: outgoing arrows spread along the bottom edge, left to
    right in the order of where they go, so they do not start on top of one another."""
    leaving = sorted((e for e in edges if e.source == edge.source and e.target in boxes),
                     key=lambda e: boxes[e.target].centre_x)
    index = next(i for i, e in enumerate(leaving) if e.target == edge.target)
    return source.x + source.width * (index + 1) / (len(leaving) + 1)


def _gate_text(gates: list[MoodGate | None]) -> str:
    """A short form of the options' mood gates: "<50", "≥30", "30–50" (several joined by /)."""
    texts = []
    for gate in gates:
        if gate is None:
            continue
        if gate.at_least is not None and gate.below is not None:
            texts.append(f"{gate.at_least}–{gate.below}")
        elif gate.below is not None:
            texts.append(f"<{gate.below}")
        elif gate.at_least is not None:
            texts.append(f"≥{gate.at_least}")
    return "/".join(dict.fromkeys(texts))


def text_width(text: str) -> float:
    """The width of `text` in pixels at FONT_PX: wide (CJK) characters take a full em, others
    about half of one; good enough to wrap without measuring fonts."""
    return sum(FONT_PX if unicodedata.east_asian_width(ch) in "WF" else FONT_PX * 0.56
               for ch in text)


def wrap(text: str, width: float, lines: int) -> tuple[str, ...]:
    """`text` on at most `lines` lines of `width` pixels; a cut-off last line ends in "…"."""
    words = " ".join(text.split())
    result: list[str] = []
    current = ""
    for ch in words:
        if text_width(current + ch) > width and ch not in NO_LINE_START:
            result.append(current)
            current = ch.lstrip()
            if len(result) == lines:
                break
        else:
            current += ch
    else:
        if current:
            result.append(current)
        return tuple(result)
    last = result[-1]
    while last and text_width(last + "…") > width:
        last = last[:-1]
    return (*result[:-1], last + "…")
