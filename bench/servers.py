"""gunicorn for the benchmarks: started on a free port, and loud when it does not come up."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _log_file() -> IO[bytes]:
    """Where gunicorn's log goes: the file BENCH_SERVER_LOG names (kept, appended to, to read
    an error a run counted), else a temporary file."""
    path = os.environ.get("BENCH_SERVER_LOG")
    return open(path, "ab+") if path else tempfile.TemporaryFile()  # noqa: SIM115


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int, threads: int = 1,
             keep_alive: int = 30) -> Iterator[str]:
    """Serve `app` (a gunicorn app spec) and yield its base URL; threads=1 means sync workers."""
    port = free_port()
    threading = ["--threads", str(threads)] if threads > 1 else []
    with _log_file() as log:  # gunicorn's own log, read if it fails to start
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), *threading, "--timeout", "120",
             "--keep-alive", str(keep_alive)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
        )
        try:
            wait_until_listening(process, port, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:  # a loaded machine can outlast gunicorn's graceful shutdown: don't lose the run
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_listening(process: subprocess.Popen, port: int, log: IO[bytes]) -> None:
    """Return once a worker answers HTTP (any status); stop the bench if gunicorn exits or never
    answers, rather than measuring thousands of refused connections. The master listens before
    its workers have imported the app, so a bare TCP connect would not do."""
    for _ in range(600):
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited before serving:\n{log.read().decode()[-4000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    log.seek(0)
    raise RuntimeError(f"gunicorn did not answer on port {port} within 60 s:\n"
                       f"{log.read().decode()[-4000:]}")
