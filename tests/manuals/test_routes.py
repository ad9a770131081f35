"""The library as each role sees it over HTTP: reading, search, import, settings, HR report."""

from __future__ import annotations

import io
import re
from urllib.parse import quote, unquote

import pytest
from sqlalchemy import func, select

from tests.manuals.samples import BROKEN, EDITION_1, EDITION_2, OTHER, TITLE, parsed
from training.database import db
from training.manuals.models import Manual, ManualEdition, ReadConfirmation
from training.manuals.services import import_manuals, manual_by_slug, update_manual

SLUG = quote(TITLE)


def add(text: str) -> ManualEdition:
    (imported,) = import_manuals(parsed(text), "制度.txt")
    db.session.commit()
    return imported.edition


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("employee", set()),
        ("trainer", {"upload", "settings"}),
        ("hr", {"confirmations"}),
        ("admin", {"upload", "settings", "confirmations"}),
    ],
)
def test_each_role_reads_and_only_trainers_import_and_only_hr_reports(
    client, login_as, role, allowed
):
    add(EDITION_1)
    login_as(role)
    for page in ("/manuals/", f"/manuals/{SLUG}", "/manuals/search?q=投诉"):
        assert client.get(page).status_code == 200, page
    restricted = {
        "upload": "/manuals/import",
        "settings": f"/manuals/{SLUG}/settings",
        "confirmations": "/manuals/confirmations",
    }
    for name, page in restricted.items():
        moved = name == "confirmations"  # now a part of the learning report
        expected = (301 if moved else 200) if name in allowed else 403
        assert client.get(page).status_code == expected, (role, page)


def test_reader_shows_the_contents_and_one_chapter_at_a_time(client, login_as):
    add(EDITION_1)
    login_as("employee")
    first = html(client.get(f"/manuals/{SLUG}"))
    assert 'id="art-a1"' in first and 'href="#art-a1"' in first
    assert "客户投诉应在24小时内响应" not in first, "第二章 is on its own page"
    assert f'href="/manuals/{SLUG}?page=2"' in first and "第二章 投诉处理" in first
    assert 'data-testid="page-prev"' not in first and 'data-testid="page-next"' in first
    assert "第 1 版" in first
    assert 'data-testid="confirm-reading"' not in first, "not required reading"
    second = html(client.get(f"/manuals/{SLUG}?page=2"))
    assert 'id="art-a3"' in second and 'href="#art-a3"' in second
    assert "客户投诉应在24小时内响应" in second and "记录投诉内容" in second
    assert "特制定本制度" not in second and f'href="/manuals/{SLUG}?page=1"' in second
    assert f"/manuals/{SLUG}/a/a3" in second
    assert 'data-testid="page-prev"' in second and 'data-testid="page-next"' not in second
    assert client.get(f"/manuals/{SLUG}?page=3").status_code == 404


def test_a_regulation_without_chapters_pages_its_articles_in_runs(client, login_as):
    articles = "".join(f"第{n}条 第 {n} 条的内容。\n" for n in range(1, 66))
    add(f"{TITLE}\n{articles}")
    login_as("employee")
    first = html(client.get(f"/manuals/{SLUG}"))
    assert first.count('class="sc-article"') == 30
    assert f'href="/manuals/{SLUG}?page=3"' in first and "第61条 – 第65条" in first
    last = html(client.get(f"/manuals/{SLUG}?page=3"))
    assert last.count('class="sc-article"') == 5 and "第 65 条的内容" in last
    landing = client.get(f"/manuals/{SLUG}/a/a40")
    assert unquote(landing.headers["Location"]) == f"/manuals/{TITLE}?page=2#art-a40"


