"""A real worker killed in the middle of a report leaves no file; after a restart the job
is delivered again (acks_late + Redis visibility timeout) and finishes."""

import hashlib
import io
import time

import pytest
from celery import Celery
from pypdf import PdfReader

from reporting.models import ReportJob
from reporting.tasks import generate_report
from tests.reporting.factories import ReportJobFactory
from tests.workers import (
    REDIS_URL,
    flush_redis,
    kill_worker,
    require_redis,
    start_worker,
    stop_worker,
)


def wait_for(condition, *, timeout: float, what: str, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    output = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"Timed out after {timeout}s waiting until {what}.\nWorker output:\n{output}")


def files_in(directory):
    return sorted(p.relative_to(directory) for p in directory.rglob("*") if p.is_file())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_leaves_no_file_and_the_job_finishes_after_restart(
    admin_user, media_root, tmp_path
):
    require_redis()
    flush_redis()
    env = {
        "DJANGO_MEDIA_ROOT": str(media_root),
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "REPORTING_STEP_DELAY_SECONDS": "1",
    }
    log = tmp_path / "worker.log"
    job = ReportJobFactory(
        kind="diagnostics", municipality=None, month=None, requested_by=admin_user
    )

    def current():
        return ReportJob.objects.get(pk=job.pk)

    worker = start_worker(env=env, log_path=log)
    try:
        client = Celery("tugi-test-client", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
        client.send_task(generate_report.name, args=[job.pk])
        wait_for(
            lambda: current().status == "running" and current().progress >= 20,
            timeout=90,
            what="the worker is in the middle of the job",
            log=log,
        )
        kill_worker(worker)
    finally:
        stop_worker(worker)

    killed = current()
    assert (killed.status, killed.attempts, killed.is_current) == ("running", 1, False)
    assert not killed.file
    assert files_in(media_root) == [], "the killed worker left a file behind"

    restarted = start_worker(env=env, log_path=log)
    try:
        wait_for(
            lambda: current().status in ("done", "failed"),
            timeout=120,
            what="the restarted worker finishes the job",
            log=log,
        )
    finally:
        stop_worker(restarted)

    done = current()
    assert done.status == "done", done.error
    assert (done.attempts, done.is_current, done.progress) == (2, True, 100)
    assert files_in(media_root) == [media_root.joinpath(done.file.name).relative_to(media_root)]
    content = (media_root / done.file.name).read_bytes()
    assert hashlib.sha256(content).hexdigest() == done.checksum
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "PostgreSQL" in text
