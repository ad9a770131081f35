"""The scale-out claim: two gunicorn app servers, one database, Redis for the rate limits.

Each server is a real process, as behind a load balancer; a browser session may land on either.
"""

from __future__ import annotations

import copy
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.conftest import TEST_PASSWORD, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def redis_url() -> Iterator[str]:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        skip_or_fail("TEST_REDIS_URL is not set; shared rate-limit tests skipped", "REQUIRE_REDIS")
    import redis

    connection = redis.Redis.from_url(url)
    connection.flushdb()
    yield url
    connection.flushdb()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    for _ in range(150):
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode() if process.stderr else "server died")
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{base} did not start")


def server_env(database_url: str, redis_url: str, instance: Path) -> dict[str, str]:
    """What every app server (and worker) of one test shares: database, Redis, secret key."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "shared-by-every-app-server",
        "SERVICECOACH_INSTANCE": str(instance),
        "SERVICECOACH_ENV": "development",  # plain-HTTP cookies for this loopback test
    }


@contextmanager
def app_servers(env: dict[str, str], count: int = 2,
                app: str = "training.wsgi:app") -> Iterator[list[str]]:
    """`count` gunicorn processes serving `app` with `env`; yields their base URLs."""
    servers, bases = [], []
    for _ in range(count):
        port = _free_port()
        command = [sys.executable, "-m", "gunicorn", app,
                   "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        servers.append(subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, servers, strict=True):
            _wait_until_up(base, process)
        yield bases
    finally:
        for process in servers:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def two_servers(app, database_url: str, redis_url: str, tmp_path: Path) -> Iterator[list[str]]:
    """Two gunicorn processes sharing the test database, a secret key and Redis."""
    with app_servers(server_env(database_url, redis_url, tmp_path)) as bases:
        yield bases


class Browser:
    """A cookie-keeping HTTP client that fills in the CSRF token of the login form."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def copy(self) -> Browser:
        """Another browser holding this one's cookies (as a thief who copied them would)."""
        twin = Browser()
        for cookie in self.jar:
            twin.jar.set_cookie(copy.copy(cookie))
        return twin

    def get(self, url: str) -> tuple[int, str]:
        return self._send(urllib.request.Request(url))

    def get_bytes(self, url: str) -> bytes:
        with self.opener.open(urllib.request.Request(url), timeout=10) as response:
            return response.read()

    def sign_in(self, base: str, username: str, password: str) -> int:
        return self.post_form(base, "/login", {"username": username, "password": password})[0]

    def sign_out(self, base: str) -> int:
        return self.post_form(base, "/logout", {}, page="/")[0]

    def post_form(
        self, base: str, path: str, form: dict[str, str], page: str = ""
    ) -> tuple[int, str]:
        """Post `form` to `path` with the CSRF token of the form on `page` (default: `path`);
        the status and page at the end of the redirects."""
        _, html = self.get(f"{base}{page or path}")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        request = urllib.request.Request(
            f"{base}{path}", data=urllib.parse.urlencode({"csrf_token": token, **form}).encode(),
            method="POST",
        )
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def test_lockout_counts_failures_on_every_app_server(two_servers, make_user):
    user = make_user()
    browser = Browser()
    for attempt in range(5):
        assert browser.sign_in(two_servers[attempt % 2], user.username, "wrong-pass") == 200
    for base in two_servers:
        assert Browser().sign_in(base, user.username, TEST_PASSWORD) == 429


def test_a_session_started_on_one_server_is_valid_on_the_other(two_servers, make_user):
    user = make_user(display_name="跨服务器用户")
    browser = Browser()
    browser.sign_in(two_servers[0], user.username, TEST_PASSWORD)
    status, page = browser.get(f"{two_servers[1]}/")
    assert status == 200
    assert "跨服务器用户" in page


def test_signing_out_on_one_server_ends_the_session_on_every_server(two_servers, make_user):
    user = make_user(display_name="退出的用户")
    browser = Browser()
    browser.sign_in(two_servers[0], user.username, TEST_PASSWORD)
    copied = browser.copy()
    assert "退出的用户" in copied.get(f"{two_servers[1]}/")[1]
    assert browser.sign_out(two_servers[1]) == 200
    for base in two_servers:
        assert "退出的用户" not in copied.get(f"{base}/")[1]
