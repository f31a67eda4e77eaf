"""A real Celery worker process, through Redis, runs a real task against the test database."""

import os

import pytest
from celery import Celery

from accounts.tasks import municipality_codes
from tests.factories import MunicipalityFactory
from tests.workers import REDIS_URL, flush_redis, require_redis, start_worker, stop_worker


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start ``celery worker`` in its own process, pointed at Redis and the test database."""
    require_redis()
    flush_redis()
    worker = start_worker()
    try:
        yield worker
    finally:
        stop_worker(worker)


@pytest.mark.worker
def test_a_real_worker_runs_a_task_through_redis(celery_worker_process):
    MunicipalityFactory(name="Alfa vald", code="9101")
    MunicipalityFactory(name="Beeta linn", code="9102")
    # A client of its own: the suite's app runs tasks eagerly, this one goes through Redis.
    client = Celery("tugi-test-client", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    result = client.send_task(municipality_codes.name)
    value = result.get(timeout=90)
    assert value["codes"] == ["9101", "9102"]
    assert value["pid"] != os.getpid(), "the task ran in the test process, not in the worker"
    assert value["pid"] == celery_worker_process.pid
