"""The national-scale benchmark data (benchmarks/national.py) at a small scale: every
municipality, consistent prices, closed earlier months, and a last month that closes."""

from datetime import date

import pytest
from django.db import connection

from accounts.models import Municipality, User
from benchmarks.national import KOVS, LOAD_PASSWORD, build, sizes
from billing import services
from billing.models import BillingMonth, Delivery, Invoice

pytestmark = pytest.mark.django_db


def test_the_municipality_sizes_have_the_largest_first_and_sum_to_the_participants():
    full = sizes(1.0)
    assert len(full) == KOVS and full[0] == 7_000 and sum(full) == 20_000
    assert full[0] == max(full) and min(full) >= 1
    assert sum(sizes(0.05)) == 1_000


def test_the_small_national_data_is_consistent_and_its_last_month_closes():
    national = build(scale=0.005, last_month=date(2026, 10, 1))
    assert len(national.municipalities) == KOVS
    assert national.counts["cases_case"] == sum(sizes(0.005)) == 35 + KOVS - 1
    last = national.counts["deliveries in the last month"]
    assert last == Delivery.objects.filter(date__gte=date(2026, 10, 1)).count() > 0
    with connection.cursor() as cursor:  # every session at the contract price valid on its day
        cursor.execute(
            """
            SELECT count(*) FROM billing_delivery d
            JOIN providers_contractprice cp ON cp.contract_id = d.contract_id AND cp.component_id = d.component_id
                 AND cp.valid_from <= d.date AND (cp.valid_to IS NULL OR cp.valid_to >= d.date)
            WHERE cp.unit_price_individual = d.unit_price
            """
        )
        assert cursor.fetchone()[0] == national.counts["billing_delivery"]
        cursor.execute("SELECT count(DISTINCT unit_price) FROM billing_delivery")
        assert cursor.fetchone()[0] > 1  # prices differ by provider and changed a year ago
    assert BillingMonth.objects.filter(month__lt=date(2026, 10, 1)).exclude(state="accepted").count() == 0
    assert Invoice.objects.filter(month=date(2026, 9, 1)).count() == KOVS
    largest = Municipality.objects.get(code="7000")
    coordinator = User.objects.get(username="koord_7000")
    assert coordinator.check_password(LOAD_PASSWORD)
    invoice = services.close_month(
        municipality=largest, month=date(2026, 10, 1), by=coordinator, today=date(2026, 11, 5)
    )
    assert invoice.participants == national.municipalities[0][2]
    assert invoice.components_total == sum(
        Delivery.objects.filter(municipality=largest, date__gte=date(2026, 10, 1)).values_list("amount", flat=True)
    )
