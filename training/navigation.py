"""The navigation bar: each feature registers its entries with the roles that see them.

Entries shared by everyone (首页, 服务手册) stand alone; the others belong to the group of the
role they serve (学习, 教学, 管理). A user who sees entries of several groups — an admin sees
all of them — gets one drop-down per group, so the bar stays one line on a laptop; a user with
a single group keeps its few entries flat, one click away.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

LEARN, TEACH, MANAGE = "learn", "teach", "manage"
NAV_GROUPS: dict[str, tuple[LazyString, str]] = {
    LEARN: (_l("学习"), "mortarboard"),
    TEACH: (_l("教学"), "easel"),
    MANAGE: (_l("管理"), "gear"),
}


def _blueprint(endpoint: str | None) -> str:
    return (endpoint or "").partition(".")[0]


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: LazyString
    icon: str
    roles: frozenset[str]  # empty: every signed-in user
    order: int = 100
    group: str | None = None  # a key of NAV_GROUPS; None: shown on its own

    def visible_to(self, roles: frozenset[str]) -> bool:
        return not self.roles or "admin" in roles or bool(self.roles & roles)

    def is_active(self, endpoint: str | None) -> bool:
        """The page being shown belongs to this entry's feature."""
        return _blueprint(endpoint) == _blueprint(self.endpoint)


@dataclass(frozen=True)
class NavMenu:
    """A drop-down holding one group's entries."""

    label: LazyString
    icon: str
    items: tuple[NavItem, ...]

    def is_active(self, endpoint: str | None) -> bool:
        return any(item.is_active(endpoint) for item in self.items)


NAV_ITEMS: list[NavItem] = []


def register_nav(
    endpoint: str,
    label: LazyString,
    icon: str,
    *roles: str,
    order: int = 100,
    group: str | None = None,
) -> None:
    """Add an entry to the navigation bar, shown to holders of any of `roles`."""
    if group is not None and group not in NAV_GROUPS:
        raise ValueError(f"unknown navigation group {group!r}")
    NAV_ITEMS.append(NavItem(endpoint, label, icon, frozenset(roles), order, group))
    NAV_ITEMS.sort(key=lambda item: item.order)


def nav_for(roles: frozenset[str]) -> list[NavItem | NavMenu]:
    """The bar for a user holding `roles`: shared entries, then the groups (see module doc)."""
    visible = [item for item in NAV_ITEMS if item.visible_to(roles)]
    if len({item.group for item in visible if item.group}) <= 1:
        return list(visible)
    entries: list[NavItem | NavMenu] = [item for item in visible if item.group is None]
    for key, (label, icon) in NAV_GROUPS.items():
        items = tuple(item for item in visible if item.group == key)
        if items:
            entries.append(NavMenu(label, icon, items))
    return entries
