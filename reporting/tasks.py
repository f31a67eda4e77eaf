from datetime import date

from celery import shared_task
from django.utils import timezone

from tugi import workdays


def calendar_events(today: date) -> list[str]:
    """Which monthly events fall on ``today``: the first working day of the month
    (coordinators are reminded of the due date) and the due date itself (SKA is told
    who has not submitted). Later issues attach the jobs to these events."""
    events = []
    if today == workdays.nth_working_day(today.year, today.month, 1):
        events.append("first_working_day")
    previous_month = workdays.month_start(today.replace(day=1) - date.resolution)
    if today == workdays.due_date(previous_month):
        events.append("due_date")
    return events


@shared_task
def calendar_tick() -> list[str]:
    """Run daily by Celery beat (CELERY_BEAT_SCHEDULE)."""
    return calendar_events(timezone.localdate())
