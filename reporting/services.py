"""Requesting, running and publishing report jobs.

Views call :func:`request_report` / :func:`retry_report`; the Celery task
``reporting.tasks.generate_report`` calls :func:`run_job` and, on errors,
:func:`fail_job` or :func:`requeue_job`.

A generator writes into an unnamed temporary file in the attempt's directory
(it vanishes with the process if the worker is killed); the finished bytes are
copied to a hidden ``.part`` file beside it, flushed to disk and published with
``os.replace``, so a reader sees either no file or the whole file.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import tempfile
import uuid
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from accounts.models import Municipality, User
from tugi import workdays
from tugi.errors import DomainError

from .models import ReportJob
from .registry import ReportKind, get_kind
from .selectors import may_use_kind

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024


class ReportingError(DomainError):
    """A report cannot be requested or generated; the message is shown to the user."""

    def __init__(self, message):
        super().__init__(str(message))


def _kind(code: str) -> ReportKind:
    try:
        return get_kind(code)
    except KeyError as exc:
        raise ReportingError(_("There is no such report.")) from exc


def _subject_fields(subject: Model | None) -> dict:
    from django.contrib.contenttypes.models import ContentType

    if subject is None:
        return {"subject_type": None, "subject_id": None}
    return {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}


def _check_scope(
    kind: ReportKind, municipality: Municipality | None, month: date | None, subject
) -> None:
    if kind.scope == "municipality_month" and (municipality is None or month is None):
        raise ReportingError(_("Choose the municipality and the month of this report."))
    if kind.scope == "month" and (month is None or municipality or subject):
        raise ReportingError(_("Choose the month of this report (it covers every municipality)."))
    if kind.scope == "subject" and subject is None:
        raise ReportingError(_("This document is about one record; choose it first."))
    if kind.scope == "global" and (municipality or month or subject):
        raise ReportingError(_("This report is not about a municipality, month or record."))


def _enqueue(job_id: int) -> None:
    transaction.on_commit(partial(send_job, job_id=job_id))


def send_job(*, job_id: int) -> bool:
    """Hand the job to the task queue, once, without waiting for a broker that is down.

    A job whose message could not be sent is marked failed at once with a message that says
    why; it can be tried again (a failed job has a retry button), and the periodic sweep
    (:func:`sweep_jobs`) re-sends jobs that stayed queued too long."""
    from kombu.exceptions import OperationalError as BrokerError
    from redis.exceptions import RedisError

    from .tasks import generate_report

    try:
        generate_report.apply_async(args=(job_id,), retry=False)
    except (BrokerError, RedisError, ConnectionError) as exc:
        logger.error("Report job %s could not be queued: %s", job_id, exc)
        fail_job(
            job_id=job_id,
            error=_(
                "The report could not be queued: the task queue (Redis) does not answer. "
                "Try again in a moment; if it fails again, tell the administrator."
            ),
        )
        return False
    return True


def request_report(
    *,
    kind: str,
    by: User | None,
    municipality: Municipality | None = None,
    month: date | None = None,
    subject: Model | None = None,
    parameters: dict | None = None,
) -> ReportJob:
    """Queue a report. An identical request that is still queued or running is returned
    instead of a new one. ``by=None`` means the system (e.g. a month was closed)."""
    report_kind = _kind(kind)
    if by is not None and not may_use_kind(by, report_kind, municipality):
        raise PermissionDenied
    month = workdays.month_start(month) if month else None
    _check_scope(report_kind, municipality, month, subject)
    identity = {
        "kind": report_kind.code,
        "municipality": municipality,
        "month": month,
        "parameters": parameters or {},
        **_subject_fields(subject),
    }
    with transaction.atomic():
        existing = ReportJob.objects.filter(status__in=ReportJob.ACTIVE_STATUSES, **identity)
        if job := existing.first():
            return job
        job = ReportJob(requested_by=by, **identity)
        try:
            # Not the constraints: Django checks each with a query of its own (14 round trips for
            # a month's two reports, inside every close's commit); the database enforces them,
            # and the one a caller can hit (the same request twice) is caught just below.
            # Nor the references: they are objects the caller already holds (a query each).
            job.full_clean(exclude=["municipality", "requested_by", "subject_type"], validate_constraints=False)
        except ValidationError as exc:
            raise ReportingError(" ".join(exc.messages)) from exc
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            # Someone else asked for the very same report a moment ago.
            return existing.get()
        _enqueue(job.pk)
    if not transaction.get_connection().in_atomic_block:
        # Sent when the atomic block above committed: the send may have failed the job. Inside a
        # caller's transaction (a close) nothing is sent before it commits, so nothing changed.
        job.refresh_from_db(fields=["status", "error"])
    return job


def retry_report(*, job: ReportJob, by: User) -> ReportJob:
    """Queue a failed job again (the same row: its attempts and history stay together)."""
    if not may_use_kind(by, _kind(job.kind), job.municipality):
        raise PermissionDenied
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ReportJob.Status.FAILED:
            raise ReportingError(_("Only a report that failed can be tried again."))
        job.status = ReportJob.Status.QUEUED
        job.error = ""
        job.progress = 0
        job.progress_message = ""
        job.started_at = job.finished_at = None
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError as exc:
            raise ReportingError(_("The same report is already being generated.")) from exc
        _enqueue(job.pk)
    job.refresh_from_db(fields=["status", "error"])
    return job


# --- What the task does -------------------------------------------------------------------


def start_job(*, job_id: int) -> ReportJob | None:
    """Mark the job running; None when there is nothing to do (done, failed or gone).

    A job found *running* was started by a worker that died: it starts again."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not job.is_active:
            return None
        job.status = ReportJob.Status.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.progress = 0
        job.progress_message = ""
        job.save(update_fields=["status", "attempts", "started_at", "progress", "progress_message"])
    return job


