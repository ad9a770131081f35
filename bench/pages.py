"""Page budget: the busiest pages under 100 ms p95 on one gunicorn worker, with a large data set.

Per engine (see `bench.engines`): migrate, `demo load`, `bench seed --employees 5000`, then bulk
inserts add 10,000 ready questions to a bank, a 500-article regulation (25 chapters, imported by
`servicecoach manual import`), the exam-day benchmark's 100-question exam with an attempt in
progress for demo-employee, and a one-question essay exam that every seeded employee has
finished, so its grading queue holds 5,000 answers. One gunicorn worker with one thread
serves; one client signs in as demo-employee and demo-trainer and requests each page
BENCH_PAGE_REQUESTS times (after 5 unmeasured), one request at a time: p50, p95 and the
page size.

MANUAL_PAGE is the regulation's URL: the reader shows its first chapter (one chapter per page). BENCH_ROUNDS (3), BENCH_PAGE_REQUESTS (60), BENCH_ENGINES.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import statistics
import time
import urllib.parse
from pathlib import Path

from bench.engines import each_engine, medians
from bench.exam_day import PASSWORD, _create_exam, _server, _servicecoach
from bench.search_bench import _sentences

QUESTIONS = 10_000
EMPLOYEES = 5_000
CHAPTERS, ARTICLES_PER_CHAPTER = 25, 20
MANUAL_TITLE = "压测服务规范"
MANUAL_PAGE = "/manuals/{slug}"
BUDGET_MS = 100
WARM_UP = 5


def _manual_text(folder: Path) -> Path:
    """A 500-article regulation stitched from the bundled regulations' clauses."""
    from training.manuals.parsing.numerals import to_chinese

    rng, sentences = random.Random(7), _sentences()
    lines, article = [MANUAL_TITLE, ""], 0
    for chapter in range(1, CHAPTERS + 1):
        lines += [f"第{to_chinese(chapter)}章 服务规范（{chapter}）", ""]
        for _ in range(ARTICLES_PER_CHAPTER):
            article += 1
            text = "。".join(rng.sample(sentences, rng.randint(2, 5)))
            lines += [f"第{to_chinese(article)}条 {text}。", ""]
    path = folder / "manual.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _bulk_questions(bank_id: int, count: int) -> None:
    """`count` ready single-choice questions with their first versions, two tags and a knowledge
    point each (of 40 and 150 in the bank), in a statement per table."""
    from sqlalchemy import bindparam, insert, update

    from training.bank.models import (
        Question,
        QuestionKnowledgePoint,
        QuestionTag,
        QuestionVersion,
    )
    from training.database import db, utcnow

    now, rng = utcnow(), random.Random(11)
    stems = [f"第{n}题：客户来电投诉{n % 97}号业务办理超时，坐席首先应当？" for n in range(count)]
    question_ids = db.session.scalars(insert(Question).returning(
        Question.id, sort_by_parameter_order=True), [
        {"bank_id": bank_id, "status": "ready", "type": "single", "difficulty": rng.randint(1, 5),
         "needs_key": False, "search_text": stem, "created_at": now, "updated_at": now}
        for stem in stems
    ]).all()
    version_ids = db.session.scalars(insert(QuestionVersion).returning(
        QuestionVersion.id, sort_by_parameter_order=True), [
        {"question_id": question_id, "number": 1, "type": "single", "stem": stem,
         "options": [{"label": label, "text": f"做法{label}"} for label in "ABCD"],
         "answer": [rng.choice("ABCD")], "points": 1.0, "difficulty": 3, "scoring_points": [],
         "locked": False, "created_at": now}
        for question_id, stem in zip(question_ids, stems, strict=True)
    ]).all()
    table = Question.__table__
    db.session.connection().execute(
        update(table).where(table.c.id == bindparam("qid"))
        .values(current_version_id=bindparam("vid")),
        [{"qid": q, "vid": v} for q, v in zip(question_ids, version_ids, strict=True)],
    )
    db.session.execute(insert(QuestionTag), [
        {"question_id": q, "name": f"标签{(q + k) % 40:02d}"} for q in question_ids for k in (0, 7)
    ])
    db.session.execute(insert(QuestionKnowledgePoint), [
        {"question_id": q, "name": f"知识点{q % 150:03d}"} for q in question_ids
    ])


