"""Celery tasks of the archive: thin, they call the retention service."""

from celery import shared_task

from . import retention


@shared_task(name="archive.tasks.retention_monthly")
def retention_monthly() -> dict:
    """Monthly (beat): remove what an earlier dry run listed, then list what is due now."""
    outcome, listed = retention.run()
    return {"removed": len(outcome.removed), "skipped": outcome.run.skipped_count, "due": listed.case_count}
