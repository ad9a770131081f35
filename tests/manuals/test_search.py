"""Chinese search: jieba tokens, BM25 ranking, escaped highlights, the per-process index."""

from __future__ import annotations

import random
import subprocess
import sys
import time

from tests.manuals.samples import EDITION_1, EDITION_2, OTHER, parsed
from training import create_app
from training.database import db
from training.manuals.search import (
    SearchEntry,
    SearchIndex,
    highlight,
    highlight_pattern,
    library_index,
    search_library,
    snippet,
    tokenize,
)
from training.manuals.services import import_manuals, manual_by_slug, update_manual


def entry(anchor: str, text: str, heading: str = "第一条") -> SearchEntry:
    return SearchEntry("s", "制度", anchor, heading, f"制度 §{heading}", text, tokenize(text))


def test_tokens_are_search_mode_words_without_punctuation():
    tokens = tokenize("客户投诉处理流程：记录、核实！")
    assert {"投诉", "处理", "流程", "记录", "核实"} <= set(tokens)
    assert not {"：", "、", "！"} & set(tokens)
    assert tokenize("VIP客户") == ["vip", "客户"]


def test_the_article_about_the_query_ranks_first():
    index = SearchIndex(
        [
            entry("a1", "客服人员应使用礼貌用语接听电话。"),
            entry("a2", "客户投诉应在24小时内响应，投诉处理结果应回访。"),
            entry("a3", "客户信息不得泄露，投诉资料同样保密。"),
        ]
    )
    hits = index.search("投诉处理")
    assert [hit.entry.anchor for hit in hits] == ["a2", "a3"]
    assert hits[0].score > hits[1].score
    assert "<mark>投诉</mark>" in hits[0].snippet
    assert index.search("。，！") == [] and index.search("航天") == []
    assert SearchIndex([]).search("投诉") == []


def test_highlight_escapes_the_text_and_marks_matches():
    pattern = highlight_pattern(["投诉", "投诉处理"])
    marked = highlight('<script>alert("投诉")</script> 投诉处理', pattern)
    assert marked == (
        "&lt;script&gt;alert(&#34;<mark>投诉</mark>&#34;)&lt;/script&gt; <mark>投诉处理</mark>"
    )
    assert highlight("<b>", None) == "&lt;b&gt;"


def test_snippet_is_a_window_around_the_first_match():
    text = "甲" * 200 + "投诉" + "乙" * 200
    shown = snippet(text, highlight_pattern(["投诉"]))
    assert shown.startswith("…") and shown.endswith("…") and "<mark>投诉</mark>" in shown
    assert len(shown.striptags()) < 130
    assert snippet("短文本", None) == "短文本"


def test_library_search_covers_current_editions_only(app):
    import_manuals(parsed(EDITION_1), "v1.txt")
    import_manuals(parsed(OTHER), "other.txt")
    db.session.commit()
    hits = search_library("回访")
    assert [(h.entry.manual_title, h.entry.anchor) for h in hits] == [("客户服务管理制度", "a4")]
    assert hits[0].entry.address == "客户服务管理制度 §第二章 第四条"
    import_manuals(parsed(EDITION_2), "v2.txt")
    db.session.commit()
    assert search_library("回访") == []
    titles = {hit.entry.manual_title for hit in search_library("投诉")}
    assert titles == {"客户服务管理制度", "客户信息保密规定"}
    items = search_library("致歉")
    assert [h.entry.anchor for h in items] == ["a3"], "items are searched with their article"


def test_the_index_is_reused_until_the_library_changes(app):
    import_manuals(parsed(EDITION_1), "v1.txt")
    db.session.commit()
    first = library_index()
    assert library_index() is first
    update_manual(manual_by_slug("客户服务管理制度"), "客户服务管理制度（新）", False)
    db.session.commit()
    renamed = library_index()
    assert renamed is not first
    assert renamed.search("投诉")[0].entry.manual_title == "客户服务管理制度（新）"


def test_an_import_by_another_process_is_seen_by_the_next_search(app, database_url):
    import_manuals(parsed(EDITION_1), "v1.txt")
    db.session.commit()
    assert search_library("泄露") == []
    other = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    with other.app_context():  # a second app server sharing the database
        import_manuals(parsed(OTHER), "other.txt")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    assert [h.entry.manual_title for h in search_library("泄露")] == ["客户信息保密规定"]


def test_jieba_stays_silent_and_offline():
    code = "from training.manuals.search import tokenize; print(tokenize('客户投诉处理'))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stderr == ""
    assert "投诉" in run.stdout


def test_queries_over_10000_articles_take_under_100_ms():
    rng = random.Random(7)
    # Zipf-like: 客户 and 服务 are in nearly every article, the worst case for candidates.
    words = ["客户", "服务", "投诉", "回访", "保密"] + [f"词{n}" for n in range(3000)]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    entries = [
        SearchEntry("s", "制度", f"a{n}", "条", "制度 §条", "", rng.choices(words, weights, k=60))
        for n in range(10_000)
    ]
    index = SearchIndex(entries)
    timings = []
    for query in ("投诉", "客户投诉处理", "服务 保密", "回访客户", "客户服务"):
        started = time.perf_counter()
        assert index.search(query)
        timings.append(time.perf_counter() - started)
    assert max(timings) < 0.1, timings