def set_progress(percent: int, message: str = "", *, job_id: int) -> None:
    """Record progress at once (outside any transaction, so the status page sees it)."""
    ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
        progress=max(0, min(100, int(percent))), progress_message=str(message)[:200]
    )


def job_directory(job: ReportJob) -> str:
    """Where the job's files live; one sub-directory per attempt (``job.attempts``)."""
    return f"reports/{job.kind}/{job.pk}"


def _remove_leftovers(directory: Path) -> None:
    """Remove ``.part`` files a killed worker may have left while publishing."""
    for leftover in directory.glob("*/.*.part"):
        leftover.unlink(missing_ok=True)


def _publish(source, directory: Path, filename: str) -> tuple[int, str]:
    """Copy ``source`` to ``directory/filename`` atomically; return its size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    part = directory / f".{filename}.{uuid.uuid4().hex}.part"
    source.seek(0)
    try:
        with open(part, "wb") as target:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
            target.flush()
            os.fsync(target.fileno())
        os.replace(part, directory / filename)
    finally:
        part.unlink(missing_ok=True)
    return size, digest.hexdigest()


class StorageError(ReportingError):
    """The file storage cannot take the file (full, read-only, not writable): trying again
    soon would fail the same way, so the job fails at once and says what it is."""


#: OSError numbers that mean the storage itself refuses, with what the user reads.
STORAGE_ERRORS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EFBIG: "full",
    errno.EROFS: "read-only",
    errno.EACCES: "read-only",
    errno.EPERM: "read-only",
    errno.ENOTDIR: "read-only",
    errno.EEXIST: "read-only",
}


def storage_error(exc: OSError) -> StorageError | None:
    kind = STORAGE_ERRORS.get(exc.errno)
    if kind == "full":
        return StorageError(
            _("The report could not be saved: the file storage is full. Tell the administrator; "
              "try again once there is space.")
        )
    if kind == "read-only":
        return StorageError(
            _("The report could not be saved: the file storage is read-only or not writable. "
              "Tell the administrator.")
        )
    return None


def run_job(*, job_id: int) -> ReportJob | None:
    """Generate the job's file and publish it; None when the job needs nothing (already
    done, failed or deleted), so running the task twice is harmless."""
    job = start_job(job_id=job_id)
    if job is None:
        return None
    kind = _kind(job.kind)
    base = Path(default_storage.path(job_directory(job)))
    # Each attempt publishes into its own directory: should a message be delivered twice
    # while the first worker still runs, neither overwrites the file the other recorded.
    name = f"{job_directory(job)}/{job.attempts}"
    directory = base / str(job.attempts)
    try:
        _remove_leftovers(base)
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory) as out:
            filename = kind.generate(job, out=out, progress=partial(set_progress, job_id=job.pk))
            filename = get_valid_filename(filename or f"{kind.code}.{kind.extension}")
            out.flush()
            size, checksum = _publish(out, directory, filename)
    except OSError as exc:
        if refused := storage_error(exc):
            raise refused from exc
        raise
    finished = finish_job(
        job_id=job.pk,
        name=f"{name}/{filename}",
        filename=filename,
        content_type=kind.content_type,
        size=size,
        checksum=checksum,
    )
    if finished.file.name != f"{name}/{filename}":
        # Another attempt finished first and its file is the job's.
        (directory / filename).unlink(missing_ok=True)
    return finished


def finish_job(
    *, job_id: int, name: str, filename: str, content_type: str, size: int, checksum: str
) -> ReportJob:
    """Mark the job done and make its file the current one of its report."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ReportJob.Status.DONE:
            return job
        # Two jobs of one report finishing at once take turns here.
        key = f"report:{job.kind}:{job.municipality_id}:{job.month}:{job.subject_type_id}:{job.subject_id}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
        ReportJob.objects.filter(
            kind=job.kind,
            municipality_id=job.municipality_id,
            month=job.month,
            subject_type_id=job.subject_type_id,
            subject_id=job.subject_id,
            is_current=True,
        ).update(is_current=False)
        job.status = ReportJob.Status.DONE
        job.is_current = True
        job.file.name = name
        job.filename = filename
        job.content_type = content_type
        job.size = size
        job.checksum = checksum
        job.progress = 100
        job.progress_message = ""
        job.error = ""
        job.finished_at = timezone.now()
        job.save()
    return job


