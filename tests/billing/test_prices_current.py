"""Prices always current: a delivery's amount is the price valid on its date × minutes / 60,
half-up; a price change reaching back into an open month re-prices what is recorded there, in
the same transaction, and says how many and by how much; a closed month is never re-priced;
the close refuses a month whose stored amounts disagree with the price table."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from billing import rules, services
from billing.models import (
    BillingMonth,
    Delivery,
    Invoice,
    InvoiceContractTotal,
    InvoicePersonLine,
    MonthState,
)
from providers import services as provider_services
from providers.models import ContractPrice
from tugi.money import minutes_amount

TODAY = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def world(kov_a):
    from tests.billing.factories import build_world

    return build_world(kov_a)


def l23_price(world) -> ContractPrice:
    return world.contract.prices.get(component__code="L23")


def test_an_amount_is_the_hourly_price_times_minutes_over_sixty_half_up():
    assert minutes_amount(Decimal("0.03"), 50) == Decimal("0.03")  # 0,025 € exactly: half up
    assert minutes_amount(Decimal("30.00"), 20) == Decimal("10.00")
    assert minutes_amount(Decimal("49.00"), 45) == Decimal("36.75")


def test_a_retroactive_price_change_reprices_the_open_month_and_it_closes_at_the_new_price(world, coordinator_a):
    early, late = services.record_deliveries(drafts=[
        world.draft(date=date(2026, 4, 6), minutes=60), world.draft(date=date(2026, 4, 20), minutes=90),
    ], by=coordinator_a)
    assert (early.amount, late.amount) == (Decimal("30.00"), Decimal("45.00"))
    new = provider_services.change_price_from(
        price=l23_price(world), from_date=date(2026, 4, 15), unit_price_individual=Decimal("33.33"),
        unit_price_group=Decimal("12.00"),
    )
    assert [(r.count, r.change) for r in new.repriced] == [(1, Decimal("5.00"))]  # 90 min × 33,33 = 50,00
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.unit_price, early.amount) == (Decimal("30.00"), Decimal("30.00"))
    assert (late.unit_price, late.amount) == (Decimal("33.33"), Decimal("50.00"))
    assert rules.month_blockers(world.kov, date(2026, 4, 1)) == []
    with time_machine.travel(TODAY):
        invoice = services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    assert invoice.components_total == Decimal("80.00")


def test_a_closed_month_is_never_repriced(world, coordinator_a):
    april = services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 20), minutes=60)], by=coordinator_a)[0]
    with time_machine.travel(TODAY):
        services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    may = services.record_deliveries(drafts=[world.draft(date=date(2026, 5, 4), minutes=60)], by=coordinator_a)[0]
    new = provider_services.change_price_from(
        price=l23_price(world), from_date=date(2026, 4, 15), unit_price_individual=Decimal("36.00"),
        unit_price_group=Decimal("12.00"),
    )
    assert [(r.count, r.change, r.closed_months) for r in new.repriced] == [(1, Decimal("6.00"), (date(2026, 4, 1),))]
    april.refresh_from_db()
    may.refresh_from_db()
    assert april.amount == Decimal("30.00")
    assert may.amount == Decimal("36.00")


@pytest.mark.parametrize("columns", [
    "amount = 29.00",  # not its unit price × minutes / 60
    "unit_price = NULL",  # an amount without a price
    "amount = NULL",  # a price without an amount
    "unit_price = 30.00, amount = 30.01",
])
def test_the_database_keeps_every_amount_equal_to_its_unit_price_times_minutes(world, coordinator_a, columns):
    """The close's price check compares only stored unit prices with the price table (migration
    0013): the amount cannot drift from its unit price by any way in, raw SQL included."""
    delivery = services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 6))], by=coordinator_a)[0]
    with (
        pytest.raises(IntegrityError, match="delivery_amount_from_unit_price"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE billing_delivery SET {columns} WHERE id = %s", [delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.unit_price, delivery.amount) == (Decimal("30.00"), Decimal("30.00"))
    with connection.cursor() as cursor:  # both together, consistent: allowed (the unpriced state)
        cursor.execute("UPDATE billing_delivery SET unit_price = NULL, amount = NULL WHERE id = %s", [delivery.pk])


def test_the_close_refuses_a_month_whose_stored_amount_disagrees_with_the_price_table(world, coordinator_a):
    delivery = services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 6))], by=coordinator_a)[0]
    with connection.cursor() as cursor:  # as an old row priced before a change that never reached it
        cursor.execute("UPDATE billing_delivery SET unit_price = 28.00, amount = 28.00 WHERE id = %s", [delivery.pk])
    assert rules.month_blockers(world.kov, date(2026, 4, 1)) == [
        "1 delivery has an amount that differs from the price list; check the month again."
    ]
    with pytest.raises(services.BillingError) as refused, time_machine.travel(TODAY):
        services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    # Found by the close's own scan of the month, after it had begun writing: all rolled back.
    assert refused.value.messages == rules.month_blockers(world.kov, date(2026, 4, 1))
    assert not Invoice.objects.exists() and not InvoicePersonLine.objects.exists()
    assert not InvoiceContractTotal.objects.exists()
    assert not BillingMonth.objects.filter(month=date(2026, 4, 1), state=MonthState.CLOSED).exists()
    # Refused for another reason too, the close names both at once.
    services.record_deliveries(  # 12 hours of a plan line of 10: a warning not yet accepted
        drafts=[world.draft(date=date(2026, 4, 7), minutes=360), world.draft(date=date(2026, 4, 8), minutes=360)],
        by=coordinator_a,
    )
    with pytest.raises(services.BillingError) as refused, time_machine.travel(TODAY):
        services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    assert len(refused.value.messages) == 2
    assert refused.value.messages[-1].startswith("1 delivery has an amount that differs")
    Delivery.objects.exclude(pk=delivery.pk).delete()
    services.recheck_month(municipality=world.kov, month=date(2026, 4, 1))
    assert Delivery.objects.get(pk=delivery.pk).amount == Decimal("30.00")
    assert rules.month_blockers(world.kov, date(2026, 4, 1)) == []


def test_the_price_change_page_says_how_many_sessions_got_the_new_price(client, world, coordinator_a):
    services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 20), minutes=60)], by=coordinator_a)
    client.force_login(coordinator_a)
    response = client.post(
        f"/providers/prices/{l23_price(world).pk}/change/",
        {"from_date": "2026-04-15", "unit_price_individual": "33", "unit_price_group": "12"},
        follow=True,
    )
    page = response.content.decode()
    assert "1 sisestatud kord sai oma kuupäeval kehtiva hinna; summad muutusid kokku 3,00\xa0€ võrra." in page
