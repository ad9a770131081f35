"""Benchmark support: seeded examinee accounts and the ceiling endpoint.

`servicecoach bench seed` fills a department with examinees for the exam-day load test; the
ceiling endpoint (`PUT /api/v1/bench/ceiling`) exists only when BENCHMARK_ENDPOINTS is set, so
the public `openapi.json` leaves it out.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the ceiling route when the benchmark endpoints are switched on.

    Its endpoint name lives under `api.`, so the API blueprint's token sign-in, CSRF rule and
    JSON error handlers apply to it as to any other API route.
    """
    if not app.config.get("BENCHMARK_ENDPOINTS"):
        return
    from training.benchdata.routes import ceiling

    app.add_url_rule(
        "/api/v1/bench/ceiling", endpoint="api.bench_ceiling", view_func=ceiling, methods=["PUT"]
    )
