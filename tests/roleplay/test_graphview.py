"""The editor's graph view: every node gets a box, replies flow downwards, nothing overlaps."""

from __future__ import annotations

from itertools import combinations

from training.roleplay.graphview import BOX_WIDTH, Layout, layout, text_width, wrap
from training.roleplay.script import (
    Brief,
    Channel,
    Dimension,
    MoodGate,
    Node,
    NodeKind,
    Option,
    Outcome,
    Scenario,
)


def option(id_: str, next_: str, critical: str | None = None, gate: MoodGate | None = None) -> Option:
    return Option(id_, f"回复{id_}", next_, {Dimension.LISTEN: 1}, critical=critical, gate=gate)


def scenario(*nodes: Node, start: str = "c1") -> Scenario:
    return Scenario(
        title="网银盾", channel=Channel.COUNTER, brief=Brief("老客户", "排队四十分钟"),
        start=start, mood=30, pass_mark=60, weights={Dimension.LISTEN: 100},
        nodes={node.id: node for node in nodes},
    )


def branching() -> Scenario:
    """A start, a decision whose two options lead to the same node (one critical, one gated),
    a loop back to that decision, a long jump to an ending, and a node nothing leads to."""
    return scenario(
        Node("c1", NodeKind.CUSTOMER, "我排了四十分钟队，你现在告诉我办不了？", next="d1"),
        Node("d1", NodeKind.DECISION, "你怎么回应？", options=(
            option("a", "c2"),
            option("b", "c3"),
            option("c", "c3", critical="念出身份证号", gate=MoodGate(below=50)),
        )),
        Node("c2", NodeKind.CUSTOMER, "那你说怎么办？", next="f1"),
        Node("c3", NodeKind.CUSTOMER, "你这是什么态度！", next="d2"),
        Node("d2", NodeKind.DECISION, options=(option("a", "d1"), option("b", "e2"))),
        Node("f1", NodeKind.FREE_TEXT, "说明接下来怎么处理", next="e1"),
        Node("e1", NodeKind.END, "好吧", outcome=Outcome.RESOLVED),
        Node("e2", NodeKind.END, "我要投诉你", outcome=Outcome.LOST),
        Node("x1", NodeKind.NARRATION, "无人到达的旁白", next="e1"),
    )


def overlaps(a, b) -> bool:
    return not (a.x + a.width <= b.x or b.x + b.width <= a.x
                or a.y + a.height <= b.y or b.y + b.height <= a.y)


def arrow(view: Layout, source: str, target: str):
    return next(a for a in view.arrows if (a.source, a.target) == (source, target))


def test_every_node_has_one_box_and_no_two_boxes_overlap():
    view = layout(branching())
    assert sorted(box.id for box in view.boxes) == sorted(branching().nodes)
    assert not [(a.id, b.id) for a, b in combinations(view.boxes, 2) if overlaps(a, b)]
    assert all(box.x + box.width <= view.width and box.y + box.height <= view.height
               for box in view.boxes)


def test_replies_flow_downwards_from_the_start_and_a_loop_goes_back_up():
    view = layout(branching())
    assert view.box("c1").start and view.box("c1").y == min(box.y for box in view.boxes)
    loop = arrow(view, "d2", "d1")
    assert loop.back and view.box("d1").y < view.box("d2").y
    forward = [a for a in view.arrows if not a.back]
    assert all(view.box(a.source).y < view.box(a.target).y for a in forward)
    assert view.box("e1").y > view.box("f1").y > view.box("c2").y


def test_options_to_the_same_node_share_one_arrow_that_shows_their_letters_and_gate():
    view = layout(branching())
    shared = arrow(view, "d1", "c3")
    assert shared.options == ("b", "c") and shared.label == "b,c"
    assert shared.critical_options == ("c",) and not shared.critical  # b is a fair reply
    assert shared.gate == "<50"
    plain = arrow(view, "d1", "c2")
    assert plain.options == ("a",) and not plain.critical and plain.gate == ""
    assert arrow(view, "c1", "d1").options == ()


def test_a_node_nothing_leads_to_is_marked_unreachable():
    view = layout(branching())
    assert not view.box("x1").reachable
    assert all(box.reachable for box in view.boxes if box.id != "x1")


def test_a_long_jump_is_routed_around_the_boxes_of_the_rows_it_crosses():
    long_jump = scenario(
        Node("c1", NodeKind.CUSTOMER, "您好", next="d1"),
        Node("d1", NodeKind.DECISION, options=(option("a", "c2"), option("b", "e1"))),
        Node("c2", NodeKind.CUSTOMER, "然后呢", next="c3"),
        Node("c3", NodeKind.CUSTOMER, "再然后呢", next="e1"),
        Node("e1", NodeKind.END, "再见", outcome=Outcome.RESOLVED),
    )
    view = layout(long_jump)
    jump = arrow(view, "d1", "e1")
    assert len(jump.points) == 4  # leaves d1, passes the rows of c2 and c3, enters e1
    for x, y in jump.points[1:-1]:
        for box in view.boxes:
            inside = box.x <= x <= box.x + box.width and box.y <= y <= box.y + box.height
            assert not inside, box.id
    assert jump.path.startswith("M") and jump.path.count("C") == 3


def test_a_cycle_that_is_the_whole_conversation_still_lays_out():
    looped = scenario(
        Node("c1", NodeKind.CUSTOMER, "喂？", next="d1"),
        Node("d1", NodeKind.DECISION, options=(option("a", "c1"), option("b", "e1"))),
        Node("e1", NodeKind.END, "再见", outcome=Outcome.LOST),
    )
    view = layout(looped)
    assert arrow(view, "d1", "c1").back
    assert view.box("c1").y < view.box("d1").y < view.box("e1").y


def test_links_to_missing_nodes_are_left_to_validation_not_drawn():
    broken = scenario(
        Node("c1", NodeKind.CUSTOMER, "喂？", next="nowhere"),
        Node("e1", NodeKind.END, "再见", outcome=Outcome.LOST),
    )
    view = layout(broken)
    assert view.arrows == () and len(view.boxes) == 2


def test_long_chinese_text_is_wrapped_to_two_lines_that_fit_the_box():
    text = "我排了四十分钟的队，你现在才告诉我网银盾只能到开户网点办理，这是什么道理？"
    lines = wrap(text, BOX_WIDTH - 16, 2)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(text_width(line) <= BOX_WIDTH - 16 for line in lines)
    assert wrap("短句", BOX_WIDTH - 16, 2) == ("短句",)


def test_a_line_never_starts_with_closing_punctuation():
    lines = wrap("请你向客户说明接下来怎么处理。", 14 * 12, 2)  # exactly 14 characters fit
    assert lines == ("请你向客户说明接下来怎么处理。",)


def test_an_arrow_is_critical_only_when_every_option_along_it_is():
    view = layout(scenario(
        Node("d1", NodeKind.DECISION, options=(
            option("a", "e1", critical="泄露隐私"), option("b", "e1", critical="指责同事"),
            option("c", "e2"),
        )),
        Node("e1", NodeKind.END, "投诉", outcome=Outcome.LOST),
        Node("e2", NodeKind.END, "好的", outcome=Outcome.RESOLVED),
        start="d1",
    ))
    assert arrow(view, "d1", "e1").critical and not arrow(view, "d1", "e2").critical
