"""Certification levels as a YAML file (`servicecoach cert import FILE` / `cert export`).

Pure Python: the file names exams, courses and manuals by title, scenarios by slug (or title),
levels by code and departments by path, or anything by `id:`. Reading takes two steps because
the importer creates the file's levels before it resolves their rules (a level may require one
defined further down): `parse` checks the file and returns `LevelSpec`s whose rules still name
things, then `resolve_levels` (or `resolve` for one rule) turns names into ids through the
caller's `Resolver`. Both steps are all or nothing and report every problem with its line.
`dump` writes the same format through the caller's `NameOf`. The format is described in
`FORMAT.md` beside this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import yaml

from question_bank.texts import N_
from training.certification.lifecycle import ExpiryBase
from training.certification.rules import (
    GROUPS,
    KIND_OF,
    KINDS,
    SUBJECT,
    AllOf,
    AnyOf,
    Path,
    Problems,
    Requirement,
    Rule,
    dotted,
    read_options,
    read_tree,
    to_dict,
    whole_number,
)
from training.yaml_lines import Problem, YamlFileError, compose, locate

# How the file may name what it refers to; export writes the first.
NAMED_BY: dict[str, tuple[str, ...]] = {
    "exam": ("title", "id"),
    "course": ("title", "id"),
    "scenario": ("slug", "title", "id"),
    "manual": ("title", "id"),
    "level": ("code", "id"),
    "department": ("path", "id"),
}
LEVEL_FIELDS = (
    "code", "name", "description", "validity_months", "expiry_base", "window_days",
    "applies_to", "prerequisites", "rule",
)
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
LONGEST_NAME = 100

Resolver = Callable[[str, str, str | int], int | None]  # (kind, by, value) → id; None: not found
NameOf = Callable[[str, int], str | None]  # (kind, id) → the name export writes; None: by id


class CertFileError(YamlFileError):
    """The level file cannot be imported; `problems` lists every reason with its line."""


@dataclass(frozen=True)
class Where:
    """Where a name was written, for a problem found when resolving it."""

    line: int | None
    node: str | None  # the level's code
    field: str


@dataclass(frozen=True)
class Ref:
    """Something the file names: a `kind` (exam, course, …) by `by` (title, slug, code, path,
    id) equal to `value`."""

    kind: str
    by: str
    value: str | int
    at: Where | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Named:
    """A requirement whose subject is still named (`subject` None: tenure, which reads none)."""

    kind: str
    subject: Ref | None
    options: Mapping[str, Any]


@dataclass(frozen=True)
class Group:
    kind: str  # all_of / any_of
    items: tuple[SpecRule, ...]


SpecRule = Named | Group


@dataclass(frozen=True)
class LevelSpec:
    """A level as the file writes it, checked; its references still by name."""

    code: str
    name: str
    description: str
    validity_months: int | None
    expiry_base: ExpiryBase
    window_days: int
    departments: tuple[Ref, ...]
    positions: tuple[str, ...]
    prerequisites: tuple[Ref, ...]
    rule: SpecRule
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Level:
    """A level as the service holds it: its rule and references by id."""

    code: str
    name: str
    rule: Rule
    description: str = ""
    validity_months: int | None = None
    expiry_base: ExpiryBase = ExpiryBase.COMPLETION
    window_days: int = 30
    department_ids: tuple[int, ...] = ()
    positions: tuple[str, ...] = ()
    prerequisite_ids: tuple[int, ...] = ()


# --- reading --------------------------------------------------------------------------------


def parse(text: str, source: str = "") -> list[LevelSpec]:
    """The levels the file describes; raises `CertFileError` with every problem found."""
    try:
        data, lines = compose(text, source)
    except YamlFileError as error:
        raise CertFileError(error.problems, source) from error
    reader = _Reader(lines)
    specs = reader.levels(data)
    if reader.problems:
        located = [reader.locate(path, message) for path, message in reader.problems]
        raise CertFileError(sorted(located, key=lambda problem: problem.line or 0), source)
    return specs


class _Reader:
    """Reads the file's plain data into specs, noting each problem by the path of its value."""

    def __init__(self, lines: dict[Path, int]) -> None:
        self.lines = lines
        self.problems: Problems = []
        self.codes: dict[int, str] = {}  # level index → its code, to name problems

    def locate(self, path: Path, message: str) -> Problem:
        node = self.codes.get(path[0]) if path and isinstance(path[0], int) else None
        return Problem(locate(path, self.lines), node, dotted(path[1:]), message)

    def where(self, path: Path) -> Where:
        return Where(locate(path, self.lines), self.codes.get(int(path[0])), dotted(path[1:]))

    def note(self, path: Path, message: str) -> None:
        self.problems.append((path, message))

    def levels(self, data: Any) -> list[LevelSpec]:
        if not isinstance(data, list) or not data:
            self.note((), N_("文件应是认证等级的列表（每项以 - code: 开头）"))
            return []
        specs = [self.level(item, (index,)) for index, item in enumerate(data)]
        self.unique(data, "code")
        self.unique(data, "name")
        self.acyclic(specs)
        return [spec for spec in specs if spec is not None]

    def level(self, item: Any, path: Path) -> LevelSpec | None:
        if not isinstance(item, Mapping):
            self.note(path, N_("每个等级应是键值对（字段: 值）"))
            return None
        before = len(self.problems)
        code = self.text(item, path, "code", required=True)
        if code and not CODE.fullmatch(code):
            self.note((*path, "code"), N_("代码只能含字母、数字、_ . -，最多 40 个字符"))
        self.codes[int(path[0])] = code or ""
        for key in item:
            if key not in LEVEL_FIELDS:
                self.note((*path, str(key)), N_("未知的字段：%(key)s", key=key))
        spec = self.level_fields(item, path, code or "")
        return spec if len(self.problems) == before else None

    def level_fields(self, item: Mapping[str, Any], path: Path, code: str) -> LevelSpec | None:
        name = self.text(item, path, "name", required=True)
        description = self.text(item, path, "description", longest=None)
        validity = self.number(item, path, "validity_months", 1)
        window = self.number(item, path, "window_days", 0)
        base = item.get("expiry_base") or ExpiryBase.COMPLETION
        if base not in set(ExpiryBase):
            self.note((*path, "expiry_base"), N_("应是 completion（从完成之日）或 previous_expiry（从原到期日）"))
            base = ExpiryBase.COMPLETION
        applies = self.applies_to(item.get("applies_to"), (*path, "applies_to"))
        prerequisites = self.refs("level", item.get("prerequisites"), (*path, "prerequisites"))
        rule = self.rule(item.get("rule"), (*path, "rule"))
        if name is None or rule is None or applies is None or prerequisites is None:
            return None
        return LevelSpec(
            code, name, description or "", validity, ExpiryBase(base),
            30 if window is None else window, applies[0], applies[1], prerequisites, rule,
            self.lines.get(path),
        )

    def text(
        self, item: Mapping[str, Any], path: Path, key: str, *, required: bool = False,
        longest: int | None = LONGEST_NAME,
    ) -> str | None:
        value = item.get(key)
        if value is None or value == "":
            if required:
                self.note((*path, key), N_("缺少此字段"))
            return None
        if not isinstance(value, str):
            self.note((*path, key), N_("应是文字"))
            return None
        if longest is not None and len(value.strip()) > longest:
            self.note((*path, key), N_("最多 %(n)s 个字符", n=longest))
        return value.strip()

    def number(self, item: Mapping[str, Any], path: Path, key: str, low: int) -> int | None:
        """The whole number written for `key` (None when left out or wrong, the latter noted)."""
        value = item.get(key)
        message = None if value is None else whole_number(low)(value)
        if message:
            self.note((*path, key), message)
        return None if value is None or message else int(value)

    def applies_to(self, value: Any, path: Path) -> tuple[tuple[Ref, ...], tuple[str, ...]] | None:
        if value is None:
            return (), ()
        if not isinstance(value, Mapping):
            self.note(path, N_("应是键值对：departments（部门路径）和 positions（岗位）"))
            return None
        for key in value:
            if key not in ("departments", "positions"):
                self.note((*path, str(key)), N_("未知的字段：%(key)s", key=key))
        departments = self.refs("department", value.get("departments"), (*path, "departments"))
        positions = self.strings(value.get("positions"), (*path, "positions"))
        return None if departments is None or positions is None else (departments, positions)

    def strings(self, value: Any, path: Path) -> tuple[str, ...] | None:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.note(path, N_("应是文字的列表"))
            return None
        return tuple(v.strip() for v in value)

    def refs(self, kind: str, value: Any, path: Path) -> tuple[Ref, ...] | None:
        """A list of names (or `{id: N}`) of levels or departments."""
        if value is None:
            return ()
        if not isinstance(value, list):
            self.note(path, N_("应是列表"))
            return None
        refs = []
        for index, item in enumerate(value):
            if isinstance(item, Mapping) and set(item) == {"id"}:
                refs.append(self.ref(kind, "id", item["id"], (*path, index, "id")))
            else:
                refs.append(self.ref(kind, NAMED_BY[kind][0], item, (*path, index)))
        present = tuple(ref for ref in refs if ref is not None)
        return present if len(present) == len(refs) else None

    def ref(self, kind: str, by: str, value: Any, path: Path) -> Ref | None:
        message = whole_number(1)(value) if by == "id" else (
            None if isinstance(value, str) and value.strip() else N_("应是文字")
        )
        if message:
            self.note(path, message)
            return None
        return Ref(kind, by, value.strip() if isinstance(value, str) else value, self.where(path))

    def rule(self, value: Any, path: Path) -> SpecRule | None:
        if value is None:
            self.note(path, N_("缺少此字段"))
            return None
        make_group: Callable[[str, tuple[SpecRule, ...]], SpecRule] = Group
        return read_tree(value, path, self.named, make_group, self.problems)

    def named(self, kind: str, value: Any, path: Path, problems: Problems) -> Named | None:
        """One requirement: its settings checked, its subject named in exactly one way."""
        ways = NAMED_BY.get(kind, ())
        options = read_options(kind, value, path, problems, set(ways))
        subject = None
        if ways and isinstance(value, Mapping):
            given = [way for way in ways if way in value]
            if len(given) == 1:
                subject = self.ref(kind, given[0], value[given[0]], (*path, given[0]))
            else:
                self.note(path, N_("写明 %(ways)s 之一（只写一个）", ways=" / ".join(ways)))
        if options is None or (ways and subject is None):
            return None
        return Named(kind, subject, options)

    def unique(self, items: list[Any], key: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(items):
            value = item.get(key) if isinstance(item, Mapping) else None
            if not isinstance(value, str):
                continue
            if value.strip() in seen:
                self.note((index, key), N_("与前面的等级重复：%(value)s", value=value.strip()))
            seen.add(value.strip())

    def acyclic(self, specs: list[LevelSpec | None]) -> None:
        """Levels of the file that require one another in a circle could never be earned."""
        needs = {spec.code: _codes_required(spec) for spec in specs if spec is not None}
        for index, spec in enumerate(specs):
            if spec is not None and _reaches(needs, spec.code, spec.code):
                self.note((index, "code"), N_("等级循环依赖自身（通过先决等级或等级条件）"))


def _codes_required(spec: LevelSpec) -> set[str]:
    refs = [*spec.prerequisites, *_refs(spec.rule)]
    return {str(ref.value) for ref in refs if ref.kind == "level" and ref.by == "code"}


def _refs(rule: SpecRule) -> list[Ref]:
    if isinstance(rule, Group):
        return [ref for item in rule.items for ref in _refs(item)]
    return [rule.subject] if rule.subject is not None else []


def _reaches(needs: Mapping[str, set[str]], start: str, target: str) -> bool:
    seen: set[str] = set()
    stack = list(needs.get(start, ()))
    while stack:
        code = stack.pop()
        if code == target:
            return True
        if code not in seen:
            seen.add(code)
            stack.extend(needs.get(code, ()))
    return False


# --- resolving names --------------------------------------------------------------------------

_MISSING: dict[str, Callable[[str], str]] = {
    "exam": lambda name: N_("找不到考试：%(name)s", name=name),
    "course": lambda name: N_("找不到课程：%(name)s", name=name),
    "scenario": lambda name: N_("找不到情景演练场景：%(name)s", name=name),
    "manual": lambda name: N_("找不到手册：%(name)s", name=name),
    "level": lambda name: N_("找不到认证等级：%(name)s", name=name),
    "department": lambda name: N_("找不到部门：%(name)s", name=name),
}


def resolve(spec: SpecRule, resolver: Resolver) -> Rule:
    """The rule with every name turned into an id; raises `CertFileError` naming each one
    that is not found, at its line."""
    problems: list[Problem] = []
    rule = _resolve_rule(spec, resolver, problems)
    if problems or rule is None:
        raise CertFileError(problems)
    return rule


def resolve_levels(specs: Iterable[LevelSpec], resolver: Resolver) -> list[Level]:
    """Every level with its rule, departments and prerequisites by id; raises `CertFileError`
    with every name not found in any of them."""
    problems: list[Problem] = []
    levels = [_resolve_level(spec, resolver, problems) for spec in specs]
    if problems:
        raise CertFileError(sorted(problems, key=lambda problem: problem.line or 0))
    return [level for level in levels if level is not None]


def _resolve_level(spec: LevelSpec, resolver: Resolver, problems: list[Problem]) -> Level | None:
    rule = _resolve_rule(spec.rule, resolver, problems)
    departments = [_resolve_ref(ref, resolver, problems) for ref in spec.departments]
    prerequisites = [_resolve_ref(ref, resolver, problems) for ref in spec.prerequisites]
    ids = [*departments, *prerequisites]
    if rule is None or None in ids:
        return None
    return Level(
        spec.code, spec.name, rule, spec.description, spec.validity_months, spec.expiry_base,
        spec.window_days, tuple(d for d in departments if d is not None), spec.positions,
        tuple(p for p in prerequisites if p is not None),
    )


def _resolve_rule(spec: SpecRule, resolver: Resolver, problems: list[Problem]) -> Rule | None:
    if isinstance(spec, Group):
        items = [_resolve_rule(item, resolver, problems) for item in spec.items]
        present = tuple(item for item in items if item is not None)
        return GROUPS[spec.kind](present) if len(present) == len(items) else None
    subject = SUBJECT[spec.kind]
    if spec.subject is None or subject is None:
        return KINDS[spec.kind](**spec.options)
    ident = _resolve_ref(spec.subject, resolver, problems)
    arguments: dict[str, Any] = {**spec.options, subject: ident}
    return None if ident is None else KINDS[spec.kind](**arguments)


def _resolve_ref(ref: Ref, resolver: Resolver, problems: list[Problem]) -> int | None:
    ident = resolver(ref.kind, ref.by, ref.value)
    if ident is None:
        at = ref.at or Where(None, None, "")
        name = str(ref.value) if ref.by != "id" else f"id {ref.value}"
        problems.append(Problem(at.line, at.node, at.field, _MISSING[ref.kind](name)))
    return ident


# --- writing ----------------------------------------------------------------------------------


def dump(levels: Iterable[Level], name_of: NameOf) -> str:
    """The levels as a file `parse` and `resolve_levels` read back to equal levels."""
    data = [_level_data(level, name_of) for level in levels]
    return yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )


