"""Importing editions, anchors and addresses, read confirmations, the demo library."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.manuals.samples import BROKEN, EDITION_1, EDITION_2, OTHER, TITLE, parsed
from training.audit.models import AuditEvent
from training.database import db
from training.demo.loader import DemoReport
from training.errors import DomainError
from training.manuals.demo import load_demo_manuals
from training.manuals.models import Manual, ManualEdition, ManualPart, ReadConfirmation
from training.manuals.parsing import parse_manual
from training.manuals.services import (
    confirm_reading,
    confirmed_count,
    current_edition,
    edition_parts,
    edition_with_anchor,
    find_part_by_address,
    import_manuals,
    library,
    slugify,
    unconfirmed_users,
    update_manual,
)


def import_text(text: str, actor=None) -> ManualEdition:
    (imported,) = import_manuals(parsed(text), "制度.txt", actor=actor)
    db.session.commit()
    return imported.edition


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_stores_the_tree_with_addresses_and_anchors(app, make_user):
    trainer = make_user(roles=("trainer",))
    edition = import_text(EDITION_1, actor=trainer)
    assert (edition.manual.title, edition.manual.slug) == (TITLE, TITLE)
    assert (edition.version, edition.is_current, edition.imported_by_id) == (1, True, trainer.id)
    parts = edition_parts(edition)
    assert [(p.anchor, p.is_article, p.depth) for p in parts] == [
        ("ch1", False, 0),
        ("a1", True, 1),
        ("a2", True, 1),
        ("ch2", False, 0),
        ("a3", True, 1),
        ("a3-i1", False, 2),
        ("a3-i2", False, 2),
        ("a4", True, 1),
    ]
    article = parts[4]
    assert article.address == "客户服务管理制度 §第二章 第三条"
    assert article.parent is parts[3]
    assert parts[5].parent is article and parts[5].text == "记录投诉内容；"
    assert "投诉" in article.search_tokens.split()
    event = db.session.scalar(select(AuditEvent).filter_by(action="manual.imported"))
    assert (event.actor_id, event.target_id, event.details["version"]) == (
        trainer.id,
        edition.id,
        1,
    )


def test_same_text_again_makes_no_new_edition(app):
    first = import_text(EDITION_1)
    (again,) = import_manuals(parsed(EDITION_1), "again.txt")
    assert again.created is False and again.edition.id == first.id
    assert count(ManualEdition) == 1


def test_new_edition_becomes_current_and_keeps_the_old_one(app):
    first = import_text(EDITION_1)
    first.requires_confirmation = True
    db.session.commit()
    second = import_text(EDITION_2)
    db.session.refresh(first)
    assert (first.is_current, second.is_current, second.version) == (False, True, 2)
    assert second.manual_id == first.manual_id
    assert second.requires_confirmation, "required reading carries over to the new edition"
    assert current_edition(second.manual) is second
    assert len(edition_parts(first)) == 8


def test_anchors_survive_regrouped_chapters(app):
    import_text(EDITION_1)
    second = import_text(EDITION_2)
    anchors = {p.anchor: p.address for p in edition_parts(second) if p.is_article}
    assert anchors == {
        "a1": "客户服务管理制度 §第一章 第一条",
        "a2": "客户服务管理制度 §第二章 第二条",
        "a3": "客户服务管理制度 §第三章 第三条",
        "a5": "客户服务管理制度 §第三章 第五条",
    }


def test_articles_renumbered_per_chapter_keep_the_chapter_in_the_anchor(app):
    text = "客户服务规范\n第一章 总则\n第一条 甲。\n第二条 乙。\n第二章 附则\n第一条 丙。\n"
    edition = import_text(text)
    articles = [p.anchor for p in edition_parts(edition) if p.is_article]
    assert articles == ["ch1-a1", "ch1-a2", "ch2-a1"]


def test_regulation_without_articles_counts_its_sections(app):
    text = "服务礼仪规范\n一、总则\n接听电话应礼貌。\n二、用语\n1. 您好；\n2. 请稍等。\n三、附则\n自发布之日起施行。\n"
    edition = import_text(text)
    assert [p.anchor for p in edition_parts(edition) if p.is_article] == ["o1", "o2", "o3"]


def test_a_file_with_an_error_imports_nothing(app):
    result = parsed(OTHER + "\n" + BROKEN)
    assert [d.title for d in result.documents] == ["客户信息保密规定", "客户回访管理办法"]
    with pytest.raises(DomainError, match="1 个错误"):
        import_manuals(result, "两个制度.txt")
    db.session.rollback()
    assert count(Manual) == count(ManualEdition) == count(ManualPart) == 0


def test_a_file_naming_one_regulation_twice_imports_nothing(app):
    with pytest.raises(DomainError, match="同名"):
        import_manuals(parsed(OTHER + "\n" + OTHER), "twice.txt")
    db.session.rollback()
    assert count(Manual) == 0


def test_an_empty_file_imports_nothing(app):
    with pytest.raises(DomainError):
        import_manuals(parsed(""), "empty.txt")


def test_the_database_allows_one_current_edition_per_manual(app):
    edition = import_text(OTHER)
    twin = ManualEdition(
        manual_id=edition.manual_id,
        version=2,
        is_current=True,
        source_filename="x",
        content_hash="x",
    )
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_slugs_are_readable_unique_and_never_a_page_name(app):
    assert slugify("客户服务体系(管理制度)") == "客户服务体系-管理制度"
    assert slugify("Search") == "search"
    result = parse_manual("第一条 甲。\n第二条 乙。\n".encode(), "x.txt", title="Search")
    import_manuals(result, "x.txt")
    assert db.session.scalar(select(Manual.slug)) == "search-2"


def test_find_part_by_address_in_the_current_edition(app):
    import_text(EDITION_1)
    part = find_part_by_address("客户服务管理制度  §第二章   第三条")
    assert part is not None and part.anchor == "a3" and part.edition.version == 1
    import_text(EDITION_2)
    assert find_part_by_address("客户服务管理制度 §第二章 第三条") is None
    assert find_part_by_address("客户服务管理制度 §第三章 第三条").edition.version == 2
    assert find_part_by_address("不存在的制度 §第一条") is None


def test_permalink_edition_falls_back_to_the_last_edition_with_the_article(app):
    first = import_text(EDITION_1)
    second = import_text(EDITION_2)
    manual = second.manual
    assert edition_with_anchor(manual, "a3") == second
    assert edition_with_anchor(manual, "a4") == first
    assert edition_with_anchor(manual, "a99") is None


def test_confirmation_is_recorded_once_and_only_for_required_editions(app, make_user):
    employee = make_user()
    edition = import_text(EDITION_1)
    with pytest.raises(DomainError):
        confirm_reading(employee, edition)
    edition.requires_confirmation = True
    first = confirm_reading(employee, edition)
    assert confirm_reading(employee, edition) is first
    db.session.commit()
    assert count(ReadConfirmation) == 1
    twin = ReadConfirmation(user_id=employee.id, edition_id=edition.id)
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_unconfirmed_employees_by_department_and_a_new_edition_resets(app, make_user):
    hotline = make_user(display_name="热线员工", department_path="公司/客服中心/热线组")
    online = make_user(display_name="在线员工", department_path="公司/客服中心/在线组")
    make_user(roles=("trainer",), department_path="公司/客服中心/热线组")
    make_user(display_name="离职员工", department_path="公司/客服中心/热线组").active = False
    edition = import_text(EDITION_1)
    update_manual(edition.manual, TITLE, True)
    confirm_reading(hotline, edition)
    db.session.commit()

    def names(department_id=None):
        return [
            u.display_name for u in db.session.scalars(unconfirmed_users(edition, department_id))
        ]

    assert names() == ["在线员工"]
    assert confirmed_count(edition) == 1
    hotline_team = hotline.department_id
    assert names(hotline_team) == [] and confirmed_count(edition, hotline_team) == 1
    assert names(online.department_id) == ["在线员工"]
    assert confirmed_count(edition, online.department_id) == 0
    center = hotline.department.parent_id
    assert names(center) == ["在线员工"]

    second = import_text(EDITION_2)
    assert sorted(u.display_name for u in db.session.scalars(unconfirmed_users(second))) == [
        "在线员工",
        "热线员工",
    ]


def test_library_lists_current_editions_with_counts_in_one_query(app, make_user, count_queries):
    employee = make_user()
    import_text(EDITION_1)
    required = import_text(EDITION_2)
    import_text(OTHER)
    update_manual(required.manual, TITLE, True)
    confirm_reading(employee, required)
    db.session.commit()
    db.session.expire_all()
    assert employee.id  # reload the user outside the count
    with count_queries() as counter:
        entries = library(employee)
        summary = [
            (e.manual.title, e.edition.version, e.articles, bool(e.confirmed_at)) for e in entries
        ]
    assert summary == [(TITLE, 2, 4, True), ("客户信息保密规定", 1, 2, False)]
    assert counter.count == 1


def test_renaming_keeps_the_slug_and_refuses_a_taken_title(app):
    edition = import_text(EDITION_1)
    import_text(OTHER)
    update_manual(edition.manual, "客户服务管理制度（2026）", False)
    assert edition.manual.slug == TITLE
    with pytest.raises(DomainError):
        update_manual(edition.manual, "客户信息保密规定", False)


def test_demo_library_loads_each_regulation_once_and_requires_the_main_one(app):
    report = DemoReport()
    load_demo_manuals(report)
    db.session.commit()
    manuals = count(Manual)
    assert manuals >= 10 and count(ManualEdition) == manuals
    required = db.session.scalars(
        select(Manual.title).join(ManualEdition).where(ManualEdition.requires_confirmation)
    ).all()
    assert required == ["公司内部客户服务管理制度"]
    load_demo_manuals(report)
    db.session.commit()
    assert count(Manual) == count(ManualEdition) == manuals
    assert report.lines[-1] == f"manuals: 0 imported, {manuals} already there"


def test_an_overlong_title_is_refused(app):
    result = parse_manual("第一条 甲。\n第二条 乙。\n".encode(), "x.txt", title="制" * 201)
    with pytest.raises(DomainError, match="200"):
        import_manuals(result, "x.txt")
