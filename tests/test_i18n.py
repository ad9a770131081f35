"""Chinese first, English on request: browser default, explicit choice, stored preference."""

from __future__ import annotations

from training.database import db


def test_chinese_by_default(client):
    assert "请使用工号或登录名登录" in client.get("/login").get_data(as_text=True)


def test_browser_language_english(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Sign in with your employee no. or login name" in page.get_data(as_text=True)


def test_switching_language_is_remembered_for_the_user(app, client, login_as):
    user = login_as("employee")
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Hello" in client.get("/").get_data(as_text=True)
    db.session.refresh(user)
    assert user.locale == "en"
    other_device = app.test_client()
    from tests.conftest import TEST_PASSWORD

    other_device.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert "Hello" in other_device.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"locale": "xx", "next": "/login"})
    assert "请使用工号或登录名登录" in client.get("/login").get_data(as_text=True)


def test_error_pages_in_both_languages(client, login_as):
    login_as("employee")
    assert "页面不存在" in client.get("/no-such-page").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Page not found" in client.get("/no-such-page").get_data(as_text=True)
    assert "Access denied" in client.get("/admin/users/").get_data(as_text=True)


def test_every_message_has_an_english_translation():
    from babel.messages.pofile import read_po

    with open("training/translations/en/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []


def test_every_message_the_pure_modules_mark_has_an_english_translation():
    """question_bank, role-play's scenario checks, the manual importer, certification's rules
    and level file, and the YAML line reader they share mark their messages with N_
    (question_bank.texts); the app translates them when shown, so each template must be in the
    catalogue (babel.cfg extracts them)."""
    from babel.messages.extract import extract_from_dir, extract_from_file
    from babel.messages.pofile import read_po

    with open("training/translations/en/LC_MESSAGES/messages.po", "rb") as po:
        translated = {m.id for m in read_po(po) if m.id and m.string}
    for package in ("question_bank", "training/roleplay", "training/manuals",
                    "training/certification"):
        marked = {message for _file, _line, message, _comments, _context in extract_from_dir(
            package, method_map=[("**.py", "python")], keywords={"N_": None})}
        assert marked and marked <= translated, (package, sorted(marked - translated))
    shared = {message for _line, message, _comments, _context in extract_from_file(
        "python", "training/yaml_lines.py", keywords={"N_": None})}
    assert shared and shared <= translated, sorted(shared - translated)