def _essay_exam_with_finished_attempts() -> int:
    """A one-question essay exam every seeded employee has handed in, ungraded (bulk)."""
    from datetime import timedelta

    from sqlalchemy import insert, select

    from question_bank.model import Question as PlainQuestion
    from question_bank.model import ScoringPoint
    from training.bank.services import add_questions, ensure_bank
    from training.database import db, utcnow
    from training.exams.models import Answer, Attempt, AttemptQuestion
    from training.exams.services import ExamSettings, assign_exam, create_exam
    from training.papers.services import add_questions as place
    from training.papers.services import create_paper
    from training.people.audience import targets
    from training.people.models import User
    from training.people.services import ensure_department

    bank = ensure_bank("压测主观题库")
    db.session.flush()
    [question] = add_questions(bank, [(PlainQuestion(
        type="short_answer", stem="简述处理客户投诉的四个步骤。", answer="倾听、共鸣、道歉、解决",
        scoring_points=[ScoringPoint("倾听", 2), ScoringPoint("道歉", 2)], points=4), None)])
    question.status = "ready"
    paper = create_paper("压测主观题试卷", "", "fixed", None, actor=None)
    db.session.flush()
    place(paper.sections[0], [question], actor=None)
    now = utcnow()
    exam = create_exam(ExamSettings(
        paper_id=paper.id, title="压测主观题考试", kind="formal",
        opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=1),
        time_limit_minutes=60, attempts_allowed=1), actor=None)
    db.session.flush()
    assign_exam(exam, targets([ensure_department("示范公司").id], [], []), actor=None)
    users = db.session.scalars(select(User.id).where(User.username.like("bench-%"))).all()
    started = now - timedelta(days=1)
    attempt_ids = db.session.scalars(insert(Attempt).returning(
        Attempt.id, sort_by_parameter_order=True), [
        {"exam_id": exam.id, "user_id": user_id, "number": 1, "seed": 1, "started_at": started,
         "deadline": started + timedelta(hours=1),
         "submitted_at": started + timedelta(minutes=30, seconds=n % 600),
         "finish_reason": "submitted", "position": 0, "max_score": 4.0}
        for n, user_id in enumerate(users)
    ]).all()
    version_id = question.current_version_id
    drawn = db.session.scalars(insert(AttemptQuestion).returning(
        AttemptQuestion.id, sort_by_parameter_order=True), [
        {"attempt_id": a, "ordinal": 1, "question_id": question.id, "version_id": version_id,
         "points": 4.0, "section_title": "", "option_order": []} for a in attempt_ids
    ]).all()
    db.session.execute(insert(Answer), [
        {"attempt_id": a, "attempt_question_id": q, "question_id": question.id,
         "response": "先倾听客户的诉求，表示理解，真诚道歉，然后给出解决办法。", "seq": 1,
         "saved_at": started, "save_count": 1, "needs_manual": True, "comment": ""}
        for a, q in zip(attempt_ids, drawn, strict=True)
    ])
    return exam.id


