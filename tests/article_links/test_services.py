"""Linking rules: idempotent links, links that follow new editions, review flags, weakness."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import func, select

from tests.article_links.conftest import PRIVACY, article, sit
from tests.manuals.samples import TITLE
from training.article_links.models import QuestionArticleLink
from training.article_links.services import (
    article_weakness,
    bulk_link,
    confirm_link,
    link_article,
    links_for_questions,
    unlink_article,
)
from training.audit.models import AuditEvent
from training.database import db
from training.errors import DomainError
from training.exams.models import Attempt


def link_count() -> int:
    return db.session.scalar(select(func.count(QuestionArticleLink.id)))


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).filter_by(action=action))


def headings(question) -> list[str]:
    return [item.article.heading for item in links_for_questions([question.id])[question.id]]


def test_linking_twice_keeps_one_link_and_one_audit_line(library, questions, make_user):
    trainer = make_user(roles=("trainer",))
    question = questions[0]
    assert link_article(question, article(TITLE, "a3"), actor=trainer) is True
    assert link_article(question, article(TITLE, "a3"), actor=trainer) is False
    db.session.commit()
    assert link_count() == 1
    assert audit_count("question.article_linked") == 1
    event = db.session.scalar(select(AuditEvent).filter_by(action="question.article_linked"))
    assert event.actor_id == trainer.id and event.target_id == question.id


def test_unlinking_twice_removes_once(link, questions):
    question = questions[0]
    link(question, "a3")
    (linked,) = links_for_questions([question.id])[question.id]
    assert unlink_article(question, linked.id, actor=None) is True
    assert unlink_article(question, linked.id, actor=None) is False
    assert link_count() == 0 and audit_count("question.article_unlinked") == 1


def test_links_are_shown_by_manual_title_and_article_in_reading_order(link, questions):
    question = questions[0]
    link(question, "a3")
    link(question, "a1", PRIVACY)
    link(question, "a1")
    shown = links_for_questions([question.id])[question.id]
    assert [(i.article.manual_title, i.article.heading) for i in shown] == [
        (PRIVACY, "第一条"),
        (TITLE, "第一条"),
        (TITLE, "第三条"),
    ]
    assert links_for_questions([questions[1].id]) == {}


def test_links_follow_the_manual_into_a_new_edition_by_anchor(app, link, questions, second_edition):
    question = questions[0]
    link(question, "a2")
    first_place = article(TITLE, "a2").ordinal
    second_edition()
    (item,) = links_for_questions([question.id])[question.id]
    # 第二条 moved into a new chapter: the link now shows the new edition's article
    assert item.article.heading == "第二条" and not item.article.removed
    assert item.article.ordinal == article(TITLE, "a2").ordinal != first_place
    assert not item.needs_review
    with app.test_request_context():
        assert item.article.url == url_for("manuals.permalink", slug=item.article.slug, anchor="a2")


def test_new_edition_flags_questions_of_changed_and_removed_articles_only(
    link, questions, second_edition
):
    changed, removed, unchanged, elsewhere, _essay = questions
    link(changed, "a3")
    link(removed, "a4")
    link(unchanged, "a2")
    link(elsewhere, "a2", PRIVACY)  # another regulation's 第二条: same anchor, not changed
    second_edition()
    links = links_for_questions(q.id for q in questions)
    flagged = {qid for qid, items in links.items() for item in items if item.needs_review}
    assert flagged == {changed.id, removed.id}
    assert {item.changed_in_version for item in links[changed.id] + links[removed.id]} == {2}
    (gone,) = links[removed.id]
    assert gone.article.removed and gone.article.heading == "第四条"


def test_removed_article_links_to_the_last_edition_that_had_it(
    client, login_as, link, questions, second_edition
):
    link(questions[0], "a4")
    second_edition()
    login_as("employee")
    (item,) = links_for_questions([questions[0].id])[questions[0].id]
    response = client.get(f"/manuals/{item.article.slug}/a/a4")
    assert response.status_code == 302 and "version=1" in response.headers["Location"]


def test_unchanged_reimport_flags_nothing(link, questions, library):
    from tests.manuals.samples import EDITION_1, parsed
    from training.manuals.services import import_manuals

    link(questions[0], "a3")
    (imported,) = import_manuals(parsed(EDITION_1), "again.txt")
    db.session.commit()
    assert not imported.created
    assert not links_for_questions([questions[0].id])[questions[0].id][0].needs_review


def test_confirming_clears_the_flag(link, questions, second_edition):
    link(questions[0], "a3")
    second_edition()
    (item,) = links_for_questions([questions[0].id])[questions[0].id]
    confirm_link(db.session.get(QuestionArticleLink, item.id), actor=None)
    db.session.commit()
    assert not links_for_questions([questions[0].id])[questions[0].id][0].needs_review
    assert audit_count("question.article_link_confirmed") == 1


def test_bulk_link_is_all_or_nothing(library, questions, second_edition):
    bank = questions[0].bank
    first, second, third = questions[:3]
    stale = article(TITLE, "a1").id  # the first edition's 第一条: replaced by the import below
    second_edition()
    choices = {
        first.id: article(TITLE, "a3").id,
        second.id: stale,
        third.id: article(TITLE, "a2").id,
    }
    with pytest.raises(DomainError, match="1 道题的所选条文已更新或不存在"):
        bulk_link(bank, choices, actor=None)
    db.session.rollback()
    assert link_count() == 0

    choices[second.id] = article(TITLE, "a1").id
    assert bulk_link(bank, choices, actor=None) == 3
    assert bulk_link(bank, choices, actor=None) == 0  # again: nothing new
    db.session.commit()
    assert link_count() == 3


def test_bulk_link_refuses_another_banks_question(library, questions, make_user):
    from tests.exams.conftest import bank_questions
    from training.bank.services import add_questions, ensure_bank

    other = ensure_bank("另一个题库")
    db.session.flush()
    (foreign,) = add_questions(other, [(bank_questions()[0], None)])
    with pytest.raises(DomainError):
        bulk_link(questions[0].bank, {foreign.id: article(TITLE, "a1").id}, actor=None)


def test_resolving_many_questions_costs_two_queries(link, questions, count_queries):
    for question in questions:
        link(question, "a3")
        link(question, "a1", PRIVACY)
    ids = [question.id for question in questions]
    db.session.expire_all()
    with count_queries() as counted:
        links = links_for_questions(ids)
    assert sum(len(items) for items in links.values()) == 10
    assert counted.count == 2


def test_weakness_is_the_share_of_wrong_answers_per_article(link, questions, make_exam, make_user):
    single, multiple, true_false, fill, essay = questions
    link(single, "a3")
    link(true_false, "a3")
    link(multiple, "a1")
    link(essay, "a2")  # subjective: waits for a grader, so it is not counted yet
    exam = make_exam()
    right = {single: ["B"], multiple: ["A", "C"], true_false: False, essay: "倾听"}
    wrong = {single: ["A"], multiple: ["A", "C"], true_false: True, essay: "争辩"}
    sit(exam, make_user(), right)
    sit(exam, make_user(), wrong)
    sit(exam, make_user(), {**right, single: ["D"]})

    report = article_weakness(select(Attempt.id).where(Attempt.exam_id == exam.id))
    rows = {(row.article.heading, row.questions, row.answers, row.wrong) for row in report}
    assert rows == {("第三条", 2, 6, 3), ("第一条", 1, 3, 0)}
    assert [row.article.heading for row in report] == ["第三条", "第一条"]  # weakest first
    assert report[0].share_wrong == pytest.approx(0.5)
    assert report[1].share_wrong == 0
