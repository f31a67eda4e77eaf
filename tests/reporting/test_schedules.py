"""The daily calendar tick: reminders of the due date on the first working day, the list of
municipalities that have not submitted on the due date; idempotent; shown on start pages."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from billing.models import BillingMonth, MonthState
from reporting.models import Reminder
from reporting.tasks import calendar_tick
from tests.billing.factories import FundingAgreementFactory

pytestmark = pytest.mark.django_db

TALLINN = ZoneInfo("Europe/Tallinn")
# April 2026: 1 May is a holiday, 2–3 May a weekend, so Monday 4 May is the first working day;
# the due date (8th working day) is Tuesday 12 May.
FIRST_WORKING_DAY = datetime(2026, 5, 4, 6, 0, tzinfo=TALLINN)
DUE_DATE = datetime(2026, 5, 12, 6, 0, tzinfo=TALLINN)


@pytest.fixture
def funded(kov_a, kov_b):
    FundingAgreementFactory(municipality=kov_a)
    FundingAgreementFactory(municipality=kov_b)


def tick(moment):
    with time_machine.travel(moment, tick=False):
        return calendar_tick()


def test_on_the_first_working_day_each_coordinator_is_reminded_of_the_due_date(
    funded, coordinator_a, coordinator_b
):
    assert tick(FIRST_WORKING_DAY) == ["first_working_day"]
    reminder = Reminder.objects.get(user=coordinator_a)
    assert (
        reminder.text
        == "Sulgege kuu 04.2026 ja esitage selle koondarve SKA-le hiljemalt 12.05.2026."
    )
    assert reminder.url == reverse("billing:month_end") + "?month=2026-04"
    assert Reminder.objects.filter(user=coordinator_b).count() == 1


def test_running_the_tick_twice_a_day_creates_no_duplicates(funded, coordinator_a, ska_user):
    tick(FIRST_WORKING_DAY)
    tick(FIRST_WORKING_DAY.replace(hour=18))
    tick(DUE_DATE)
    tick(DUE_DATE.replace(hour=23, minute=59))
    assert Reminder.objects.filter(user=coordinator_a).count() == 1
    assert Reminder.objects.filter(user=ska_user).count() == 1


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 5, 1, 6, 0, tzinfo=TALLINN),  # a public holiday, the 1st of the month
        datetime(2026, 5, 3, 23, 59, tzinfo=TALLINN),  # the Sunday before
    ],
)
def test_no_reminder_before_the_first_working_day(funded, coordinator_a, ska_user, moment):
    assert tick(moment) == []
    assert not Reminder.objects.exists()


def test_reminders_missed_while_beat_was_down_are_sent_on_the_next_tick_once(
    funded, coordinator_a, ska_user
):
    # Beat was down from 1 to 7 May: the first tick after it reminds the coordinator.
    assert tick(datetime(2026, 5, 8, 6, 0, tzinfo=TALLINN)) == ["first_working_day"]
    assert Reminder.objects.get(user=coordinator_a).key == "due:2026-04"
    tick(datetime(2026, 5, 11, 6, 0, tzinfo=TALLINN))
    tick(DUE_DATE)
    assert Reminder.objects.filter(user=coordinator_a).count() == 1
    # Down again over the due date: SKA hears of it on the next tick, once.
    assert Reminder.objects.filter(user=ska_user).count() == 1
    tick(datetime(2026, 5, 20, 6, 0, tzinfo=TALLINN))
    assert Reminder.objects.filter(user=ska_user).count() == 1


def test_after_the_due_date_a_late_tick_no_longer_reminds_coordinators_but_tells_ska(
    funded, coordinator_a, ska_user
):
    assert tick(datetime(2026, 5, 14, 6, 0, tzinfo=TALLINN)) == ["due_date"]
    assert not Reminder.objects.filter(user=coordinator_a).exists()
    assert Reminder.objects.filter(user=ska_user, key="not_submitted:2026-04").count() == 1


def test_across_the_new_year_and_its_holiday_each_reminder_fires_once(funded, coordinator_a, ska_user):
    from datetime import timedelta

    # December 2026 is due on the 7th working day of January 2027; 1 January is a holiday
    # and 2–3 January a weekend, so 4 January is the first working day.
    day = datetime(2026, 12, 28, 6, 0, tzinfo=TALLINN)
    fired = {}
    while day < datetime(2027, 1, 20, tzinfo=TALLINN):
        if not date(2027, 1, 4) <= day.date() <= date(2027, 1, 6):  # beat down 4–6 January
            before = set(Reminder.objects.values_list("user_id", "key"))
            tick(day)
            for user_id, key in set(Reminder.objects.values_list("user_id", "key")) - before:
                fired[(user_id, key)] = day.date()
        day += timedelta(days=1)
    assert fired[(coordinator_a.pk, "due:2026-12")] == date(2027, 1, 7)  # caught up, once
    assert fired[(ska_user.pk, "not_submitted:2026-12")] == date(2027, 1, 12)
    assert Reminder.objects.filter(key__endswith="2026-12").count() == 2


def test_the_first_working_day_follows_the_calendar_at_midnight(funded, coordinator_a):
    assert tick(datetime(2026, 5, 4, 0, 0, tzinfo=TALLINN)) == ["first_working_day"]
    assert Reminder.objects.filter(user=coordinator_a, key="due:2026-04").exists()


def test_a_municipality_that_has_submitted_or_has_no_agreement_is_not_reminded(
    kov_a, kov_b, coordinator_a, coordinator_b
):
    FundingAgreementFactory(municipality=kov_a)
    BillingMonth.objects.create(
        municipality=kov_a, month=date(2026, 4, 1), state=MonthState.SUBMITTED
    )
    tick(FIRST_WORKING_DAY)
    assert not Reminder.objects.exists()


def test_on_the_due_date_ska_staff_get_the_municipalities_that_have_not_submitted(
    funded, kov_a, kov_b, ska_user
):
    BillingMonth.objects.create(
        municipality=kov_a, month=date(2026, 4, 1), state=MonthState.ACCEPTED
    )
    BillingMonth.objects.create(
        municipality=kov_b, month=date(2026, 4, 1), state=MonthState.RETURNED
    )
    assert tick(DUE_DATE) == ["first_working_day", "due_date"]  # coordinators: still up to today
    reminder = Reminder.objects.get(user=ska_user)
    assert reminder.text == (
        f"Kuu 04.2026 koondarvet ei ole tähtajaks 12.05.2026 esitanud: {kov_b.name} ({kov_b.code})."
    )
    assert reminder.url == reverse("reporting:months") + "?month=2026-04"


def test_nothing_is_sent_to_ska_when_everyone_submitted(funded, kov_a, kov_b, ska_user):
    for kov in (kov_a, kov_b):
        BillingMonth.objects.create(
            municipality=kov, month=date(2026, 4, 1), state=MonthState.SUBMITTED
        )
    tick(DUE_DATE)
    assert not Reminder.objects.exists()


def test_reminders_are_emailed_once_when_enabled(funded, coordinator_a, settings):
    settings.REPORTING_REMINDER_EMAILS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    coordinator_a.email = "koordinaator@alfa.invalid"
    coordinator_a.save()
    tick(FIRST_WORKING_DAY)
    tick(FIRST_WORKING_DAY)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["koordinaator@alfa.invalid"]
    assert "12.05.2026" in mail.outbox[0].body
    assert Reminder.objects.get(user=coordinator_a).emailed_at is not None


def test_no_email_unless_enabled(funded, coordinator_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    coordinator_a.email = "koordinaator@alfa.invalid"
    coordinator_a.save()
    tick(FIRST_WORKING_DAY)
    assert mail.outbox == []


# --- On the start pages ----------------------------------------------------------------------


def test_the_coordinator_sees_the_reminder_on_the_month_end_page_until_read(
    client, funded, coordinator_a
):
    tick(FIRST_WORKING_DAY)
    client.force_login(coordinator_a)
    page = client.get(reverse("billing:month_end")).content.decode()
    assert "esitage selle koondarve SKA-le hiljemalt 12.05.2026" in page
    reminder = Reminder.objects.get(user=coordinator_a)
    response = client.post(
        reverse("reporting:reminder_read", args=[reminder.pk]),
        {"next": reverse("billing:month_end")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("billing:month_end")
    assert "12.05.2026" not in client.get(reverse("billing:month_end")).content.decode()


def test_ska_staff_see_the_list_on_the_reports_page(client, funded, kov_a, ska_user):
    tick(DUE_DATE)
    client.force_login(ska_user)
    page = client.get(reverse("reporting:home")).content.decode()
    assert f"esitanud: {kov_a.name} ({kov_a.code})" in page or kov_a.name in page
    assert "Kuu 04.2026 koondarvet ei ole tähtajaks" in page


def test_nobody_marks_another_users_reminder_read(client, funded, coordinator_a, coordinator_b):
    tick(FIRST_WORKING_DAY)
    reminder = Reminder.objects.get(user=coordinator_a)
    client.force_login(coordinator_b)
    assert client.post(reverse("reporting:reminder_read", args=[reminder.pk])).status_code == 404
    reminder.refresh_from_db()
    assert reminder.read_at is None
