"""Faults around report jobs, with real parts: a task queue that does not answer (a Redis URL
nobody listens on), a real worker and Redis for the sweep, a real tiny tmpfs that is full or
read-only, and files no job records.

The mount tests need root (CAP_SYS_ADMIN) as `make test` and CI have; elsewhere they skip
with the reason, and in CI (``CI`` set) they fail instead."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from reporting import services
from reporting.models import ReportJob
from reporting.tasks import generate_report, sweep_report_jobs
from tests.reporting.factories import ReportJobFactory, done_job
from tests.workers import REDIS_URL, flush_redis, require_redis, start_worker, stop_worker

#: Nobody listens here: connecting is refused at once, as with Redis stopped.
DEAD_REDIS = "redis://127.0.0.1:9/0"


@contextlib.contextmanager
def task_queue(url: str):
    """Point the app's own Celery client (the one views and services use) at ``url``."""
    keys = ("task_always_eager", "broker_url", "result_backend")
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(task_always_eager=False, broker_url=url, result_backend="cache+memory://")
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


def current(job):
    return ReportJob.objects.get(pk=job.pk)


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_a_report_request_fails_at_once_with_a_clear_message_and_can_be_retried(
    client, admin_user, media_root
):
    client.force_login(admin_user)
    with task_queue(DEAD_REDIS):
        started = time.monotonic()
        response = client.post(reverse("reporting:request"), {"kind": "diagnostics"}, follow=True)
        assert time.monotonic() - started < 10
        assert response.status_code == 200
        job = ReportJob.objects.get()
        assert job.status == "failed"
        assert "Redis" in job.error
        page = response.content.decode()
        assert "järjekorda" in page and "Redis" in page  # the Estonian message, on the job page
        # A later request does not return a stuck job: it is a new attempt, failing cleanly too.
        response = client.post(reverse("reporting:retry", args=[job.pk]), follow=True)
        assert response.status_code == 200 and current(job).status == "failed"
    # The queue is back (in-process here): the same job is tried again and finishes.
    client.post(reverse("reporting:retry", args=[job.pk]))
    assert current(job).status == "done"


@pytest.mark.django_db(transaction=True)
def test_a_close_with_redis_down_closes_and_marks_its_reports_failed_not_queued_forever(
    kov_a, coordinator_a, provider_user, media_root
):
    from datetime import date

    from billing import services as billing
    from tests.billing.factories import build_world

    world = build_world(kov_a, provider_user=provider_user)
    billing.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    with task_queue(DEAD_REDIS):
        invoice = billing.close_month(
            municipality=kov_a, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4)
        )
    assert invoice.pk
    jobs = ReportJob.objects.filter(municipality=kov_a, month=date(2026, 4, 1))
    assert sorted(jobs.values_list("kind", "status")) == [("cost_report", "failed"), ("invoice_pdf", "failed")]


@pytest.mark.django_db(transaction=True)
def test_the_sweep_fails_a_job_queued_too_long_when_the_queue_does_not_take_it(admin_user, media_root):
    job = ReportJobFactory(kind="diagnostics", municipality=None, month=None, requested_by=admin_user)
    young = ReportJobFactory(kind="access_log", requested_by=admin_user)
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with task_queue(DEAD_REDIS):
        assert sweep_report_jobs() == {"resent": 0, "failed_to_send": 1, "orphans_removed": 0}
    assert current(job).status == "failed" and "Redis" in current(job).error
    assert current(young).status == "queued"  # not yet too long


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_sweep_resends_a_job_whose_message_was_lost_and_a_real_worker_finishes_it(
    admin_user, media_root, tmp_path
):
    require_redis()
    flush_redis()
    job = ReportJobFactory(kind="diagnostics", municipality=None, month=None, requested_by=admin_user)
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=2))
    log = tmp_path / "worker.log"
    worker = start_worker(env={"DJANGO_MEDIA_ROOT": str(media_root)}, log_path=log)
    try:
        with task_queue(REDIS_URL):
            assert sweep_report_jobs()["resent"] == 1
        deadline = time.monotonic() + 120
        while current(job).status not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop_worker(worker)
    assert current(job).status == "done", (current(job).error, log.read_text(errors="replace")[-2000:])


# --- Storage full or read-only ------------------------------------------------------------------


@contextlib.contextmanager
def tiny_tmpfs(path: Path, *, size: str = "256k"):
    path.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        reason = f"cannot mount a tmpfs (needs root): {result.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _use_media(settings, location: Path) -> None:
    settings.MEDIA_ROOT = location
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": location, "base_url": None}},
    }


