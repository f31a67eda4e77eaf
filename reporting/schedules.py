"""What the daily calendar tick does (Celery beat, ``reporting.tasks.calendar_tick``).

- On the first working day of a month every KOV coordinator is reminded of the due date of
  the previous month's invoice (unless it has already been submitted).
- On the due date SKA staff get the list of municipalities that have not submitted it.

Reminders are rows of :class:`reporting.models.Reminder`, unique per user and key, so running
the tick twice on a day creates nothing new (and e-mails nobody twice). E-mail is sent only
when ``REPORTING_REMINDER_EMAILS`` is true and the user has an address."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Municipality, Role, User
from billing.models import BillingMonth, FundingAgreement, MonthState
from tugi import workdays

from .models import Reminder

logger = logging.getLogger(__name__)

#: States in which a month's invoice counts as submitted.
SUBMITTED_STATES = (MonthState.SUBMITTED, MonthState.ACCEPTED)


def previous_month(today: date) -> date:
    return workdays.month_start(today.replace(day=1) - date.resolution)


def _remind(user: User, *, key: str, text: str, url: str = "") -> Reminder | None:
    """Create the reminder unless this user already has it; None when it existed."""
    reminder, created = Reminder.objects.get_or_create(
        user=user, key=key, defaults={"text": text, "url": url}
    )
    if not created:
        return None
    if getattr(settings, "REPORTING_REMINDER_EMAILS", False) and user.email:
        try:
            send_mail(_("Tugi reminder"), text, None, [user.email])
        except OSError:
            logger.exception("Could not e-mail reminder %s", reminder.pk)
        else:
            Reminder.objects.filter(pk=reminder.pk).update(emailed_at=timezone.now())
    return reminder


def _submitted(month: date) -> set[int]:
    return set(
        BillingMonth.objects.filter(month=month, state__in=SUBMITTED_STATES).values_list(
            "municipality_id", flat=True
        )
    )


def funded_municipalities(month: date):
    """Municipalities with a funding agreement in force in ``month``: they invoice SKA."""
    agreements = FundingAgreement.objects.filter(start_date__lte=workdays.month_end(month)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=month)
    )
    return Municipality.objects.filter(pk__in=agreements.values("municipality_id")).order_by("name")


def remind_coordinators(today: date) -> list[Reminder]:
    """First working day: each coordinator of a funded municipality that has not yet submitted
    the previous month is told its due date."""
    month = previous_month(today)
    due = workdays.due_date(month)
    submitted = _submitted(month)
    coordinators = User.objects.filter(
        role=Role.COORDINATOR, is_active=True, municipality__in=funded_municipalities(month)
    ).exclude(municipality__in=submitted)
    url = f"{reverse('billing:month_end')}?month={month:%Y-%m}"
    created = []
    with translation.override("et"):
        for user in coordinators.order_by("pk"):
            text = _(
                "Close month %(month)s and submit its consolidated invoice to SKA by %(due)s."
            ) % {"month": f"{month:%m.%Y}", "due": f"{due:%d.%m.%Y}"}
            if reminder := _remind(user, key=f"due:{month:%Y-%m}", text=text, url=url):
                created.append(reminder)
    return created


def not_submitted(month: date) -> list[Municipality]:
    submitted = _submitted(month)
    return [kov for kov in funded_municipalities(month) if kov.pk not in submitted]


def notify_ska(today: date) -> list[Reminder]:
    """Due date: SKA staff get the municipalities that have not submitted the month."""
    month = previous_month(today)
    missing = not_submitted(month)
    if not missing:
        return []
    url = f"{reverse('reporting:months')}?month={month:%Y-%m}"
    created = []
    with translation.override("et"):
        text = _("Not submitted by the due date %(due)s for month %(month)s: %(list)s.") % {
            "due": f"{workdays.due_date(month):%d.%m.%Y}",
            "month": f"{month:%m.%Y}",
            "list": ", ".join(f"{kov.name} ({kov.code})" for kov in missing),
        }
        for user in User.objects.filter(role=Role.SKA, is_active=True).order_by("pk"):
            if reminder := _remind(user, key=f"not_submitted:{month:%Y-%m}", text=text, url=url):
                created.append(reminder)
    return created


ACTIONS = {"first_working_day": remind_coordinators, "due_date": notify_ska}


def run(today: date, events: list[str]) -> dict[str, int]:
    """Act on the day's events; how many reminders each created."""
    return {event: len(ACTIONS[event](today)) for event in events}
