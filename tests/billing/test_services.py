"""Recording attendance, the rules that refuse or warn, and the month-end close."""

import uuid
from datetime import date, datetime, time
from decimal import Decimal

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from billing import services
from billing.models import (
    Adjustment,
    BillingMonth,
    Delivery,
    Invoice,
    InvoiceLine,
    MonthState,
    Status,
)
from providers.selectors import contract_usage
from tests.billing.factories import InterimEvaluationFactory, build_world
from tests.cases.factories import EnteredCaseFactory
from tests.providers.factories import SpecialistFactory, component

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 5, 4, 10, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def world(kov_a, coordinator_a):
    return build_world(kov_a)


def record(world, by, **overrides):
    return services.record_deliveries(drafts=[world.draft(**overrides)], by=by)[0]


def test_a_session_is_priced_per_line_at_the_price_valid_on_its_date(world, coordinator_a):
    delivery = record(world, coordinator_a, component=component("B1"), minutes=20)
    assert delivery.unit_price == Decimal("49.00")
    assert delivery.amount == Decimal("16.33")
    assert delivery.contract == world.contract
    assert delivery.status == Status.OK


def test_a_person_who_is_not_a_participant_on_the_date_is_refused(world, coordinator_a):
    with pytest.raises(services.BillingError, match="not a participant"):
        record(world, coordinator_a, date=date(2026, 1, 9))
    assert not Delivery.objects.exists()


def test_a_specialist_of_another_provider_is_refused(world, coordinator_a):
    stranger = SpecialistFactory(name="Võõras")
    with pytest.raises(services.BillingError, match="does not work for this provider"):
        record(world, coordinator_a, specialist=stranger)
    with pytest.raises(DatabaseError, match="does not work for provider"), transaction.atomic():
        Delivery.objects.create(
            municipality=world.kov, case=world.case, component=component("L23"), provider=world.provider,
            specialist=stranger, date=date(2026, 4, 6), minutes=15, form="I",
        )


def test_a_component_without_a_price_is_refused_with_the_reason(world, coordinator_a):
    with pytest.raises(services.BillingError, match="does not cover this component"):
        record(world, coordinator_a, component=component("L07"))


def test_a_date_outside_the_contract_is_refused(world, coordinator_a):
    with pytest.raises(services.BillingError, match="in force"):
        record(world, coordinator_a, date=date(2027, 1, 5))


def test_an_exact_duplicate_is_refused_by_the_rules_and_by_the_database(world, coordinator_a):
    first = record(world, coordinator_a, start_time=time(9, 0))
    with pytest.raises(services.BillingError, match="already been recorded"):
        record(world, coordinator_a, start_time=time(9, 0))
    twin = Delivery.objects.get(pk=first.pk)
    twin.pk = None
    twin.session_key = uuid.uuid4()
    with pytest.raises(DatabaseError), transaction.atomic():
        twin.save()


def test_overlapping_sessions_of_one_specialist_are_refused_also_by_the_database(world, coordinator_a):
    record(world, coordinator_a, start_time=time(9, 0), minutes=60)
    with pytest.raises(services.BillingError, match="already has a session"):
        record(world, coordinator_a, case=world.other_case, start_time=time(9, 30), minutes=30)
    # Past the rules, straight to the database: the exclusion constraint refuses it too.
    with pytest.raises(DatabaseError, match="overlap"), transaction.atomic():
        Delivery.objects.create(
            municipality=world.kov, case=world.other_case, component=component("L23"), provider=world.provider,
            specialist=world.specialist, date=date(2026, 4, 6), start_time=time(9, 59), minutes=15, form="I",
        )
    # Back to back is fine.
    record(world, coordinator_a, case=world.other_case, start_time=time(10, 0), minutes=30)


def test_a_group_session_bills_each_participant_at_the_group_price(world, coordinator_a):
    session = uuid.uuid4()
    drafts = [world.draft(case=c, form="G", minutes=90, start_time=time(12, 0), session_key=session)
              for c in (world.case, world.other_case)]
    deliveries = services.record_deliveries(drafts=drafts, by=coordinator_a)
    assert [d.amount for d in deliveries] == [Decimal("18.00"), Decimal("18.00")]


def test_a_component_not_on_the_plan_is_a_warning_the_coordinator_accepts_with_a_reason(world, coordinator_a):
    newcomer = EnteredCaseFactory(municipality=world.kov)
    delivery = record(world, coordinator_a, case=newcomer)
    assert delivery.status == Status.WARNING
    assert delivery.problems[0]["code"] == "not_on_plan"
    with pytest.raises(services.BillingError):
        services.accept_warning(delivery=delivery, reason=" ", by=coordinator_a)
    services.accept_warning(delivery=delivery, reason="Plaan muutub", by=coordinator_a)
    delivery.refresh_from_db()
    assert delivery.status == Status.ACCEPTED


