"""Manual search speed: p50/p95 query time over 10,000 generated articles (JSON-ready dict).

Articles are stitched from the sentences of the bundled regulations, so the vocabulary and the
word frequencies are those of real 客服 regulations; no database is needed.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from training.manuals.parsing import extract_seed_library
from training.manuals.search import SearchEntry, SearchIndex, tokenize

SEEDS = Path(__file__).resolve().parent.parent / "training" / "data" / "seeds"
ARTICLES = 10_000
QUERIES = (
    "投诉",
    "客户投诉处理",
    "服务质量",
    "客户信息 保密",
    "回访",
    "礼貌用语",
    "考核与奖惩",
    "接听电话",
    "满意度调查",
    "处理时限",
    "客户隐私",
    "服务规范",
)
ROUNDS = 20


def _sentences() -> list[str]:
    """Every clause of the bundled regulations' articles."""
    sentences: list[str] = []
    for document in extract_seed_library(SEEDS):
        for part in document.walk():
            sentences += [s for s in part.text.replace("；", "。").split("。") if len(s) > 4]
    return sentences


def generated_entries(count: int = ARTICLES, seed: int = 5) -> list[SearchEntry]:
    """`count` articles of 3–6 seed clauses each, spread over 100 manuals."""
    rng = random.Random(seed)
    sentences = _sentences()
    entries = []
    for number in range(1, count + 1):
        manual = f"生成制度{number % 100:03d}"
        text = "。".join(rng.sample(sentences, rng.randint(3, 6))) + "。"
        entries.append(
            SearchEntry(
                slug=f"gen-{number % 100}",
                manual_title=manual,
                anchor=f"a{number}",
                heading=f"第{number}条",
                address=f"{manual} §第{number}条",
                text=text,
                tokens=tokenize(f"第{number}条\n{text}"),
            )
        )
    return entries


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run() -> dict:
    """Build the index once, then time every query ROUNDS times; times in milliseconds.

    tokenize_ms is paid once at import; build_ms by each app process after a library change.
    """
    started = time.perf_counter()
    entries = generated_entries()
    tokenize_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    index = SearchIndex(entries)
    build_ms = (time.perf_counter() - started) * 1000
    samples: list[float] = []
    hits = {}
    for _round in range(ROUNDS):
        for query in QUERIES:
            started = time.perf_counter()
            hits[query] = len(index.search(query))
            samples.append((time.perf_counter() - started) * 1000)
    return {
        "name": "manual_search",
        "articles": len(entries),
        "queries": len(samples),
        "tokenize_ms": round(tokenize_ms, 1),
        "build_ms": round(build_ms, 1),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(_percentile(samples, 0.95), 2),
        "max_ms": round(max(samples), 2),
        "hits_per_query": hits,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
