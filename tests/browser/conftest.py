"""Browser fixtures: a live server in a thread and Playwright driving Debian's chromium.

Never `playwright install`: the browser is /usr/bin/chromium (apt). Every page a test visits
can be saved with `shot(page, name)` under tests/artifacts/ for a human to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} not found (apt-get install -y chromium)", "REQUIRE_BROWSER")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run once, on SQLite; PostgreSQL is covered by the HTTP-level tests."""
    here = Path(__file__).parent
    on_postgres = [i for i in items if i.path.is_relative_to(here) and "[postgresql" in i.name]
    if on_postgres:
        config.hook.pytest_deselected(items=on_postgres)
        items[:] = [i for i in items if i not in on_postgres]


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """Serve the test app on a free local port for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def page(browser, live_server: str):
    context = browser.new_context(
        base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot(request: pytest.FixtureRequest):
    """Save a full-page screenshot named after the test and the step."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w-]+", "_", request.node.name)

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{test_name}__{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def sign_in(page, make_user):
    """Sign in through the login form as a new user with the given roles."""
    from tests.conftest import TEST_PASSWORD

    def do(*roles: str, **fields):
        user = make_user(roles=roles or ("employee",), **fields)
        page.goto("/login")
        page.fill("#username", user.username)
        page.fill("#password", TEST_PASSWORD)
        page.click("[data-testid=login-submit]")
        page.wait_for_url(re.compile(r".*/$|.*/password$"))
        return user

    return do