def error_message(exc: BaseException) -> str:
    """What the user reads when a job fails: our own message, or a neutral one."""
    if isinstance(exc, ReportingError):
        return exc.message
    return _(
        "The report could not be generated because of an unexpected error (%(error)s). "
        "Try again; if it fails again, tell the administrator."
    ) % {"error": type(exc).__name__}


def fail_job(*, job_id: int, error: str) -> None:
    """Record that the job failed, with the message the user sees."""
    ReportJob.objects.filter(pk=job_id, status__in=ReportJob.ACTIVE_STATUSES).update(
        status=ReportJob.Status.FAILED, error=error, finished_at=timezone.now()
    )


def requeue_job(*, job_id: int, message: str) -> None:
    """A transient error: the task will run again, the status page says so."""
    ReportJob.objects.filter(pk=job_id, status__in=ReportJob.ACTIVE_STATUSES).update(
        status=ReportJob.Status.QUEUED, progress_message=str(message)[:200]
    )


# --- The periodic sweep ------------------------------------------------------------------------

#: A job queued longer than this has lost its message (the broker was down or restarted
#: without its data): the sweep sends it again.
QUEUED_TOO_LONG = timedelta(minutes=30)
#: A file in the report directory that no job records, older than this, is an orphan
#: (a worker died between publishing it and recording it); younger ones may be in flight.
ORPHAN_AGE = timedelta(hours=1)


def resend_stale_jobs(*, now=None) -> tuple[int, int]:
    """Send again every job queued longer than QUEUED_TOO_LONG; (re-sent, failed to send)."""
    now = now or timezone.now()
    stale = ReportJob.objects.filter(
        status=ReportJob.Status.QUEUED, created_at__lt=now - QUEUED_TOO_LONG
    ).values_list("pk", flat=True)
    sent = failed = 0
    for job_id in list(stale):
        if send_job(job_id=job_id):
            sent += 1
        else:
            failed += 1
    return sent, failed


def remove_orphan_files(*, now=None) -> list[str]:
    """Delete report files no job records (and ``.part`` leftovers) older than ORPHAN_AGE."""
    root = Path(default_storage.path("reports"))
    if not root.is_dir():
        return []
    cutoff = ((now or timezone.now()) - ORPHAN_AGE).timestamp()
    recorded = set(ReportJob.objects.exclude(file="").values_list("file", flat=True))
    media = Path(default_storage.path(""))
    removed = []
    for path in root.rglob("*"):
        if not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        name = path.relative_to(media).as_posix()
        if name not in recorded:
            path.unlink(missing_ok=True)
            removed.append(name)
    for directory in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(directory.iterdir()):
            directory.rmdir()
    if removed:
        logger.warning("Removed %s report files no job records: %s", len(removed), removed[:20])
    return removed


def sweep_jobs(*, now=None) -> dict:
    """What the periodic sweep (``reporting.tasks.sweep_report_jobs``) does."""
    sent, failed = resend_stale_jobs(now=now)
    return {"resent": sent, "failed_to_send": failed, "orphans_removed": len(remove_orphan_files(now=now))}