def test_imported_script_is_shown_as_text(client, login_as):
    add("客户服务管理制度\n第一条 禁止在回复中粘贴<script>alert('x')</script>代码。\n第二条 乙。\n")
    login_as("employee")
    page = html(client.get(f"/manuals/{SLUG}"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    results = html(client.get("/manuals/search?q=粘贴"))
    assert "<script>alert" not in results and "<mark>粘贴</mark>" in results


def test_the_search_box_of_a_manual_searches_that_manual_unless_told_otherwise(
    client, login_as
):
    add(EDITION_1)
    add(OTHER)
    login_as("employee")
    reading = html(client.get(f"/manuals/{SLUG}"))
    box = reading.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert f'<option value="{TITLE}" selected>' in box and '<option value="">' in box
    scoped = html(client.get(f"/manuals/search?q=投诉处理&manual={SLUG}"))
    # 客户信息保密规定 第二条 mentions 投诉 too, but is another manual
    assert scoped.count('data-testid="search-result"') == 2
    assert "/manuals/%E5%AE%A2%E6%88%B7%E4%BF%A1%E6%81%AF" not in scoped.split('search-results')[1]
    assert "只在《客户服务管理制度》中搜索" in scoped
    widen = scoped.split('data-testid="search-all-manuals"')[0].rsplit('href="', 1)[1]
    everything = html(client.get(widen.split('"')[0].replace("&amp;", "&")))
    assert everything.count('data-testid="search-result"') == 3
    assert "只在《" not in everything
    unknown = html(client.get("/manuals/search?q=投诉处理&manual=no-such-manual"))
    assert unknown.count('data-testid="search-result"') == 3  # an unknown manual: everything


def test_sub_bullets_read_as_a_list(client, login_as):
    add("客户服务管理制度\n第一条 服务步骤如下：\n1. 接待客户- 欢迎客户；- 关注需求；- 记录信息。\n"
        "第二条 乙。\n")
    login_as("employee")
    page = html(client.get(f"/manuals/{SLUG}"))
    item = page.split('class="sc-item-label">1.</span>', 1)[1].split("</div>", 1)[0]
    assert item.startswith(" 接待客户</p>")
    assert re.findall(r"<li>([^<]*)</li>", item) == ["欢迎客户；", "关注需求；", "记录信息。"]
    assert "- 欢迎" not in page


def test_permalink_redirects_to_the_article_in_the_right_edition(client, login_as):
    add(EDITION_1)
    add(EDITION_2)
    login_as("employee")
    current = client.get(f"/manuals/{SLUG}/a/a3")
    assert current.status_code == 302
    assert unquote(current.headers["Location"]) == f"/manuals/{TITLE}?page=3#art-a3"
    assert 'id="art-a3"' in html(client.get(current.headers["Location"]))
    removed = client.get(f"/manuals/{SLUG}/a/a4")
    assert unquote(removed.headers["Location"]) == f"/manuals/{TITLE}?version=1&page=2#art-a4"
    old = html(client.get(removed.headers["Location"]))
    assert 'data-testid="old-edition"' in old and "投诉处理结果应及时回访客户" in old
    assert client.get(f"/manuals/{SLUG}/a/a99").status_code == 404
    assert client.get(f"/manuals/{SLUG}?version=7").status_code == 404
    assert client.get("/manuals/no-such-manual").status_code == 404


def test_search_page_links_results_to_the_article(client, login_as):
    add(EDITION_1)
    add(OTHER)
    login_as("employee")
    page = html(client.get("/manuals/search?q=投诉处理"))
    assert page.count('data-testid="search-result"') == 3
    assert f'href="/manuals/{SLUG}/a/a4"' in page, "a permalink: it opens the right chapter"
    assert "<mark>投诉</mark>" in page
    assert "没有找到" in html(client.get("/manuals/search?q=火箭发射"))
    assert 'data-testid="search-result"' not in html(client.get("/manuals/search"))


def test_index_shows_editions_counts_and_my_confirmation(client, login_as):
    edition = add(EDITION_1)
    add(OTHER)
    update_manual(edition.manual, TITLE, True)
    db.session.commit()
    login_as("employee")
    page = html(client.get("/manuals/"))
    assert "客户信息保密规定" in page and "必读" in page and "待确认" in page
    client.post(f"/manuals/{SLUG}/confirm")
    assert "已确认" in html(client.get("/manuals/"))


def test_employee_confirms_reading_once(client, login_as):
    edition = add(EDITION_1)
    update_manual(edition.manual, TITLE, True)
    db.session.commit()
    login_as("employee")
    assert 'data-testid="confirm-reading"' in html(client.get(f"/manuals/{SLUG}"))
    response = client.post(f"/manuals/{SLUG}/confirm", follow_redirects=True)
    assert "已确认阅读" in html(response)
    assert 'data-testid="confirm-reading"' not in html(response)
    client.post(f"/manuals/{SLUG}/confirm")
    assert db.session.scalar(select(func.count(ReadConfirmation.id))) == 1


def test_confirming_a_manual_that_is_not_required_changes_nothing(client, login_as):
    add(EDITION_1)
    login_as("employee")
    response = client.post(f"/manuals/{SLUG}/confirm", follow_redirects=True)
    assert "无需阅读确认" in html(response)
    assert db.session.scalar(select(func.count(ReadConfirmation.id))) == 0


def upload(client, text: str, filename: str = "制度.txt", title: str = ""):
    data = {"file": (io.BytesIO(text.encode("utf-8")), filename), "title": title}
    return client.post("/manuals/import", data=data, content_type="multipart/form-data")


def test_trainer_uploads_previews_and_commits(client, login_as):
    add(EDITION_1)
    login_as("trainer")
    response = upload(client, EDITION_2)
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    preview = html(client.get(preview_url))
    assert "新版本：第 2 版" in preview
    assert "第 11 行" in preview and "编号跳跃" in preview
    assert preview.count('data-testid="manual-preview-document"') == 1
    assert db.session.scalar(select(func.count(ManualEdition.id))) == 1
    committed = client.post(preview_url, follow_redirects=True)
    assert "已导入 1 个制度版本" in html(committed)
    assert current_version(TITLE) == 2
    assert client.get(preview_url, follow_redirects=True).request.path == "/manuals/import"


@pytest.mark.parametrize(("locale", "shown", "hidden"), [
    ("zh", "编号跳跃: 第一条之后是第三条", "Numbering jumps"),
    ("en", "Numbering jumps: 第一条 is followed by 第三条", "编号跳跃"),
])
def test_a_problem_in_the_preview_reads_in_one_language(client, login_as, locale, shown, hidden):
    login_as("trainer")
    client.post("/language", data={"locale": locale, "next": "/"})
    preview = html(client.get(upload(client, "第一条 甲。\n第三条 丙。\n").headers["Location"]))
    problem = preview.split('data-testid="manual-problem"', 1)[1].split("</li>", 1)[0]
    assert shown in problem and hidden not in problem


def current_version(title: str) -> int:
    return db.session.scalar(
        select(ManualEdition.version)
        .join(Manual)
        .where(Manual.title == title, ManualEdition.is_current)
    )


def test_preview_of_a_broken_file_lists_errors_and_cannot_be_committed(client, login_as):
    login_as("trainer")
    preview_url = upload(client, OTHER + "\n" + BROKEN).headers["Location"]
    preview = html(client.get(preview_url))
    assert 'data-severity="error"' in preview and "第 8 行" in preview
    assert 'data-testid="manual-commit"' not in preview
    response = client.post(preview_url, follow_redirects=True)
    assert "未导入任何制度" in html(response)
    assert db.session.scalar(select(func.count(Manual.id))) == 0


def test_upload_title_names_an_untitled_file(client, login_as):
    login_as("trainer")
    response = upload(client, "第一条 甲。\n第二条 乙。\n", "notes.md", title="服务礼仪规范")
    client.post(response.headers["Location"])
    assert manual_by_slug("服务礼仪规范") is not None


def test_upload_refuses_other_file_types(client, login_as):
    login_as("trainer")
    response = upload(client, "x", "staff.xlsx")
    assert response.status_code == 200 and "只支持" in html(response)


def test_settings_rename_and_require_reading(client, login_as):
    add(EDITION_1)
    login_as("trainer")
    response = client.post(
        f"/manuals/{SLUG}/settings",
        data={"title": "客户服务管理制度（修订）", "requires_confirmation": "y"},
    )
    assert response.status_code == 302
    manual = manual_by_slug(TITLE)
    db.session.refresh(manual)
    assert manual.title == "客户服务管理制度（修订）"
    edition = db.session.scalar(select(ManualEdition).filter_by(manual_id=manual.id))
    assert edition.requires_confirmation


def test_hr_sees_who_has_not_confirmed_by_department(client, login_as, make_user):
    edition = add(EDITION_1)
    add(OTHER)
    update_manual(edition.manual, TITLE, True)
    db.session.commit()
    hotline = make_user(display_name="热线小王", department_path="公司/客服中心/热线组")
    make_user(display_name="在线小李", department_path="公司/客服中心/在线组")
    login_as("hr", department_path="公司/人力资源部")
    page = html(client.get("/manuals/confirmations", follow_redirects=True))
    assert "热线小王" in page and "在线小李" in page and "制度阅读确认" in page
    filtered = html(client.get("/reports/learning", query_string={
        "department": hotline.department.path}))
    assert "热线小王" in filtered and "在线小李" not in filtered


def test_print_view_has_the_document_without_navigation(client, login_as):
    add(EDITION_1)
    login_as("employee")
    page = html(client.get(f"/manuals/{SLUG}/print"))
    assert "客户投诉应在24小时内响应" in page and "data-print" in page
    assert "sc-navbar" not in page and "manuals.css" in page
