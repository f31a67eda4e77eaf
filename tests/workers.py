"""Starting a real Celery worker process for tests, pointed at Redis and the test database.

Used by tests/config/test_celery_worker.py and tests/reporting/test_worker.py. In CI
(``CI`` set) a missing Redis fails the test instead of skipping it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import redis

BASE_DIR = Path(__file__).resolve().parents[1]
# Parallel test processes (pytest-xdist gw0, gw1, …) each take their own Redis database
# (15, 14, …), so one process's worker never takes another's jobs.
_WORKER_NUMBER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
REDIS_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - _WORKER_NUMBER}")


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def require_redis() -> None:
    """Skip (locally) or fail (in CI) when Redis does not answer."""
    if redis_available():
        return
    if os.environ.get("CI"):
        pytest.fail(f"Redis is required in CI and does not answer at {REDIS_URL}")
    pytest.skip(f"Redis does not answer at {REDIS_URL}; start it to run the real-worker test")


def database_url(db: dict) -> str:
    """The test database as a URL for a child process (Unix socket or TCP)."""
    credentials = quote(db["USER"], safe="") + (
        ":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else ""
    )
    if str(db["HOST"]).startswith("/"):
        return f"postgres://{credentials}@/{quote(str(db['HOST']), safe='')}/{db['NAME']}"
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def flush_redis() -> None:
    redis.Redis.from_url(REDIS_URL).flushdb()


def start_worker(*, env: dict | None = None, log_path: Path | None = None) -> subprocess.Popen:
    """Start ``celery worker`` (solo pool) in its own process group against the test database.

    ``env`` adds or overrides environment variables; output goes to ``log_path``
    (or is discarded) so a full pipe can never stall the worker."""
    from django.db import connection

    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": database_url(connection.settings_dict),
        **(env or {}),
    }
    output = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    try:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{os.getpid()}-{os.urandom(3).hex()}@%h",
            ],
            cwd=BASE_DIR,
            env=worker_env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        if log_path:
            output.close()


def kill_worker(worker: subprocess.Popen) -> None:
    """SIGKILL the worker's whole process group: no clean-up, no acknowledgement."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=20)


def stop_worker(worker: subprocess.Popen) -> None:
    """Stop the worker politely, or kill it if it does not stop within 20 seconds."""
    if worker.poll() is not None:
        return
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)
