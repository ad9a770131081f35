"""Locust users for `bench.exam_day` (run by it as a headless subprocess, not imported).

BENCH_MODE=exam: sign in, start the benchmark exam, save every question at a steady pace
(BENCH_SAVE_INTERVAL seconds), submit, stop. BENCH_MODE=saves: save as fast as answers come
back (the autosave maximum). BENCH_MODE=ceiling: call the ceiling endpoint as fast as it answers.
Every acknowledged save is written to BENCH_ACK_FILE so the database can be checked afterwards.
"""

from __future__ import annotations

import itertools
import json
import os

from locust import HttpUser, between, constant, events, task
from locust.exception import StopUser

MODE = os.environ.get("BENCH_MODE", "exam")
EXAM_ID = int(os.environ.get("BENCH_EXAM_ID", "0"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
INTERVAL = float(os.environ.get("BENCH_SAVE_INTERVAL", "1"))
ACKS: list[tuple[int, int, int]] = []
NUMBERS = itertools.count(1)


@events.test_stop.add_listener
def write_acks(**_kwargs) -> None:
    if path := os.environ.get("BENCH_ACK_FILE"):
        with open(path, "w") as out:
            json.dump(ACKS, out)


class Examinee(HttpUser):
    wait_time = between(INTERVAL * 0.5, INTERVAL * 1.5) if MODE == "exam" else constant(0)

    def on_start(self) -> None:
        username = f"bench-{next(NUMBERS):05d}"
        login = self.client.post(
            "/api/v1/login", json={"username": username, "password": PASSWORD}, name="login"
        )
        if login.status_code != 200:
            raise StopUser
        self.client.cookies.clear()  # a script's requests carry the token, not the cookie
        self.client.headers["Authorization"] = f"Bearer {login.json()['token']}"
        self.seq = 0
        if MODE == "ceiling":
            return
        started = self.client.post(f"/api/v1/exams/{EXAM_ID}/attempts", json={}, name="start")
        if started.status_code != 200:
            raise StopUser
        body = started.json()
        self.attempt_id = body["attempt_id"]
        self.questions = [(q["id"], q["options"][0]["label"]) for q in body["questions"]]
        self.position = 0

    @task
    def act(self) -> None:
        if MODE == "ceiling":
            self.client.put("/api/v1/bench/ceiling", name="ceiling")
            return
        if MODE == "exam" and self.position >= len(self.questions):
            self.client.post(f"/api/v1/attempts/{self.attempt_id}/submit", name="submit")
            raise StopUser
        question_id, label = self.questions[self.position % len(self.questions)]
        self.position += 1
        self.seq += 1
        saved = self.client.put(
            f"/api/v1/attempts/{self.attempt_id}/answers/{question_id}",
            json={"response": label, "seq": self.seq}, name="save",
        )
        if saved.status_code == 200 and saved.json().get("saved"):
            ACKS.append((self.attempt_id, question_id, self.seq))