def test_hours_beyond_the_plans_monthly_quantity_are_flagged(world, coordinator_a):
    record(world, coordinator_a, minutes=300, date=date(2026, 4, 6))
    record(world, coordinator_a, minutes=240, date=date(2026, 4, 8))
    over = record(world, coordinator_a, minutes=90, date=date(2026, 4, 7))
    assert over.status == Status.WARNING
    assert over.problems[0]["code"] == "beyond_plan"


# --- The month lock


@pytest.fixture
def closed_april(world, coordinator_a):
    delivery = record(world, coordinator_a)
    with time_machine.travel(TODAY):
        invoice = services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    return delivery, invoice


def test_closing_computes_the_invoice_and_locks_the_month(world, coordinator_a, closed_april):
    delivery, invoice = closed_april
    record(world, coordinator_a, date=date(2026, 5, 4))  # another month: not on this invoice
    assert invoice.number == f"{world.kov.code}-202604-1"
    assert invoice.due_date == date(2026, 5, 12)
    assert invoice.case_management_fee == Decimal("5000.00")
    assert invoice.components_total == Decimal("30.00")
    assert invoice.total == Decimal("5030.00")
    kinds = list(invoice.lines.values_list("kind", "amount"))
    assert kinds == [("fee", Decimal("5000.00")), ("component", Decimal("30.00"))]
    assert list(invoice.person_lines.values_list("case_id", "amount")) == [(world.case.pk, Decimal("30.00"))]
    assert BillingMonth.objects.get(municipality=world.kov, month=date(2026, 4, 1)).state == MonthState.CLOSED
    assert all(check["ok"] for check in services.consistency_check(invoice))


def test_nothing_in_a_locked_month_can_be_added_changed_or_deleted_through_the_orm(world, coordinator_a, closed_april):
    delivery, _invoice = closed_april
    with pytest.raises(services.BillingError, match="closed"):
        record(world, coordinator_a, date=date(2026, 4, 8))
    with pytest.raises(DatabaseError, match="locked"), transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(minutes=600)
    with pytest.raises(DatabaseError, match="locked"), transaction.atomic():
        delivery.delete()
    with pytest.raises(DatabaseError, match="locked"), transaction.atomic():
        Delivery.objects.create(
            municipality=world.kov, case=world.case, component=component("L23"), provider=world.provider,
            specialist=world.specialist, date=date(2026, 4, 20), minutes=15, form="I",
        )
    # Moving a delivery of an open month into the locked month is refused too.
    may = record(world, coordinator_a, date=date(2026, 5, 5))
    with pytest.raises(DatabaseError, match="locked"), transaction.atomic():
        Delivery.objects.filter(pk=may.pk).update(date=date(2026, 4, 30))
    assert Delivery.objects.get(pk=delivery.pk).minutes == 60


