"""A month row made by the writers' lock (raw SQL) leaves the same history as an ORM save."""

from datetime import date

import pytest
from django.db import transaction

from billing.locks import hold_months_for_share
from billing.models import BillingMonth, MonthState

pytestmark = pytest.mark.django_db


def test_the_month_rows_the_lock_creates_each_get_one_created_history_record(kov_a):
    with transaction.atomic():
        hold_months_for_share(kov_a.pk, [date(2026, 4, 6), date(2026, 5, 31)])
    with transaction.atomic():  # holding again creates nothing, so no second record
        hold_months_for_share(kov_a.pk, [date(2026, 4, 20)])
    months = BillingMonth.objects.filter(municipality=kov_a).order_by("month")
    assert [m.month for m in months] == [date(2026, 4, 1), date(2026, 5, 1)]
    for month in months:
        records = list(month.history.all())
        assert [(r.history_type, r.state, r.month, r.municipality_id) for r in records] == [
            ("+", MonthState.OPEN, month.month, kov_a.pk)
        ]
        assert records[0].history_date is not None


def test_the_lock_through_a_page_names_the_user_in_the_history(client, coordinator_a, kov_a):
    """The re-check button holds the month: the created row's history names who pressed it."""
    client.force_login(coordinator_a)
    client.post("/billing/month-end/recheck/", {"month": "2026-04"})
    month = BillingMonth.objects.get(municipality=kov_a, month=date(2026, 4, 1))
    assert [(r.history_type, r.history_user_id) for r in month.history.all()] == [("+", coordinator_a.pk)]
