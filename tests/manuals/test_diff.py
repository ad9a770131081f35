"""Comparing two editions article by article, and the hook the question bank will call."""

from __future__ import annotations

from tests.manuals.samples import EDITION_1, EDITION_2, OTHER, parsed
from training.database import db
from training.manuals.models import ManualEdition
from training.manuals.services import (
    ArticleChange,
    ArticleText,
    changed_anchors,
    diff_editions,
    import_manuals,
)


def two_editions() -> tuple[ManualEdition, ManualEdition]:
    (first,) = import_manuals(parsed(EDITION_1), "v1.txt")
    (second,) = import_manuals(parsed(EDITION_2), "v2.txt")
    db.session.commit()
    return first.edition, second.edition


def test_added_removed_changed_and_unchanged_articles(app):
    old, new = two_editions()
    diff = diff_editions(old, new)
    assert [a.anchor for a in diff.added] == ["a5"]
    assert [a.anchor for a in diff.removed] == ["a4"]
    assert [c.new.anchor for c in diff.changed] == ["a3"]
    assert diff.unchanged == 2, "第二条 moved to another chapter but its text is the same"
    change = diff.changed[0]
    assert change.old.address == "客户服务管理制度 §第二章 第三条"
    assert change.new.address == "客户服务管理制度 §第三章 第三条"
    assert change.new.text.splitlines() == [
        "客户投诉应在12小时内响应：",
        "1. 记录投诉内容；",
        "2. 核实问题原因；",
        "3. 向客户致歉。",
    ]


def test_segments_mark_what_was_deleted_and_inserted():
    change = ArticleChange(
        ArticleText("a3", "第三条", "x §第三条", "应在24小时内响应。"),
        ArticleText("a3", "第三条", "x §第三条", "应在12小时内响应，并致歉。"),
    )
    segments = change.segments()
    assert "".join(t for op, t in segments if op != "insert") == "应在24小时内响应。"
    assert "".join(t for op, t in segments if op != "delete") == "应在12小时内响应，并致歉。"
    assert ("delete", "24") in segments and ("insert", "12") in segments
    assert ("insert", "，并致歉") in segments


def test_diff_of_an_edition_with_itself_is_empty(app):
    old, _new = two_editions()
    diff = diff_editions(old, old)
    assert (diff.added, diff.removed, diff.changed, diff.unchanged) == ([], [], [], 4)


def test_changed_anchors_are_the_changed_and_removed_articles(app):
    old, new = two_editions()
    assert changed_anchors(old, new) == {"a3", "a4"}
    assert changed_anchors(new, old) == {"a3", "a5"}


def test_diff_page_shows_ins_and_del_marks(app, client, login_as):
    old, new = two_editions()
    import_manuals(parsed(OTHER), "other.txt")
    db.session.commit()
    login_as("employee")
    page = client.get(f"/manuals/{new.manual.slug}/diff/1/2").get_data(as_text=True)
    assert "<del>24</del><ins>12</ins>小时" in page
    assert 'data-testid="diff-added"' in page and 'data-testid="diff-removed"' in page
    history = client.get(f"/manuals/{new.manual.slug}/history").get_data(as_text=True)
    assert 'data-testid="diff-link"' in history and "/diff/1/2" in history
    assert client.get(f"/manuals/{new.manual.slug}/diff/1/9").status_code == 404


def test_a_new_article_title_alone_is_a_change(app):
    import_manuals(parsed("服务规范\n第一条 甲。\n第二条 乙。\n"), "v1.txt")
    (first,) = import_manuals(parsed("服务规范\n第一条 甲。\n第二条 乙。\n"), "same.txt")
    (second,) = import_manuals(parsed("服务规范\n第一条【目的】甲。\n第二条 乙。\n"), "v2.txt")
    assert first.created is False
    diff = diff_editions(first.edition, second.edition)
    assert [(c.old.heading, c.new.heading) for c in diff.changed] == [("第一条", "第一条 目的")]
