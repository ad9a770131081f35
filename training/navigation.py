"""The navigation bar: each feature registers its entries with the roles that see them."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: LazyString
    icon: str
    roles: frozenset[str]  # empty: every signed-in user
    order: int = 100

    def visible_to(self, roles: frozenset[str]) -> bool:
        return not self.roles or "admin" in roles or bool(self.roles & roles)


NAV_ITEMS: list[NavItem] = []


def register_nav(
    endpoint: str, label: LazyString, icon: str, *roles: str, order: int = 100
) -> None:
    """Add an entry to the navigation bar, shown to holders of any of `roles`."""
    NAV_ITEMS.append(NavItem(endpoint, label, icon, frozenset(roles), order))
    NAV_ITEMS.sort(key=lambda item: item.order)


def nav_for(roles: frozenset[str]) -> list[NavItem]:
    return [item for item in NAV_ITEMS if item.visible_to(roles)]
