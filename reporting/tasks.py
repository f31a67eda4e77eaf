import logging
from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _

from tugi import workdays

from . import services

logger = logging.getLogger(__name__)

#: Errors worth another try: the database or the disk was briefly unavailable.
TRANSIENT_ERRORS = (OperationalError, OSError)


def calendar_events(today: date) -> list[str]:
    """Which monthly events are due on ``today``, caught up if beat was down on their day.

    - ``first_working_day``: from the first working day of the month up to the due date of
      the previous month (coordinators are reminded of that due date);
    - ``due_date``: from the due date to the end of the month (SKA is told who has not
      submitted).

    Each event creates its reminders once per user and month (``Reminder`` is unique per user
    and key), so ticking every day of the window, or twice a day, sends each reminder once."""
    events = []
    due = workdays.due_date(workdays.month_start(today.replace(day=1) - date.resolution))
    if workdays.nth_working_day(today.year, today.month, 1) <= today <= due:
        events.append("first_working_day")
    if today >= due:
        events.append("due_date")
    return events


@shared_task
def calendar_tick() -> list[str]:
    """Run daily by Celery beat (CELERY_BEAT_SCHEDULE): acts on today's events
    (``reporting.schedules``) and returns them."""
    from . import schedules

    today = timezone.localdate()
    events = calendar_events(today)
    schedules.run(today, events)
    return events


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def generate_report(self, job_id: int) -> str:
    """Generate one ReportJob's file. Safe to run twice: a done job is left alone.

    The message is acknowledged only after the task returns (``acks_late``), so a
    worker killed mid-job leaves it in Redis and another worker runs it again after
    the broker's visibility timeout. Transient errors retry with exponential backoff
    (manually rather than ``autoretry_for`` so the job shows "queued" meanwhile and
    "failed" once the retries are used up)."""
    try:
        job = services.run_job(job_id=job_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            logger.exception("Report job %s failed after %s retries", job_id, self.max_retries)
            services.fail_job(job_id=job_id, error=services.error_message(exc))
            return "failed"
        logger.warning("Report job %s hit a transient error, retrying: %s", job_id, exc)
        services.requeue_job(job_id=job_id, message=_("Waiting to try again."))
        if self.request.is_eager:
            # No broker (development, tests): try again in-process at once.
            return self.apply(args=(job_id,), retries=self.request.retries + 1).get(
                disable_sync_subtasks=False
            )
        raise self.retry(exc=exc, countdown=min(5 * 2**self.request.retries, 300)) from exc
    except Exception as exc:
        logger.exception("Report job %s failed", job_id)
        services.fail_job(job_id=job_id, error=services.error_message(exc))
        return "failed"
    return job.status if job else "skipped"


@shared_task
def sweep_report_jobs() -> dict:
    """Run by Celery beat every 15 minutes: re-send jobs queued too long (or mark them failed
    when the queue does not take them), and delete files no job records."""
    return services.sweep_jobs()
