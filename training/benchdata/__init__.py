"""Benchmark support: seeded examinee accounts and the ceiling endpoints.

`servicecoach bench seed` fills a department with examinees for the exam-day load test; the
ceiling endpoints exist only when BENCHMARK_ENDPOINTS is set, so the public `openapi.json`
leaves them out: `PUT /api/v1/bench/ceiling` (one upsert, the autosave's yardstick) and
`POST /api/v1/bench/ceiling/runs/{run_id}/steps` (a role-play reply's unavoidable writes, the
`roleplay` benchmark's yardstick).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the ceiling routes when the benchmark endpoints are switched on.

    Their endpoint names live under `api.`, so the API blueprint's token sign-in, CSRF rule and
    JSON error handlers apply to them as to any other API route.
    """
    if not app.config.get("BENCHMARK_ENDPOINTS"):
        return
    from training.benchdata.routes import ceiling, reply_ceiling

    app.add_url_rule(
        "/api/v1/bench/ceiling", endpoint="api.bench_ceiling", view_func=ceiling, methods=["PUT"]
    )
    app.add_url_rule(
        "/api/v1/bench/ceiling/runs/<int:run_id>/steps", endpoint="api.bench_reply_ceiling",
        view_func=reply_ceiling, methods=["POST"],
    )
