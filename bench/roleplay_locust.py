"""Locust users for `bench.roleplay` (run by it as a headless subprocess, not imported).

Each simulated employee (bench-<k>, signed in beforehand: BENCH_PREPARED_FILE maps username to
API token) plays the bundled scenarios (BENCH_SCENARIO_IDS) one after another, as the chat page
does: start a run (POST /api/v1/scenarios/{id}/runs), reply to each step it shows (POST
/api/v1/runs/{run_id}/replies: a random option offered, a typed reply, or "continue"), read the
run when it has ended (GET /api/v1/runs/{run_id}, the debrief), start the next. One request
about every BENCH_REPLY_INTERVAL seconds each, until BENCH_PLAY_SECONDS have passed; then it
idles (Locust would replace a stopped user with a new one, a name never seeded).

Every acknowledged reply (200, the step it answered) is written to BENCH_ACK_FILE as
(run id, step), so the database can be checked afterwards for its step row.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task

INTERVAL = float(os.environ.get("BENCH_REPLY_INTERVAL", "5"))
SCENARIOS = [int(n) for n in os.environ.get("BENCH_SCENARIO_IDS", "").split(",") if n]
PREPARED = json.loads(Path(os.environ["BENCH_PREPARED_FILE"]).read_text())
PLAY_UNTIL = time.monotonic() + float(os.environ.get("BENCH_PLAY_SECONDS", "60"))
NUMBERS = itertools.count(1)
IDLE_SECONDS = 3600
ACKS: list[tuple[int, int]] = []
# Typed replies an employee might write: good ones, a thin one, and one with a forbidden phrase.
TYPED = (
    "非常抱歉给您添麻烦了，我先确认一下：您的问题到现在还没解决，我理解您很着急。"
    "我现在就帮您查，今天下午五点前给您回电，由我负责跟进到底。",
    "您别着急，这件事我来负责，我马上联系相关同事核实，半小时内给您答复。",
    "好的，我知道了。",
    "这不归我管，你自己去找别的部门。",
)


def reply_to(node: dict[str, Any]) -> dict[str, Any]:
    """What an employee answers at this node: an option offered, a typed reply, or continue."""
    if node["kind"] == "decision":
        return {"option_id": random.choice(node["options"])["id"]}
    if node["kind"] == "free_text":
        return {"text": random.choice(TYPED)}
    return {}


@events.test_stop.add_listener
def write_acks(**_kwargs) -> None:
    with open(os.environ["BENCH_ACK_FILE"], "w") as out:
        json.dump(ACKS, out)


class Employee(FastHttpUser):
    finished = False
    state: dict[str, Any] | None = None

    def wait_time(self) -> float:
        return IDLE_SECONDS if self.finished else between(INTERVAL * 0.5, INTERVAL * 1.5)(self)

    def on_start(self) -> None:
        number = next(NUMBERS)
        self.auth = {"Authorization": f"Bearer {PREPARED[f'bench-{number:05d}']['token']}"}
        first = number % len(SCENARIOS)  # employees start on different scenarios
        self.scenarios = itertools.cycle(SCENARIOS[first:] + SCENARIOS[:first])

    @task
    def act(self) -> None:
        if self.finished or time.monotonic() > PLAY_UNTIL:
            self.finished = True
        elif self.state is None:
            self._start()
        elif self.state["node"]["kind"] == "end":
            self.client.get(f"/api/v1/runs/{self.state['run_id']}", headers=self.auth,
                            name="run")
            self.state = None
        else:
            self._reply()

    def _start(self) -> None:
        started = self.client.post(f"/api/v1/scenarios/{next(self.scenarios)}/runs", json={},
                                   headers=self.auth, name="start")
        if started.status_code == 200:
            self.state = started.json()

    def _reply(self) -> None:
        run_id, step = self.state["run_id"], self.state["step"]
        replied = self.client.post(f"/api/v1/runs/{run_id}/replies",
                                   json={"step": step, **reply_to(self.state["node"])},
                                   headers=self.auth, name="reply")
        if replied.status_code == 200:
            ACKS.append((run_id, step))
            self.state = replied.json()
