"""Scale-out for exports: two gunicorn app servers and one RQ worker share only the database
and Redis; an export started on one server is followed and downloaded on the other."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import TEST_PASSWORD
from tests.test_two_app_servers import ROOT, Browser, app_servers, redis_url, server_env  # noqa: F401

SAMPLE_APP = "tests.reports.sample_app"


def job_status(browser: Browser, base: str, job_id: int) -> dict:
    status, body = browser.get(f"{base}/reports/jobs/{job_id}/status")
    assert status == 200, body
    return json.loads(body)


def test_an_export_started_on_one_server_is_made_by_the_worker_and_downloads_from_the_other(
        app, database_url, redis_url, tmp_path: Path, make_user):  # noqa: F811
    hr = make_user(roles=("hr",))
    env = server_env(database_url, redis_url, tmp_path)
    with app_servers(env, app=f"{SAMPLE_APP}:app") as (first, second):
        browser = Browser()
        browser.sign_in(first, hr.username, TEST_PASSWORD)
        query = urllib.parse.urlencode({"format": "xlsx", "from": "2026-11-01",
                                        "department": "测试公司/客服中心"})
        status, page = browser.post_form(first, f"/reports/sample/export?{query}", {}, page="/")
        assert status == 200
        job_id = int(re.search(r'data-status-url="/reports/jobs/(\d+)/status"', page).group(1))
        # No worker yet, and no server thread took it: it waits in Redis.
        assert job_status(browser, second, job_id)["status"] == "queued"

        worker = subprocess.Popen([sys.executable, "-m", SAMPLE_APP, "worker"], cwd=ROOT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while (found := job_status(browser, second, job_id))["status"] in ("queued", "running"):
                assert worker.poll() is None, worker.stderr.read().decode()
                assert time.monotonic() < deadline, found
                time.sleep(0.1)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
        assert found["status"] == "done", found
        data = browser.get_bytes(f"{second}{found['download_url']}")
    sheet = load_workbook(io.BytesIO(data))["按部门"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
        ["一组", 2, 0.5], ["二组", 1, 1.0]]
