"""The core tests' sample scenario (sample.yaml) and ways to change it for one test."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from training.roleplay.script import Scenario, from_dict

SAMPLE = Path(__file__).with_name("sample.yaml")
TEXT = SAMPLE.read_text(encoding="utf-8")
_DATA = yaml.safe_load(TEXT)


def data() -> dict[str, Any]:
    """A fresh copy of the sample's data, to change for one test."""
    return copy.deepcopy(_DATA)


def scenario(changed: dict[str, Any] | None = None) -> Scenario:
    return from_dict(changed if changed is not None else data())


def node(changed: dict[str, Any], node_id: str) -> dict[str, Any]:
    """The node's entry in the data (to change in place)."""
    return next(item for item in changed["nodes"] if item["id"] == node_id)


def option(changed: dict[str, Any], node_id: str, option_id: str) -> dict[str, Any]:
    return next(item for item in node(changed, node_id)["options"] if item["id"] == option_id)
