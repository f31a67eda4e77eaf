"""Writers of deliveries hold the month row for share; the close takes it for update.

Each test runs a writer and the real close on two real database connections (threads), pauses
one of them on a table lock held by a third connection, and checks who waited for whom by
reading pg_stat_activity. Outcome either way: a closed month never holds an unbilled row."""

import threading
import time
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.db.models import Sum
from django.utils import timezone

from billing import imports, services
from billing.locks import hold_months_for_share
from billing.models import BillingMonth, Delivery, Invoice, MonthState
from tests.billing.factories import build_world

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime(2026, 5, 4, 10, 0, tzinfo=timezone.get_default_timezone())
APRIL = date(2026, 4, 1)


@pytest.fixture
def world(kov_a, coordinator_a):
    return build_world(kov_a)


def _in_thread(target, outcomes, name):
    def run():
        try:
            outcomes[name] = ("ok", target())
        except services.BillingError as error:
            outcomes[name] = ("refused", error.message)
        except Exception as error:  # reported by the assertions on outcomes
            outcomes[name] = ("crashed", repr(error))
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_until_waiting_on_locks(count: int, outcomes: dict, timeout: float = 10.0) -> None:
    """Until ``count`` other backends of this database wait for a lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # Inside a transaction the statistics views are a snapshot unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.02)
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname, state, wait_event_type, wait_event, left(query, 80) FROM pg_stat_activity")
        activity = cursor.fetchall()
    raise AssertionError(f"{count} backends never waited for a lock; {outcomes}; {activity}")


def _closing(kov):
    def close():
        with time_machine.travel(TODAY, tick=True):
            return services.close_month(municipality=kov, month=APRIL, by=None).number

    return close


def _unbilled_in_closed_months() -> Decimal:
    """Amounts of deliveries in closed months that their month's live invoice does not count."""
    gap = Decimal("0")
    for month in BillingMonth.objects.exclude(state=MonthState.OPEN):
        delivered = Delivery.objects.filter(
            municipality_id=month.municipality_id, date__gte=month.month, date__lt=date(2026, 5, 1)
        ).aggregate(s=Sum("amount"))["s"] or Decimal("0")
        invoice = month.invoices.exclude(state="withdrawn").get()
        gap += delivered - invoice.components_total
    return gap


def _import_content(world) -> bytes:
    rows = ["isikukood;kuupaev;komponent;teenuseosutaja;minutid;vorm;spetsialist;saaja"]
    for day in range(6, 11):
        rows.append(f"{world.case.person.isikukood};{day:02d}.04.2026;L23;{world.provider.registry_code};60;I;"
                    "Pille Pakkuja;")
    return "\n".join(rows).encode()


def test_a_close_waits_for_an_import_in_progress_and_then_bills_its_rows(world, coordinator_a):
    services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 2))], by=coordinator_a)
    outcomes: dict = {}
    with transaction.atomic():
        # A third connection stalls the import's insert after it has taken the month for share.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE billing_historicaldelivery IN EXCLUSIVE MODE")
        importer = _in_thread(
            lambda: imports.import_attendance(
                content=_import_content(world), filename="a.csv", municipality=world.kov, by=coordinator_a
            ).created,
            outcomes, "import",
        )
        _wait_until_waiting_on_locks(1, outcomes)
        closer = _in_thread(_closing(world.kov), outcomes, "close")
        _wait_until_waiting_on_locks(2, outcomes)  # the close waits for the month row the import holds
    importer.join(20)
    closer.join(20)
    assert outcomes["import"] == ("ok", 5)
    assert outcomes["close"][0] == "ok", outcomes
    invoice = Invoice.objects.get()
    assert invoice.components_total == Decimal("180.00")  # 6 × 60 min × 30 €/h, the import's too
    assert _unbilled_in_closed_months() == 0


def test_an_import_during_a_close_waits_for_it_and_is_then_refused(world, coordinator_a):
    services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 2))], by=coordinator_a)
    outcomes: dict = {}
    with transaction.atomic():
        # A third connection stalls the close after it has taken the month row for update.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE billing_invoiceline IN EXCLUSIVE MODE")
        closer = _in_thread(_closing(world.kov), outcomes, "close")
        _wait_until_waiting_on_locks(1, outcomes)
        importer = _in_thread(
            lambda: imports.import_attendance(
                content=_import_content(world), filename="a.csv", municipality=world.kov, by=coordinator_a
            ).created,
            outcomes, "import",
        )
        _wait_until_waiting_on_locks(2, outcomes)  # the import waits for the month row the close holds
    closer.join(20)
    importer.join(20)
    assert outcomes["close"][0] == "ok", outcomes
    assert outcomes["import"][0] == "refused", outcomes
    assert "04.2026" in outcomes["import"][1]
    assert Delivery.objects.count() == 1
    assert Invoice.objects.get().components_total == Decimal("30.00")
    assert _unbilled_in_closed_months() == 0


def test_a_form_save_during_a_close_waits_for_it_and_is_then_refused(world, coordinator_a):
    services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 2))], by=coordinator_a)
    outcomes: dict = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE billing_invoiceline IN EXCLUSIVE MODE")
        closer = _in_thread(_closing(world.kov), outcomes, "close")
        _wait_until_waiting_on_locks(1, outcomes)
        writer = _in_thread(
            lambda: len(services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 9))], by=coordinator_a)),
            outcomes, "form",
        )
        _wait_until_waiting_on_locks(2, outcomes)
    closer.join(20)
    writer.join(20)
    assert outcomes["close"][0] == "ok", outcomes
    assert outcomes["form"][0] == "refused", outcomes
    assert Delivery.objects.count() == 1
    assert _unbilled_in_closed_months() == 0


def test_holding_a_month_creates_its_row_and_refuses_a_closed_one(world):
    with transaction.atomic():
        hold_months_for_share(world.kov.pk, [date(2026, 6, 15)])
    assert BillingMonth.objects.get(municipality=world.kov, month=date(2026, 6, 1)).state == MonthState.OPEN
    BillingMonth.objects.filter(month=date(2026, 6, 1)).update(state=MonthState.CLOSED)
    with pytest.raises(services.BillingError, match="06.2026"), transaction.atomic():
        hold_months_for_share(world.kov.pk, [date(2026, 6, 30)])


def test_the_admin_holds_the_month_too(world, coordinator_a, admin_user, rf):
    from django.contrib.admin.sites import site

    delivery = services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 2))], by=coordinator_a)[0]
    BillingMonth.objects.all().delete()
    model_admin = site._registry[Delivery]
    request = rf.post("/")
    request.user = admin_user
    model_admin.delete_model(request, delivery)
    assert BillingMonth.objects.get(municipality=world.kov).month == APRIL  # created and held
    assert not Delivery.objects.exists()
