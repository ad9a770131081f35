"""The paper pages: who may use them, the fixed-paper builder, the rule editor, the preview."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.papers.factories import fill
from training.bank.services import ensure_bank
from training.database import db, utcnow
from training.exams.services import ExamSettings, create_exam
from training.papers.models import Paper, PaperSection
from training.papers.queries import items_of
from training.papers.services import SectionValues, add_questions, add_section, create_paper


@pytest.fixture
def bank(app):
    bank = ensure_bank("页面试卷题库")
    db.session.commit()
    return bank


@pytest.fixture
def fixed_paper(bank):
    paper = create_paper("固定模拟卷", "", "fixed", bank, actor=None)
    add_questions(paper.sections[0], fill(bank, "single", 3), actor=None)
    db.session.commit()
    return paper


def text(response) -> str:
    return response.get_data(as_text=True)


def new_paper(client, bank, kind: str, title: str = "新试卷") -> Paper:
    response = client.post("/papers/", data={"title": title, "kind": kind, "bank_id": bank.id,
                                             "description": ""}, follow_redirects=True)
    assert "试卷已创建" in text(response)
    return db.session.scalar(select(Paper).filter_by(title=title))


@pytest.mark.parametrize("role", ["employee", "hr"])
def test_only_trainers_and_admins_reach_papers(client, login_as, fixed_paper, role):
    login_as(role)
    for url in ("/papers/", f"/papers/{fixed_paper.id}/", f"/papers/{fixed_paper.id}/preview?seed=1"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/papers/{fixed_paper.id}/items", data={}).status_code == 403


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_trainers_and_admins_see_the_list_and_the_nav_entry(client, login_as, fixed_paper, role):
    login_as(role)
    page = text(client.get("/papers/"))
    assert "固定模拟卷" in page and 'href="/papers/"' in page
    assert "3 题" in page


def test_employees_see_no_papers_entry_in_the_navigation(client, login_as):
    login_as("employee")
    assert 'href="/papers/"' not in text(client.get("/"))


def test_missing_papers_are_404(client, login_as):
    login_as("trainer")
    assert client.get("/papers/999/").status_code == 404
    assert client.post("/papers/sections/999/edit", data={}).status_code == 404


def test_trainer_builds_a_fixed_paper(client, login_as, bank):
    login_as("trainer")
    questions = fill(bank, "single", 4, points=2)
    db.session.commit()
    paper = new_paper(client, bank, "fixed", "客服模拟卷")
    builder = text(client.get(f"/papers/{paper.id}/?q=single第3题"))
    assert builder.count('data-testid="builder-result"') == 1
    section = paper.sections[0]
    added = client.post(f"/papers/{paper.id}/questions", follow_redirects=True, data={
        "section_id": section.id, "bank": bank.id, "ids": [q.id for q in questions[:3]],
        "search-q": "single",
    })
    assert "已添加 3 道题" in text(added) and "q=single" in added.request.url
    again = client.post(f"/papers/{paper.id}/questions", follow_redirects=True, data={
        "section_id": section.id, "bank": bank.id, "ids": [questions[0].id]})
    assert "已添加 0 道题" in text(again)
    first, second, third = items_of(paper)
    saved = client.post(f"/papers/{paper.id}/items", follow_redirects=True, data={
        f"points-{first.id}": "5", f"points-{second.id}": "2.5", f"points-{third.id}": "2",
        "move": f"{third.id}:-1"})
    assert 'data-testid="total-points">9.5<' in text(saved)
    client.post(f"/papers/{paper.id}/items", data={"remove": str(first.id)})
    db.session.expire_all()
    assert [(i.question_id, i.points) for i in items_of(paper)] == [(questions[2].id, 2.0), (questions[1].id, 2.5)]
    refused = client.post(f"/papers/{paper.id}/items", follow_redirects=True,
                          data={f"points-{second.id}": "abc"})
    assert "分值必须是数字" in text(refused)


def test_sections_of_a_fixed_paper_are_added_renamed_and_reordered(client, login_as, fixed_paper):
    login_as("trainer")
    client.post(f"/papers/{fixed_paper.id}/sections", data={"new-title": "二、多项选择题"})
    db.session.expire_all()
    first, second = fixed_paper.sections
    client.post(f"/papers/sections/{first.id}/edit", data={f"s{first.id}-title": "一、单项选择题"})
    client.post(f"/papers/sections/{second.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [s.title for s in fixed_paper.sections] == ["二、多项选择题", "一、单项选择题"]
    client.post(f"/papers/sections/{first.id}/delete")
    refused = client.post(f"/papers/sections/{second.id}/delete", follow_redirects=True)
    assert "试卷至少保留一个部分" in text(refused)


def rule_form(prefix: str = "new", **values) -> dict[str, object]:
    fields = {"title": "", "type": "single", "count": 5, "points_each": 2, "difficulty_min": 1,
              "difficulty_max": 5, **values}
    return {f"{prefix}-{name}": value for name, value in fields.items()}


def test_the_rule_editor_says_how_many_questions_are_missing(client, login_as, bank):
    login_as("trainer")
    fill(bank, "single", 12, category="客户服务/投诉处理")
    fill(bank, "multiple", 7)
    db.session.commit()
    paper = new_paper(client, bank, "rules", "随机测验")
    client.post(f"/papers/{paper.id}/sections", data=rule_form(type="single", count=10))
    page = text(client.post(f"/papers/{paper.id}/sections", follow_redirects=True,
                            data=rule_form(type="multiple", count=10, points_each=3)))
    assert "第 2 部分 多选题：需要 10 道，题库中只有 7 道符合条件的可用题目，还差 3 道" in page
    assert "试卷还不能使用" in page and "符合条件的可用题目 7 道" in page
    db.session.expire_all()
    multiple = paper.sections[1]
    fixed = text(client.post(f"/papers/sections/{multiple.id}/edit", follow_redirects=True,
                             data=rule_form(f"s{multiple.id}", type="multiple", count=7, points_each=3)))
    assert "试卷可用于正式考试和练习" in fixed
    assert 'data-testid="total-points">41<' in fixed


def test_a_section_the_bank_cannot_fill_is_saved_with_a_warning_the_badge_agrees_with(
    client, login_as, bank
):
    """Saved (the bank may grow) but never announced as a plain success, and its badge counts
    what it can really draw once earlier sections took theirs — not the 10 that match."""
    login_as("trainer")
    fill(bank, "single", 10)
    db.session.commit()
    paper = new_paper(client, bank, "rules", "两部分单选")
    first = text(client.post(f"/papers/{paper.id}/sections", follow_redirects=True,
                             data=rule_form(type="single", count=10)))
    assert "alert-success" in first and "不够抽题" not in first
    page = text(client.post(f"/papers/{paper.id}/sections", follow_redirects=True,
                            data=rule_form(type="single", count=5, title="再来单选")))
    assert "已添加部分，但题库暂时不够抽题" in page
    assert "alert-success" not in page and "alert-warning" in page
    badges = re.findall(r'data-testid="rule-available">([^<]*)<', page)
    assert badges == ["符合条件的可用题目 10 道", "符合条件的可用题目 0 道"]
    assert "text-bg-danger\" data-testid=\"rule-available\">符合条件的可用题目 0 道" in page
    assert len(paper.sections) == 2


def test_rule_sections_filter_by_category_subtree(client, login_as, bank):
    login_as("trainer")
    fill(bank, "single", 3, category="客户服务/投诉处理")
    fill(bank, "single", 5, category="产品知识")
    db.session.commit()
    paper = new_paper(client, bank, "rules", "投诉测验")
    page = text(client.post(f"/papers/{paper.id}/sections", follow_redirects=True,
                            data=rule_form(count=4, categories=["客户服务"])))
    assert "需要 4 道，题库中只有 3 道符合条件的可用题目，还差 1 道" in page


def test_invalid_rules_are_refused_with_the_reason(client, login_as, bank):
    login_as("trainer")
    paper = new_paper(client, bank, "rules")
    page = text(client.post(f"/papers/{paper.id}/sections", follow_redirects=True,
                            data=rule_form(difficulty_min=4, difficulty_max=2)))
    assert "最高难度不能低于最低难度" in page
    assert not paper.sections


def test_a_rule_paper_needs_a_bank(client, login_as):
    login_as("trainer")
    response = client.post("/papers/", data={"title": "无题库", "kind": "rules", "bank_id": 0})
    assert "按规则抽题的试卷需要选择题库" in text(response)
    assert db.session.scalar(select(Paper)) is None


def test_preview_draws_a_sample_and_the_same_seed_shows_the_same_paper(client, login_as, bank):
    login_as("trainer")
    fill(bank, "single", 40)
    paper = create_paper("随机测验", "", "rules", bank, actor=None)
    add_section(paper, SectionValues("单选题", "single", 5, 2.0), actor=None)
    db.session.commit()
    redirect = client.get(f"/papers/{paper.id}/preview")
    assert re.search(r"seed=\d+", redirect.headers["Location"])
    first = text(client.get(f"/papers/{paper.id}/preview?seed=11"))
    assert first.count('data-testid="preview-question"') == 5 and "共 5 题，10 分" in first
    assert "答案" in first  # the trainer sees the key

    def stems(page: str) -> list[str]:
        return re.findall(r'<div class="sc-stem">.*?</span> (.*?)</div>', page)

    assert stems(text(client.get(f"/papers/{paper.id}/preview?seed=11"))) == stems(first)
    assert stems(text(client.get(f"/papers/{paper.id}/preview?seed=12"))) != stems(first)
    again = re.search(r'href="/papers/\d+/preview\?seed=(\d+)"[^>]*data-testid="redraw"', first)
    assert again and int(again.group(1)) != 11  # 重新抽取 draws with a new seed


def test_preview_of_an_unusable_paper_explains_why(client, login_as, bank):
    login_as("trainer")
    paper = create_paper("空规则", "", "rules", bank, actor=None)
    add_section(paper, SectionValues("判断题", "true_false", 5, 1.0), actor=None)
    db.session.commit()
    page = text(client.get(f"/papers/{paper.id}/preview?seed=3", follow_redirects=True))
    assert "需要 5 道，题库中只有 0 道符合条件的可用题目，还差 5 道" in page


def test_drafts_are_refused_for_formal_exams_but_allowed_for_practice(client, login_as, bank):
    login_as("trainer")
    paper = create_paper("含草稿", "", "fixed", bank, actor=None)
    add_questions(paper.sections[0], fill(bank, "single", 1) + fill(bank, "single", 1, status="draft",
                                                                      prefix="草稿题"), actor=None)
    db.session.commit()
    page = text(client.get(f"/papers/{paper.id}/"))
    assert "可用于练习和模拟考试，暂不能用于正式考试" in page
    assert "第 2 题是草稿，不能用于正式考试：草稿题第1题" in page
    preview = text(client.get(f"/papers/{paper.id}/preview?seed=1"))
    assert "暂不能用于正式考试" in preview and preview.count('data-testid="preview-question"') == 2


def test_paper_titles_and_stems_are_shown_as_text(client, login_as, bank):
    login_as("trainer")
    paper = create_paper("<script>alert(1)</script>", "", "fixed", bank, actor=None)
    add_questions(paper.sections[0], fill(bank, "single", 1, prefix="<img src=x onerror=alert(1)>"), actor=None)
    db.session.commit()
    for url in ("/papers/", f"/papers/{paper.id}/", f"/papers/{paper.id}/preview?seed=1"):
        page = text(client.get(url))
        assert "<script>alert(1)" not in page and "<img src=x" not in page, url


def test_the_list_page_runs_the_same_queries_for_few_or_many_papers(client, login_as, bank, count_queries):
    login_as("trainer")
    fill(bank, "single", 3)

    def make(n: int) -> None:
        for i in range(n):
            paper = create_paper(f"试卷{i}", "", "rules", bank, actor=None)
            add_section(paper, SectionValues("单选题", "single", 2, 1.0), actor=None)
        db.session.commit()

    make(2)
    with count_queries() as few:
        client.get("/papers/")
    make(15)
    with count_queries() as many:
        assert text(client.get("/papers/")).count('data-testid="paper-row"') == 17
    assert many.count == few.count


def test_the_builder_page_runs_the_same_queries_for_few_or_many_questions(client, login_as, bank,
                                                                            count_queries):
    login_as("trainer")
    paper = create_paper("固定卷", "", "fixed", bank, actor=None)
    add_questions(paper.sections[0], fill(bank, "single", 2, prefix="甲"), actor=None)
    db.session.commit()
    with count_queries() as few:
        client.get(f"/papers/{paper.id}/")
    add_questions(paper.sections[0], fill(bank, "single", 30, prefix="乙", tags=["高频"]), actor=None)
    db.session.commit()
    with count_queries() as many:
        assert text(client.get(f"/papers/{paper.id}/")).count('data-testid="paper-item"') == 32
    assert many.count == few.count


def test_paper_details_are_edited_and_a_rule_paper_keeps_a_bank(client, login_as, bank):
    login_as("trainer")
    paper = new_paper(client, bank, "rules", "旧名称")
    saved = client.post(f"/papers/{paper.id}/edit", follow_redirects=True,
                        data={"title": "新名称", "description": "季度测验", "bank_id": bank.id})
    assert "试卷已保存" in text(saved) and "季度测验" in text(saved)
    refused = client.post(f"/papers/{paper.id}/edit", follow_redirects=True,
                          data={"title": "新名称", "bank_id": 0})
    assert "按规则抽题的试卷需要选择题库" in text(refused)
    db.session.expire_all()
    assert (paper.title, paper.bank_id) == ("新名称", bank.id)


def test_trainer_deletes_an_unused_paper_but_not_one_an_exam_is_built_on(
    client, login_as, bank, fixed_paper
):
    spare = create_paper("草稿卷", "", "fixed", bank, actor=None)
    add_questions(spare.sections[0], fill(bank, "single", 2), actor=None)
    now = utcnow()
    create_exam(ExamSettings(paper_id=fixed_paper.id, title="季度模拟考", kind="mock",
                             opens_at=now, closes_at=now + timedelta(days=7)), actor=None)
    db.session.commit()
    used_id, spare_id = fixed_paper.id, spare.id
    login_as("trainer")

    refused = text(client.post(f"/papers/{used_id}/delete", follow_redirects=True))
    assert "不能删除" in refused and "季度模拟考" in refused  # says which exam holds it
    deleted = text(client.post(f"/papers/{spare_id}/delete", follow_redirects=True))
    assert "已删除试卷「草稿卷」" in deleted and "固定模拟卷" in deleted  # back on the list

    db.session.expire_all()
    assert db.session.get(Paper, used_id) is not None and len(items_of(fixed_paper)) == 3
    assert db.session.get(Paper, spare_id) is None
    assert db.session.scalar(select(func.count()).select_from(PaperSection)
                             .where(PaperSection.paper_id == spare_id)) == 0
