"""The demo company's departments and accounts, created idempotently."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from training.database import db
from training.passwords import hash_password
from training.people.models import User
from training.people.services import (
    AccountDetails,
    create_user,
    identity_words,
    validate_password,
)

COMPANY = "示范公司"
TEAMS = (
    f"{COMPANY}/客服中心/热线一组",
    f"{COMPANY}/客服中心/热线二组",
    f"{COMPANY}/客服中心/投诉处理组",
    f"{COMPANY}/客服中心/在线客服组",
    f"{COMPANY}/华南客服中心/热线组",
    f"{COMPANY}/华南客服中心/在线组",
)
ROLE_ACCOUNTS = (
    AccountDetails(
        "demo-employee", "李晓梅", frozenset({"employee"}), "D0001", TEAMS[0], position="客服专员"
    ),
    AccountDetails(
        "demo-trainer",
        "王培训",
        frozenset({"trainer"}),
        "D0002",
        f"{COMPANY}/培训部",
        position="培训师",
    ),
    AccountDetails(
        "demo-hr",
        "陈人事",
        frozenset({"hr"}),
        "D0003",
        f"{COMPANY}/人力资源部",
        position="人事专员",
    ),
    AccountDetails(
        "demo-admin",
        "赵管理",
        frozenset({"admin"}),
        "D0004",
        f"{COMPANY}/信息技术部",
        position="系统管理员",
    ),
)
_SURNAMES = "张王李赵刘陈杨黄周吴徐孙"
_GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "丽",
    "强",
    "霞",
    "平",
    "刚",
    "桂英",
    "鹏",
    "婷",
    "浩",
    "雪",
    "晨",
    "琳",
    "宇",
    "欣",
    "佳",
    "凯",
    "悦",
    "博",
    "倩",
    "彤",
)
EMPLOYEE_COUNT = 36


@dataclass
class DemoLogin:
    username: str
    name: str
    roles: str
    password: str | None  # None: the account existed and keeps its password


def team_employees() -> list[AccountDetails]:
    """A few dozen employees spread over the teams so lists and reports are not empty."""
    people = []
    for index in range(EMPLOYEE_COUNT):
        number = f"E{1001 + index}"
        name = _SURNAMES[index % len(_SURNAMES)] + _GIVEN[index % len(_GIVEN)]
        position = "组长" if index % 9 == 0 else "客服专员"
        people.append(
            AccountDetails(
                number,
                name,
                frozenset({"employee"}),
                number,
                TEAMS[index % len(TEAMS)],
                position=position,
            )
        )
    return people


def ensure_demo_people(password: str | None) -> list[DemoLogin]:
    """Create missing demo accounts; with `password`, also reset every demo account to it."""
    shared_hash = hash_password(password) if password else None
    logins = []
    for details in ROLE_ACCOUNTS + tuple(team_employees()):
        user = db.session.scalar(select(User).filter_by(username=details.username))
        roles = ",".join(sorted(details.roles))
        if user is None:
            chosen = password or secrets.token_urlsafe(9)
            create_user(details, chosen, password_hash=shared_hash)
            logins.append(DemoLogin(details.username, details.display_name, roles, chosen))
        elif password:
            validate_password(password, identity_words(user))
            user.set_password(password, password_hash=shared_hash)
            user.active = True
            logins.append(DemoLogin(details.username, details.display_name, roles, password))
        else:
            logins.append(DemoLogin(details.username, details.display_name, roles, None))
    db.session.flush()
    return logins
