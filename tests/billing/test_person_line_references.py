"""The per-person invoice lines' references, checked by the database once per statement
(billing migrations 0008 and 0014) as the foreign keys did once per row."""

from datetime import date

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from billing import services
from billing.models import InvoicePersonLine
from tests.billing.factories import build_world
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(kov_a, coordinator_a):
    world = build_world(kov_a)
    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    with time_machine.travel(date(2026, 5, 4)):
        invoice = services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    return world, invoice


def _sql(statement: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_close_writes_a_line_per_person_through_the_checks(closed):
    world, invoice = closed
    assert list(InvoicePersonLine.objects.filter(invoice=invoice).values_list("case_id", flat=True)) == [world.case.pk]


def test_a_line_naming_a_case_that_does_not_exist_is_refused(closed):
    _, invoice = closed
    with pytest.raises(IntegrityError, match="does not exist"):
        _sql(
            "INSERT INTO billing_invoicepersonline (invoice_id, case_id, hours, sessions, amount) "
            "VALUES (%s, -1, 1, 1, 1)",
            [invoice.pk],
        )


def test_one_missing_case_among_lines_that_exist_is_refused(closed):
    """The trigger counts the cases it locked against the lines written (migration 0014): one
    missing among several, and a case named twice (two invoices), are told apart."""
    world, invoice = closed
    with pytest.raises(IntegrityError, match="does not exist"):
        _sql(
            "INSERT INTO billing_invoicepersonline (invoice_id, case_id, hours, sessions, amount) "
            "VALUES (%s, %s, 1, 1, 1), (%s, -1, 1, 1, 1)",
            [invoice.pk, world.other_case.pk, invoice.pk],
        )
    with pytest.raises(IntegrityError, match="does not exist"):
        _sql(
            "INSERT INTO billing_invoicepersonline (invoice_id, case_id, hours, sessions, amount) "
            "VALUES (%s, %s, 1, 1, 1), (-1, %s, 1, 1, 1)",
            [invoice.pk, world.other_case.pk, world.other_case.pk],
        )
    assert InvoicePersonLine.objects.filter(invoice=invoice).count() == 1


def test_a_line_naming_an_invoice_that_does_not_exist_is_refused(closed):
    world, _ = closed
    with pytest.raises(IntegrityError, match="does not exist"):
        _sql(
            "INSERT INTO billing_invoicepersonline (invoice_id, case_id, hours, sessions, amount) "
            "VALUES (-1, %s, 1, 1, 1)",
            [world.other_case.pk],
        )


def test_moving_a_line_to_a_case_that_does_not_exist_is_refused(closed):
    _, invoice = closed
    with pytest.raises(IntegrityError, match="does not exist"):
        _sql("UPDATE billing_invoicepersonline SET case_id = -1 WHERE invoice_id = %s", [invoice.pk])


def test_a_case_named_on_an_invoice_cannot_be_deleted_even_with_raw_sql(closed):
    world, invoice = closed
    with pytest.raises(IntegrityError, match="cannot be deleted"):
        _sql("DELETE FROM cases_case WHERE id = %s", [world.case.pk])
    unnamed = CaseFactory(municipality=world.kov)
    _sql("DELETE FROM cases_case WHERE id = %s", [unnamed.pk])  # a case on no invoice goes
    assert InvoicePersonLine.objects.filter(invoice=invoice).count() == 1


def test_an_invoices_lines_go_with_it(closed):
    _, invoice = closed
    _sql("DELETE FROM billing_invoiceline WHERE invoice_id = %s", [invoice.pk])
    _sql("DELETE FROM billing_invoicecontracttotal WHERE invoice_id = %s", [invoice.pk])
    _sql("DELETE FROM billing_invoice WHERE id = %s", [invoice.pk])
    assert not InvoicePersonLine.objects.filter(invoice_id=invoice.pk).exists()
