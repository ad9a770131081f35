"""The benchmarks stop at once when gunicorn cannot serve, instead of measuring refusals."""

from __future__ import annotations

import os

import pytest

from bench.servers import gunicorn


def test_a_server_that_cannot_start_stops_the_benchmark_with_its_log():
    with (pytest.raises(RuntimeError, match="gunicorn exited before serving") as failed,
          gunicorn("bench.no_such_app:app", dict(os.environ), workers=1)):
        pytest.fail("the benchmark went on without a server")
    assert "no_such_app" in str(failed.value)  # gunicorn's own log says why
