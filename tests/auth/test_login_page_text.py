"""The sign-in page promises only what this release ships."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from training.highlights import HIGHLIGHTS, register_highlight


def highlights(client) -> list[str]:
    page = client.get("/login").get_data(as_text=True)
    block = page.split('data-testid="login-highlights"')[1].split("</ul>")[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", block, re.S)]


def test_sign_in_page_lists_the_shipped_features_only(client):
    lines = highlights(client)
    assert lines == ["服务手册与制度随时查阅，条文可检索", "分类练习、背题与错题本",
                     "模拟考试与正式考核，自动计时与评分", "在线课程与学习进度跟踪",
                     "投诉处理情景演练，按服务步骤评分与复盘"]
    page = client.get("/login").get_data(as_text=True)
    for unshipped in ("资格认证", "认证"):
        assert unshipped not in page


def test_a_feature_that_ships_adds_its_own_line(client):
    register_highlight(_l("投诉处理情景演练"), "chat-heart", order=50)
    try:
        assert highlights(client)[-1] == "投诉处理情景演练"
    finally:
        del HIGHLIGHTS[-1]