def _level_data(level: Level, name_of: NameOf) -> dict[str, Any]:
    data: dict[str, Any] = {"code": level.code, "name": level.name}
    if level.description:
        data["description"] = level.description
    data["validity_months"] = level.validity_months
    data["expiry_base"] = str(level.expiry_base)
    data["window_days"] = level.window_days
    applies: dict[str, Any] = {}
    if level.department_ids:
        applies["departments"] = [_name("department", i, name_of) for i in level.department_ids]
    if level.positions:
        applies["positions"] = list(level.positions)
    if applies:
        data["applies_to"] = applies
    if level.prerequisite_ids:
        data["prerequisites"] = [_name("level", i, name_of) for i in level.prerequisite_ids]
    data["rule"] = _rule_data(level.rule, name_of)
    return data


def _name(kind: str, ident: int, name_of: NameOf) -> str | dict[str, int]:
    name = name_of(kind, ident)
    return name if name is not None else {"id": ident}


def _rule_data(rule: Rule, name_of: NameOf) -> dict[str, Any]:
    if isinstance(rule, AllOf | AnyOf):
        key = "all_of" if isinstance(rule, AllOf) else "any_of"
        return {key: [_rule_data(item, name_of) for item in rule.items]}
    kind = KIND_OF[type(rule)]
    stored = to_dict(rule)[kind]
    written: dict[str, Any] = {}
    subject = SUBJECT[kind]
    if subject is not None:
        ident = stored.pop(subject)
        name = name_of(kind, ident)
        written[NAMED_BY[kind][0] if name is not None else "id"] = ident if name is None else name
    written.update(
        (name, value) for name, value in stored.items() if value != _default(rule, name)
    )
    return {kind: written}


def _default(rule: Requirement, name: str) -> Any:
    return next(item.default for item in fields(rule) if item.name == name)
