"""A real Celery worker process, through Redis, runs a real task against the test database."""

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery

from accounts.tasks import municipality_codes
from tests.factories import MunicipalityFactory

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def database_url(db: dict) -> str:
    """The test database as a URL for a child process (Unix socket or TCP)."""
    credentials = quote(db["USER"], safe="") + (
        ":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else ""
    )
    if str(db["HOST"]).startswith("/"):
        return f"postgres://{credentials}@/{quote(str(db['HOST']), safe='')}/{db['NAME']}"
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start ``celery worker`` in its own process, pointed at Redis and the test database."""
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI and does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}; start it to run the real-worker test")
    from django.db import connection

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": database_url(connection.settings_dict),
    }
    redis.Redis.from_url(REDIS_URL).flushdb()
    worker = subprocess.Popen(
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
            f"test-{os.getpid()}@%h",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield worker
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


@pytest.mark.worker
def test_a_real_worker_runs_a_task_through_redis(celery_worker_process):
    MunicipalityFactory(name="Alfa vald", code="9101")
    MunicipalityFactory(name="Beeta linn", code="9102")
    # A client of its own: the suite's app runs tasks eagerly, this one goes through Redis.
    client = Celery("tugi-test-client", broker=REDIS_URL, backend=REDIS_URL)
    result = client.send_task(municipality_codes.name)
    value = result.get(timeout=90)
    assert value["codes"] == ["9101", "9102"]
    assert value["pid"] != os.getpid(), "the task ran in the test process, not in the worker"
    assert value["pid"] == celery_worker_process.pid