def test_nothing_in_a_locked_month_can_be_changed_with_raw_sql(world, closed_april):
    delivery, _invoice = closed_april
    with pytest.raises(DatabaseError, match="locked"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE billing_delivery SET minutes = 1 WHERE id = %s", [delivery.pk])
    with pytest.raises(DatabaseError, match="locked"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_delivery WHERE id = %s", [delivery.pk])


def test_the_service_layer_explains_the_lock_in_estonian(world, coordinator_a, closed_april):
    delivery, _invoice = closed_april
    from django.utils import translation

    with translation.override("et"), pytest.raises(services.BillingError) as error:
        services.delete_delivery(delivery=delivery, by=coordinator_a)
    assert "04.2026" in error.value.message
    assert "suletud" in error.value.message


def test_a_month_cannot_be_closed_twice(world, coordinator_a, closed_april):
    with time_machine.travel(TODAY), pytest.raises(services.BillingError, match="already closed"):
        services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    assert Invoice.objects.count() == 1


def test_a_month_that_has_not_ended_cannot_be_closed(world, coordinator_a):
    with time_machine.travel(datetime(2026, 4, 20, tzinfo=timezone.get_default_timezone())), pytest.raises(
        services.BillingError, match="after it has ended"
    ):
        services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)


def test_errors_and_unaccepted_warnings_block_the_close_with_their_reasons(world, coordinator_a):
    newcomer = EnteredCaseFactory(municipality=world.kov)
    warned = record(world, coordinator_a, case=newcomer)
    with time_machine.travel(TODAY), pytest.raises(services.BillingError, match="not been accepted"):
        services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    # A later change of the entry date makes the delivery an error: the close sees it in SQL.
    services.accept_warning(delivery=warned, reason="ok", by=coordinator_a)
    type(newcomer).objects.filter(pk=newcomer.pk).update(entry_date=date(2026, 4, 10))
    with time_machine.travel(TODAY), pytest.raises(services.BillingError, match="outside their participation"):
        services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    assert not Invoice.objects.exists()


def test_submission_is_on_time_until_the_due_date(world, coordinator_a, closed_april):
    _delivery, invoice = closed_april
    late = datetime(2026, 5, 13, 9, 0, tzinfo=timezone.get_default_timezone())
    invoice = services.submit_invoice(invoice=invoice, by=coordinator_a, now=late)
    assert invoice.state == Invoice.State.SUBMITTED
    assert invoice.submitted_on_time is False


def test_a_returned_month_is_reopened_corrected_and_resubmitted_as_a_new_version(
    world, coordinator_a, ska_user, closed_april
):
    delivery, first = closed_april
    services.submit_invoice(invoice=first, by=coordinator_a, now=TODAY)
    with pytest.raises(services.BillingError):
        services.review_invoice(invoice=first, by=ska_user, accept=False, remarks="")
    services.review_invoice(invoice=first, by=ska_user, accept=False, remarks="L23 minutid valed")
    with pytest.raises(services.BillingError):  # still locked while returned
        services.update_delivery(delivery=delivery, by=coordinator_a, minutes=45)
    services.reopen_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    services.update_delivery(delivery=delivery, by=coordinator_a, minutes=45)
    with time_machine.travel(TODAY):
        second = services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    services.submit_invoice(invoice=second, by=coordinator_a, now=TODAY)
    services.review_invoice(invoice=second, by=ska_user, accept=True)
    first.refresh_from_db()
    assert (first.version, first.state, first.total) == (1, Invoice.State.RETURNED, Decimal("5030.00"))
    second.refresh_from_db()
    assert (second.version, second.state, second.total) == (2, Invoice.State.ACCEPTED, Decimal("5022.50"))
    assert BillingMonth.objects.get(municipality=world.kov, month=date(2026, 4, 1)).state == MonthState.ACCEPTED


def test_a_correction_after_acceptance_goes_into_a_later_open_month_as_an_adjustment_line(
    world, coordinator_a, ska_user, closed_april
):
    delivery, invoice = closed_april
    services.submit_invoice(invoice=invoice, by=coordinator_a, now=TODAY)
    services.review_invoice(invoice=invoice, by=ska_user, accept=True)
    adjustment = services.correct_after_acceptance(delivery=delivery, new_minutes=30, reason="Lühem", by=coordinator_a)
    assert (adjustment.month, adjustment.original_month, adjustment.amount) == (
        date(2026, 5, 1), date(2026, 4, 1), Decimal("-15.00"),
    )
    InterimEvaluationFactory(agreement=world.agreement, date=date(2026, 4, 30), participants=10)
    with time_machine.travel(datetime(2026, 6, 2, tzinfo=timezone.get_default_timezone())):
        may = services.close_month(municipality=world.kov, month=date(2026, 5, 1), by=coordinator_a)
    line = may.lines.get(kind=InvoiceLine.Kind.ADJUSTMENT)
    assert line.amount == Decimal("-15.00")
    assert line.original_month == date(2026, 4, 1)
    assert line.adjustment.delivery == delivery
    assert may.total == Decimal("5000.00") - Decimal("15.00")
    with pytest.raises(DatabaseError, match="locked"), transaction.atomic():
        Adjustment.objects.filter(pk=adjustment.pk).update(amount=0)


def test_contract_usage_counts_submitted_months_for_the_providers_contract_page(world, coordinator_a, closed_april):
    record(world, coordinator_a, date=date(2026, 5, 4))  # open month: not yet invoiced
    assert contract_usage(world.contract) == Decimal("0.00")  # closed, not yet submitted
    services.submit_invoice(invoice=closed_april[1], by=coordinator_a)
    assert contract_usage(world.contract) == Decimal("30.00")


# --- Two coordinators pressing close at once


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_closing_at_once_produce_exactly_one_invoice(kov_a, coordinator_a):
    import threading

    from django.db import connections

    from components import catalogue
    from components.models import Component

    catalogue.load(Component)  # transactional tests flush every table, the migrated catalogue too
    world = build_world(kov_a)
    record(world, coordinator_a)
    barrier = threading.Barrier(2)
    outcomes = []

    def close():
        try:
            barrier.wait()
            with time_machine.travel(TODAY, tick=True):
                invoice = services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
            outcomes.append(("invoice", invoice.number))
        except services.BillingError as error:
            outcomes.append(("refused", error.message))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(kind for kind, _ in outcomes) == ["invoice", "refused"], outcomes
    assert Invoice.objects.count() == 1
    assert InvoiceLine.objects.count() == 2
