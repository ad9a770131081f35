"""Question import speed: parse, preview and commit a generated 2,000-question Chinese paper.

Measures the parts a trainer waits for in the wizard (parse + duplicate check) and the commit
into a fresh SQLite database, plus peak Python memory of the parse.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from pathlib import Path

from question_bank.formats import parse

QUESTIONS = 2_000


def generated_paper(count: int = QUESTIONS) -> str:
    """A paper in the common layout: sections, numbered questions, options, inline answers."""
    lines = [f"一、单项选择题（本大题共{count}小题，每小题1分，共{count}分）"]
    for n in range(1, count + 1):
        lines += [
            f"{n}. 第{n}号服务场景中，客服人员首先应当（ ）。",
            f"A. 倾听客户诉求{n} B. 立即转接{n} C. 解释公司规定{n} D. 结束通话{n}",
            f"答案：{'ABCD'[n % 4]}",
            f"解析：按服务规范第{n % 40 + 1}条处理。",
        ]
    return "\n".join(lines) + "\n"


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def run() -> dict:
    data = generated_paper().encode("utf-8")
    result, parse_seconds = _timed(parse, data, "paper.txt")
    tracemalloc.start()  # a second parse for memory: tracing slows the code it watches
    parse(data, "paper.txt")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    preview_seconds, commit_seconds = _commit(result)
    return {
        "questions": len(result.questions),
        "problems": len(result.problems),
        "parse_seconds": round(parse_seconds, 3),
        "preview_seconds": round(preview_seconds, 3),
        "commit_seconds": round(commit_seconds, 3),
        "total_seconds": round(parse_seconds + preview_seconds + commit_seconds, 3),
        "parse_peak_mib": round(peak / 2**20, 1),
    }


def _commit(result) -> tuple[float, float]:
    """Preview against an empty bank, then commit, in a throw-away SQLite database."""
    from flask_migrate import upgrade

    from training import create_app
    from training.bank.importing import build_preview, commit_import
    from training.bank.services import ensure_bank
    from training.database import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.db'}"})
        with app.app_context():
            upgrade()
            bank = ensure_bank("基准测试题库")
            db.session.commit()
            _, preview_seconds = _timed(build_preview, result, bank)
            _, commit_seconds = _timed(commit_import, bank, result)
            db.session.commit()
            db.engine.dispose()
    return preview_seconds, commit_seconds
