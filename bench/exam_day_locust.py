"""Locust users for `bench.exam_day` (run by it as a headless subprocess, not imported).

BENCH_MODE selects what each simulated examinee does after signing in with the API:

* burst — start the benchmark exam, save one answer, then idle: the 9:00 rush of Start presses;
* start — start the exam, then idle (`bench.start_burst`: Start presses alone);
* exam — sign in and start (resuming the attempt a burst made) while the phase ramps up; from
  BENCH_SAVES_FROM seconds on, when every examinee is in, save BENCH_PACE_SAVES answers at a
  steady pace (one every BENCH_SAVE_INTERVAL seconds on average), submit, then idle.

The flat-out phases run on wrk (`bench/flat_out.py`), not here.

Examinee k signs in as bench-<k>; BENCH_FIRST_USER sets the first k. Finished examinees idle
rather than stop, because Locust replaces a stopped user with a new one (a name never seeded). Every acknowledged save is
written to BENCH_ACK_FILE so the database can be checked afterwards. FastHttpUser keeps the
load generator's own CPU small: it shares the machine with the server.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

MODE = os.environ.get("BENCH_MODE", "exam")
EXAM_ID = int(os.environ.get("BENCH_EXAM_ID", "0"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
INTERVAL = float(os.environ.get("BENCH_SAVE_INTERVAL", "1"))
PACE_SAVES = int(os.environ.get("BENCH_PACE_SAVES", "100"))
IDLE_SECONDS = 3600
ACKS: list[tuple[int, int, int]] = []
NUMBERS = itertools.count(int(os.environ.get("BENCH_FIRST_USER", "1")))
SAVES_FROM = time.monotonic() + float(os.environ.get("BENCH_SAVES_FROM", "0"))
# Later phases resume the attempts earlier ones started: their seqs must count on from there.
SEQ_BASE = {"burst": 0, "exam": 1_000}.get(MODE, 0)
# The start burst signs its examinees in beforehand (`bench.start_burst`): username -> token.
PREPARED_FILE = os.environ.get("BENCH_PREPARED_FILE")
PREPARED: dict[str, dict] = json.loads(Path(PREPARED_FILE).read_text()) if PREPARED_FILE else {}


@events.test_stop.add_listener
def write_acks(**_kwargs) -> None:
    if path := os.environ.get("BENCH_ACK_FILE"):
        with open(path, "w") as out:
            json.dump(ACKS, out)


class Examinee(FastHttpUser):
    finished = False

    def wait_time(self) -> float:
        if self.finished:
            return IDLE_SECONDS
        if MODE != "exam":
            return 0
        if (early := SAVES_FROM - time.monotonic()) > 0:
            return early + random.uniform(0, INTERVAL)
        return between(INTERVAL * 0.5, INTERVAL * 1.5)(self)

    def on_start(self) -> None:
        username = f"bench-{next(NUMBERS):05d}"
        token = PREPARED.get(username, {}).get("token") or self._sign_in(username)
        self.auth = {"Authorization": f"Bearer {token}"}
        self.seq = SEQ_BASE
        self.position = 0
        started = self.client.post(
            f"/api/v1/exams/{EXAM_ID}/attempts", json={}, headers=self.auth, name="start"
        )
        if started.status_code != 200:
            raise StopUser
        body = started.json()
        self.attempt_id = body["attempt_id"]
        self.questions = [(q["id"], q["options"][0]["label"]) for q in body["questions"]]
        if MODE in ("burst", "start"):  # start: press Start only (bench.start_burst)
            if MODE == "burst":
                self._save()
            self.finished = True

    def _sign_in(self, username: str) -> str:
        login = self.client.post(
            "/api/v1/login", json={"username": username, "password": PASSWORD}, name="login"
        )
        if login.status_code != 200:
            raise StopUser
        self.client.cookiejar.clear()  # a script's requests carry the token, not the cookie
        return login.json()["token"]

    @task
    def act(self) -> None:
        if self.finished or (MODE == "exam" and time.monotonic() < SAVES_FROM):
            return
        if MODE == "exam" and self.position >= min(PACE_SAVES, len(self.questions)):
            self.client.post(
                f"/api/v1/attempts/{self.attempt_id}/submit", headers=self.auth, name="submit"
            )
            self.finished = True
            return
        self._save()

    def _save(self) -> None:
        question_id, label = self.questions[self.position % len(self.questions)]
        self.position += 1
        self.seq += 1
        saved = self.client.put(
            f"/api/v1/attempts/{self.attempt_id}/answers/{question_id}",
            json={"response": label, "seq": self.seq}, headers=self.auth, name="save",
        )
        if saved.status_code == 200 and saved.json().get("saved"):
            ACKS.append((self.attempt_id, question_id, self.seq))