def _fill(directory: Path) -> None:
    with open(directory / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


@pytest.mark.django_db
def test_a_full_storage_fails_the_job_at_once_and_says_it_is_full(settings, tmp_path, admin_user):
    with tiny_tmpfs(tmp_path / "media") as media:
        _use_media(settings, media)
        (media / "reports").mkdir()
        _fill(media)
        job = ReportJobFactory(kind="diagnostics", municipality=None, month=None, requested_by=admin_user)
        assert generate_report.apply(args=(job.pk,)).get() == "failed"
        failed = current(job)
        assert failed.attempts == 1, "storage full must not be retried"
        assert "täis" in failed.error or "full" in failed.error
        assert not list((media / "reports").rglob("*.part"))


@pytest.mark.django_db
def test_a_read_only_storage_fails_the_job_at_once_and_says_so(settings, tmp_path, admin_user):
    with tiny_tmpfs(tmp_path / "media") as media:
        (media / "reports").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        _use_media(settings, media)
        job = ReportJobFactory(kind="diagnostics", municipality=None, month=None, requested_by=admin_user)
        assert generate_report.apply(args=(job.pk,)).get() == "failed"
        failed = current(job)
        assert failed.attempts == 1
        assert "kirjutuskaitstud" in failed.error or "read-only" in failed.error


@pytest.mark.django_db
def test_a_file_where_the_storage_directory_should_be_is_not_retried_either(settings, tmp_path, admin_user):
    media = tmp_path / "media"
    media.mkdir()
    (media / "reports").write_text("not a directory")
    _use_media(settings, media)
    job = ReportJobFactory(kind="diagnostics", municipality=None, month=None, requested_by=admin_user)
    assert generate_report.apply(args=(job.pk,)).get() == "failed"
    assert current(job).attempts == 1


# --- Orphan files ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_deletes_old_files_no_job_records_and_keeps_the_rest(media_root, kov_a):
    recorded = done_job(municipality=kov_a)
    recorded_path = media_root / recorded.file.name
    orphan = media_root / "reports" / "participants" / "999" / "1" / "osalejad.xlsx"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"isikukoodid")
    young = media_root / "reports" / "participants" / "998" / "1" / "osalejad.xlsx"
    young.parent.mkdir(parents=True)
    young.write_bytes(b"publishing right now")
    old = time.time() - 3 * 3600
    for path in (recorded_path, orphan):
        os.utime(path, (old, old))
    assert services.remove_orphan_files() == ["reports/participants/999/1/osalejad.xlsx"]
    assert recorded_path.exists() and young.exists() and not orphan.exists()
    assert not orphan.parent.exists()


def test_the_celery_client_in_these_tests_is_the_apps_own():
    """A test's own sending client must not become Celery's current app: the app's tasks
    (shared_task) would follow it, and later tests would send to its broker."""
    Celery("tugi-test-client", broker=DEAD_REDIS, set_as_current=False)
    assert generate_report.app is celery_app


# --- Redis restarted while jobs are queued and running ------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int, directory: Path) -> subprocess.Popen:
    """A private redis-server with the append-only file, as docker-compose runs it."""
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory),
         "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    import redis

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if redis.Redis(port=port, socket_connect_timeout=0.5).ping():
                return server
        except redis.RedisError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("the private redis-server did not start")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_jobs_queued_and_running_survive_a_redis_restart(admin_user, media_root, tmp_path):
    import shutil
    import signal

    if not shutil.which("redis-server"):
        if os.environ.get("CI"):
            pytest.fail("redis-server is required in CI")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    data = tmp_path / "redis"
    data.mkdir()
    url = f"redis://127.0.0.1:{port}/0"
    redis_server = _start_redis(port, data)
    log = tmp_path / "worker.log"
    worker = None
    try:
        worker = start_worker(
            env={"DJANGO_MEDIA_ROOT": str(media_root), "REDIS_URL": url, "CELERY_VISIBILITY_TIMEOUT": "3",
                 "CELERY_UNACKED_RESTORE_INTERVAL": "1", "REPORTING_STEP_DELAY_SECONDS": "0.4"},
            log_path=log,
        )
        jobs = [ReportJobFactory(kind="diagnostics", municipality=None, month=None, requested_by=admin_user,
                                 parameters={"n": n}) for n in range(3)]
        sender = Celery("tugi-test-client", broker=url, backend=url, set_as_current=False)
        for job in jobs:
            sender.send_task(generate_report.name, args=[job.pk])
        deadline = time.monotonic() + 90
        while current(jobs[0]).status != "running" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert current(jobs[0]).status == "running", log.read_text(errors="replace")[-2000:]
        # Redis dies (no clean shutdown) with one job running and two queued, and comes back.
        os.killpg(redis_server.pid, signal.SIGKILL)
        redis_server.wait(timeout=10)
        time.sleep(1)
        redis_server = _start_redis(port, data)
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and any(current(j).status not in ("done", "failed") for j in jobs):
            time.sleep(0.3)
    finally:
        if worker is not None:
            stop_worker(worker)
        os.killpg(redis_server.pid, signal.SIGKILL)
        redis_server.wait(timeout=10)
    output = log.read_text(errors="replace")[-3000:]
    assert [current(j).status for j in jobs] == ["done"] * 3, output
    for job in jobs:
        done = current(job)
        assert (media_root / done.file.name).is_file() and done.size == (media_root / done.file.name).stat().st_size
