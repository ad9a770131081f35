"""The import preview's hand fixes: split, merge and retype before anything is written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.bank.test_routes import paste, question_count
from training.bank.models import Question
from training.bank.services import ensure_bank
from training.database import db

LOST_NUMBER = """一、选择题
1. 首问负责制指什么？
A. 首位接待者负责到底
B. 谁有空谁负责
答案：A
客服应如何结束通话？
A. 礼貌道别
B. 直接挂断
答案：A
2. 客户满意度调查的目的是（ ）
A. 改进服务
B. 应付检查
答案：A"""
SWALLOWED = """一、简答题
1. 首问负责制指什么？
答案：首位接待者负责到底
客服应如何结束通话？
答案：礼貌道别
2. 客户满意度调查的目的是什么？
答案：改进服务"""


@pytest.fixture
def bank(app):
    bank = ensure_bank("修正测试题库")
    db.session.commit()
    return bank


def test_splitting_a_question_that_swallowed_the_next_one_unblocks_the_import(
    client, login_as, bank
):
    login_as("trainer")
    preview = paste(client, bank, SWALLOWED)
    page = preview.get_data(as_text=True)
    assert "识别出 2 道题" in page and 'data-testid="import-blocked"' in page
    assert "客服应如何结束通话？" in page  # the source lines are shown beside the question
    split = client.post(preview.request.url, data={"fix": "split:0:4", "fixes": "[]"})
    page = split.get_data(as_text=True)
    assert "识别出 3 道题" in page and 'data-testid="import-blocked"' not in page
    assert question_count() == 0
    fixes = '[{"op": "split", "index": 0, "line": 4}]'
    done = client.post(preview.request.url, data={"fixes": fixes}, follow_redirects=True)
    assert "已导入 3 道题" in done.get_data(as_text=True)
    texts = " ".join(db.session.scalars(select(Question.search_text)))
    assert "客服应如何结束通话" in texts


def test_a_question_that_lost_its_number_is_imported_as_a_draft_of_its_own(client, login_as, bank):
    login_as("trainer")
    preview = paste(client, bank, LOST_NUMBER)
    page = preview.get_data(as_text=True)
    assert "识别出 3 道题" in page and 'data-testid="import-blocked"' not in page
    assert "题号丢失" in page
    done = client.post(preview.request.url, data={"fixes": "[]"}, follow_redirects=True)
    assert "已导入 3 道题" in done.get_data(as_text=True)
    statuses = {q.search_text[:10]: q.status for q in db.session.scalars(select(Question))}
    assert [status for text, status in statuses.items() if "结束通话" in text] == ["draft"]
    assert sorted(statuses.values()) == ["draft", "ready", "ready"]


def test_changing_the_type_and_merging_reach_the_bank(client, login_as, bank):
    login_as("trainer")
    preview = paste(
        client,
        bank,
        "1. 哪些属于服务礼仪（ ）\nA. 微笑\nB. 倾听\n答案：A\n2. 第二题\nA. 甲\nB. 乙\n答案：B",
    )
    retyped = client.post(
        preview.request.url, data={"fix": "type:0", "type-0": "multiple", "fixes": "[]"}
    )
    assert "多选题" in retyped.get_data(as_text=True)
    fixes = '[{"op": "type", "index": 0, "kind": "multiple"}, {"op": "merge", "index": 0}]'
    done = client.post(preview.request.url, data={"fixes": fixes}, follow_redirects=True)
    assert "已导入 1 道题" in done.get_data(as_text=True)
    question = db.session.scalars(select(Question)).one()
    assert question.type == "multiple"


def test_a_forged_fix_is_ignored(client, login_as, bank):
    login_as("trainer")
    preview = paste(client, bank, SWALLOWED)
    page = client.post(
        preview.request.url, data={"fix": "type:0", "type-0": "<script>", "fixes": "{bad"}
    ).get_data(as_text=True)
    assert "识别出 2 道题" in page and "<script>" not in page


def test_code_in_a_pasted_blog_post_is_shown_verbatim_in_monospace(client, login_as, bank):
    login_as("trainer")
    post = (
        "## 一、单选题\n\n**1. 这段配置里超时是多少？**\n\n```yaml\nticket:\n  timeout: <30>\n```\n\n"
        "A. 3\nB. 30\n\n答案：B\n\n**2. 日志在哪个目录？**\n\nA. /var/log\nB. /tmp\n\n答案：A\n"
    )
    page = paste(client, bank, post).get_data(as_text=True)
    assert '<code class="sc-code">ticket:\n  timeout: &lt;30&gt;</code>' in page
    assert "识别出 2 道题" in page


def test_a_key_read_from_the_explanation_waits_in_keying_mode_preselected(client, login_as, bank):
    login_as("trainer")
    paper = "1. 投诉处理的首要环节是（ ）\nA. 赔偿\nB. 倾听\nC. 结案\n解析：首先要耐心倾听，故选B。"
    preview = paste(client, bank, paper)
    assert "答案取自解析，请确认" in preview.get_data(as_text=True)
    client.post(preview.request.url, data={}, follow_redirects=True)
    question = db.session.scalars(select(Question)).one()
    assert (question.status, question.needs_key, question.current_version.answer) == (
        "draft",
        True,
        ["B"],
    )
    keying = client.get(f"/bank/{bank.id}/keying").get_data(as_text=True)
    assert 'data-testid="keying-suggested"' in keying
    assert 'value="B" checked' in keying and 'value="A" checked' not in keying
    client.post(f"/bank/{bank.id}/keying", data={"question_id": question.id, "choice": "B"})
    db.session.expire_all()
    assert (question.status, question.needs_key) == ("ready", False)
