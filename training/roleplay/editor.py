"""The web editor's changes to a scenario: each one is a new `script.Scenario`, saved the way an
imported file is saved.

Why through the file: the editor writes the YAML (`yaml_format.dump`) and saves it with
`services.save`, so a scenario edited in the browser passes exactly the reader's and the graph's
checks an imported file passes, gets its versioning (a played version is never changed in
place), and exports to the same text. A change that leaves an error is refused whole, with the
problems to show beside the form.

A new node is put on an existing link — the link leads to it and it leads on to where the link
went — so adding a step never leaves a node nothing reaches; removing a customer or narration
line joins its neighbours again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask_babel import gettext as _

from training.people.models import User
from training.roleplay import yaml_format
from training.roleplay.errors import ScenarioInvalid
from training.roleplay.models import Scenario, ScenarioVersion
from training.roleplay.script import Node, NodeKind, Option, Outcome
from training.roleplay.script import Scenario as Script
from training.roleplay.services import save


@dataclass(frozen=True)
class Link:
    """A way from one node to the next: its `next`, or one of its options."""

    source: str
    option: str | None
    target: str

    @property
    def key(self) -> str:
        return f"{self.source}.{self.option}" if self.option else self.source

    def __str__(self) -> str:
        return f"{self.key} → {self.target}"


def _links_of(node: Node) -> list[Link]:
    found = [Link(node.id, option.id, option.next) for option in node.options]
    return found + [Link(node.id, None, node.next)] if node.next else found


def links(script: Script) -> list[Link]:
    """Every link of the scenario, in file order."""
    return [link for node in script.nodes.values() for link in _links_of(node)]


def save_edit(scenario: Scenario, script: Script, *, actor: User) -> ScenarioVersion:
    """Save the edited scenario under its key (refused with every problem when invalid)."""
    return save(yaml_format.dump(replace(script, key=scenario.key)), actor=actor, key=scenario.key)


def update_node(scenario: Scenario, script: Script, node: Node, *, actor: User) -> ScenarioVersion:
    nodes = {node_id: node if node_id == node.id else old for node_id, old in script.nodes.items()}
    return save_edit(scenario, replace(script, nodes=nodes), actor=actor)


def update_settings(
    scenario: Scenario, script: Script, fields: dict[str, Any], *, actor: User
) -> ScenarioVersion:
    return save_edit(scenario, replace(script, **fields), actor=actor)


def add_node(
    scenario: Scenario, script: Script, node_id: str, kind: NodeKind, link_key: str, *,
    actor: User,
) -> ScenarioVersion:
    """Put a new node of `kind` on the link `link_key` (see the module doc)."""
    if node_id in script.nodes:
        raise ScenarioInvalid(_("节点编号 %(id)s 已存在。", id=node_id), [])
    link = next((link for link in links(script) if link.key == link_key), None)
    if link is None:
        raise ScenarioInvalid(_("请选择一条连线。"), [])
    nodes = {}
    for old in script.nodes.values():
        nodes[old.id] = _redirect(old, link, node_id)
        if old.id == link.source:
            nodes[node_id] = _new_node(node_id, kind, link.target)
    return save_edit(scenario, replace(script, nodes=nodes), actor=actor)


def _redirect(node: Node, link: Link, target: str) -> Node:
    """`node` with `link` (if it is one of its own) leading to `target` instead."""
    if node.id != link.source:
        return node
    if link.option is None:
        return replace(node, next=target)
    options = tuple(replace(o, next=target) if o.id == link.option else o for o in node.options)
    return replace(node, options=options)


def _new_node(node_id: str, kind: NodeKind, then: str) -> Node:
    """A placeholder node of `kind` leading to `then`, for the trainer to fill in."""
    text = _("（待填写）")
    match kind:
        case NodeKind.DECISION:
            options = tuple(Option(letter, text, then) for letter in ("a", "b"))
            return Node(node_id, kind, text, options=options)
        case NodeKind.END:
            return Node(node_id, kind, text, outcome=Outcome.RESOLVED, debrief=text)
    return Node(node_id, kind, text, next=then)


def delete_node(scenario: Scenario, script: Script, node_id: str, *, actor: User) -> ScenarioVersion:
    """Remove a node; links to a customer or narration line go on to its `next` instead."""
    removed = script.nodes[node_id]
    bridge = removed.next if removed.kind in (NodeKind.CUSTOMER, NodeKind.NARRATION) else None
    nodes = {}
    for node in script.nodes.values():
        if node.id == node_id:
            continue
        if bridge:
            for link in _links_of(node):
                if link.target == node_id:
                    node = _redirect(node, link, bridge)
        nodes[node.id] = node
    start = bridge if script.start == node_id and bridge else script.start
    return save_edit(scenario, replace(script, nodes=nodes, start=start), actor=actor)
