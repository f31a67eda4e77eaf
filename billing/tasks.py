"""Billing's background work: importing large attendance files."""

import logging

from celery import shared_task

from . import imports

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import(job_id: int) -> str:
    """Import one ImportJob's file. Safe to run twice: an ended job is left alone, and a worker
    that dies mid-import leaves nothing behind (one transaction), so the redelivered task
    starts afresh."""
    try:
        job = imports.run_import_job(job_id=job_id)
    except Exception as exc:
        logger.exception("Import job %s failed", job_id)
        imports.fail_import_job(job_id=job_id, error=str(exc)[:500])
        return "failed"
    return job.status if job else "skipped"