def _seed(url: str, folder: Path) -> dict[str, tuple[str, str]]:
    """The data set; returns the pages to measure, as {name: (who reads it, URL)}."""
    from sqlalchemy import func, select

    from training import create_app
    from training.bank.models import Question, QuestionBank
    from training.database import db
    from training.exams.attempts import start_or_resume
    from training.manuals.models import Manual
    from training.people.models import User

    _servicecoach(url, "db", "upgrade")
    _servicecoach(url, "demo", "load", "--password", PASSWORD)
    _servicecoach(url, "bench", "seed", "--employees", str(EMPLOYEES), "--password", PASSWORD)
    _servicecoach(url, "manual", "import", str(_manual_text(folder)))
    exam_id = _create_exam(url)  # its bank, 压测题库, grows to QUESTIONS below
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        bank = db.session.scalar(select(QuestionBank).filter_by(name="压测题库"))
        have = db.session.scalar(select(func.count(Question.id)).filter_by(bank_id=bank.id))
        _bulk_questions(bank.id, QUESTIONS - have)
        essay_exam = _essay_exam_with_finished_attempts()
        employee = db.session.scalar(select(User).filter_by(username="demo-employee"))
        attempt = start_or_resume(employee, exam_id)
        slug = db.session.scalar(select(Manual.slug).filter_by(title=MANUAL_TITLE))
        db.session.commit()
        pages = {
            "home (employee)": ("demo-employee", "/"),
            "home (trainer)": ("demo-trainer", "/"),
            "bank list (10,000 questions)": ("demo-trainer", f"/bank/{bank.id}/"),
            "manual (500 articles)":
                ("demo-employee", MANUAL_PAGE.format(slug=urllib.parse.quote(slug))),
            "exam page (100 questions)": ("demo-employee", f"/exams/attempts/{attempt.id}"),
            "grading queue (5,000 answers)":
                ("demo-trainer", f"/exams/manage/{essay_exam}/grading"),
        }
        db.engine.dispose()
    return pages


class Browser:
    """One signed-in user over one keep-alive connection, as a browser would hold it."""

    def __init__(self, host: str, username: str, password: str = PASSWORD) -> None:
        parsed = urllib.parse.urlsplit(host)
        self.connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        self.cookie = ""
        page = self.get("/login")[1]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "username": username,
                                       "password": password})
        status, _ = self.request("POST", "/login", form,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise RuntimeError(f"{username} could not sign in ({status})")

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str]:
        self.connection.request(method, path, body, {**(headers or {}), "Cookie": self.cookie})
        response = self.connection.getresponse()
        text = response.read().decode()
        if cookie := response.getheader("Set-Cookie"):
            self.cookie = cookie.split(";", 1)[0]
        return response.status, text

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)


def _measure(browser: Browser, path: str, requests: int) -> dict:
    """p50/p95 of `requests` sequential GETs after WARM_UP unmeasured ones."""
    samples, size = [], 0
    for number in range(WARM_UP + requests):
        began = time.perf_counter()
        status, body = browser.get(path)
        elapsed = (time.perf_counter() - began) * 1000
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        if number >= WARM_UP:
            samples.append(elapsed)
            size = len(body.encode())
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1),
            "kilobytes": round(size / 1024)}


def _engine_run(url: str, folder: Path) -> dict:
    requests = int(os.environ.get("BENCH_PAGE_REQUESTS") or "60")
    pages = _seed(url, folder)
    found: dict = {}
    with _server(url, 1, 1) as host:
        readers = {who: Browser(host, who) for who, _ in pages.values()}
        for name, (who, path) in pages.items():
            figures = _measure(readers[who], path, requests)
            found.update({f"{name} {key}": value for key, value in figures.items()})
    found["pages_within_budget"] = sum(
        1 for key, value in found.items() if key.endswith("p95_ms") and value < BUDGET_MS)
    found["pages"] = len(pages)
    return found


def run() -> dict:
    rounds = each_engine("pages", _engine_run, int(os.environ.get("BENCH_ROUNDS") or "3"))
    return {engine: medians(found) for engine, found in rounds.items()}


def charts(figures: dict) -> dict[str, dict[str, dict[str, float]]]:
    """p95 per page and engine, beside the 100 ms budget."""
    return {"p95-ms": {
        f"{engine} (median of {run['rounds']})": {
            key.removesuffix(" p95_ms"): value for key, value in run["median"].items()
            if key.endswith("p95_ms")
        } for engine, run in figures.items()
    }}
