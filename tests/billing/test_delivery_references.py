"""A delivery's month lock, specialist and references, checked by the database once per
statement (billing migration 0011) as the row trigger and the foreign keys did once per row.

Raw SQL is used on purpose: these are the database's own refusals, whatever path a write takes."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from billing import services
from billing.models import Delivery
from providers.models import Specialist
from tests.billing.factories import build_world
from tests.cases.factories import CaseFactory
from tests.providers.factories import ContractFactory

pytestmark = pytest.mark.django_db

COLUMNS = (
    "municipality_id, case_id, component_id, provider_id, specialist_id, contract_id, date, start_time, "
    "minutes, form, session_key, recipient_name, note, unit_price, amount, status, problems, "
    "accepted_reason, accepted_by_id, source, created_by_id, created_at"
)
#: A copy of delivery %(id)s on another day (and any column replaced by the caller).
COPY = f"""
INSERT INTO billing_delivery ({COLUMNS})
SELECT municipality_id, {{case}}, component_id, provider_id, {{specialist}}, contract_id, {{day}}, start_time,
       minutes, form, gen_random_uuid(), recipient_name, note, unit_price, amount, status, problems,
       accepted_reason, accepted_by_id, source, {{created_by}}, created_at
FROM billing_delivery WHERE id = %(id)s
"""


@pytest.fixture
def world(kov_a):
    return build_world(kov_a)


@pytest.fixture
def recorded(world, coordinator_a):
    return services.record_deliveries(drafts=[world.draft(start_time=time(9, 0))], by=coordinator_a)[0]


def _copy(delivery, *, day="date + 1", case="case_id", specialist="specialist_id", created_by="created_by_id"):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(COPY.format(day=day, case=case, specialist=specialist, created_by=created_by),
                       {"id": delivery.pk})


def _sql(statement: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_copy_with_every_reference_in_order_is_inserted_with_its_slot(recorded):
    _copy(recorded)
    copy = Delivery.objects.exclude(pk=recorded.pk).get()
    assert copy.date == date(2026, 4, 7)
    start = datetime(2026, 4, 7, 9, 0, tzinfo=timezone.get_default_timezone())
    assert (copy.slot.lower, copy.slot.upper) == (start, start + timedelta(minutes=60))


def test_a_slot_given_without_a_start_time_is_emptied(recorded):
    _sql("UPDATE billing_delivery SET start_time = NULL WHERE id = %s", [recorded.pk])
    _sql(
        f"INSERT INTO billing_delivery ({COLUMNS}, slot) SELECT {COLUMNS.replace('date,', 'date + 2,')}, "
        "tstzrange(now(), now() + interval '1 hour') FROM billing_delivery WHERE id = %s",
        [recorded.pk],
    )
    assert Delivery.objects.exclude(pk=recorded.pk).get().slot is None


def test_a_statement_with_one_row_in_a_locked_month_is_refused_whole(world, recorded, coordinator_a):
    _copy(recorded, day="date + 1")
    with time_machine.travel(date(2026, 5, 4)):
        services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    # 2 rows: one in open May, one in closed April; neither is written.
    with pytest.raises(DatabaseError, match="billing month 04.2026 is locked") as refused:
        _sql(f"""INSERT INTO billing_delivery ({COLUMNS})
                 SELECT municipality_id, case_id, component_id, provider_id, specialist_id, contract_id, d,
                        NULL, minutes, form, gen_random_uuid(), recipient_name, note, unit_price, amount, status,
                        problems, accepted_reason, accepted_by_id, source, created_by_id, created_at
                 FROM billing_delivery, unnest(ARRAY['2026-05-05', '2026-04-08']::date[]) d
                 WHERE id = %s""", [recorded.pk])
    assert refused.value.__cause__.pgcode == services.LOCK_SQLSTATE
    assert refused.value.__cause__.diag.message_detail == "2026-04-08"
    assert Delivery.objects.count() == 2


def test_a_locked_month_refused_by_the_database_reads_as_the_locked_message(world, recorded, coordinator_a):
    with time_machine.travel(date(2026, 5, 4)):
        services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a)
    with pytest.raises(services.BillingError) as refused, services.database_rules():
        _copy(recorded)
    assert refused.value.message == services.locked_message(date(2026, 4, 7))


def test_a_specialist_of_another_provider_is_refused(world, recorded, kov_a):
    stranger = Specialist.objects.create(provider=ContractFactory(municipality=kov_a).provider, name="Võõras")
    with pytest.raises(services.BillingError, match="specialist"), services.database_rules():
        _copy(recorded, specialist=str(stranger.pk))
    assert Delivery.objects.count() == 1


def test_a_specialist_who_moved_later_leaves_past_sessions_editable(world, recorded, kov_a):
    other = ContractFactory(municipality=kov_a).provider
    Specialist.objects.filter(pk=world.specialist.pk).update(provider=other)
    _sql("UPDATE billing_delivery SET note = 'parandatud' WHERE id = %s", [recorded.pk])
    assert Delivery.objects.get(pk=recorded.pk).note == "parandatud"


@pytest.mark.parametrize("column", ["case", "created_by"])
def test_a_reference_to_a_row_that_does_not_exist_is_refused(recorded, column):
    with pytest.raises(IntegrityError, match=f"{column}_id\\) does not exist"):
        _copy(recorded, **{column: "-1"})
    assert Delivery.objects.count() == 1


@pytest.mark.parametrize("column", ["contract_id", "component_id", "municipality_id", "accepted_by_id"])
def test_changing_a_reference_to_a_row_that_does_not_exist_is_refused(recorded, column):
    with pytest.raises(IntegrityError, match="does not exist"):
        _sql(f"UPDATE billing_delivery SET {column} = -1 WHERE id = %s", [recorded.pk])


def test_a_history_row_naming_a_user_that_does_not_exist_is_refused(recorded):
    with pytest.raises(IntegrityError, match="history_user_id\\) does not exist"):
        _sql("UPDATE billing_historicaldelivery SET history_user_id = -1 WHERE id = %s", [recorded.pk])


@pytest.mark.parametrize("table", ["cases_case", "providers_specialist", "providers_contract", "accounts_user"])
def test_a_row_a_delivery_names_cannot_be_deleted_even_with_raw_sql(recorded, coordinator_a, table):
    named = {
        "cases_case": recorded.case_id, "providers_specialist": recorded.specialist_id,
        "providers_contract": recorded.contract_id, "accounts_user": coordinator_a.pk,
    }[table]
    with pytest.raises(IntegrityError, match="named by a delivery cannot be deleted"):
        _sql(f"DELETE FROM {table} WHERE id = %s", [named])


def test_rows_no_delivery_names_are_deleted(world, recorded):
    unnamed = CaseFactory(municipality=world.kov)
    _sql("DELETE FROM cases_case WHERE id = %s", [unnamed.pk])
    spare = Specialist.objects.create(provider=world.provider, name="Varu")
    _sql("DELETE FROM providers_specialist WHERE id = %s", [spare.pk])
    assert not Specialist.objects.filter(pk=spare.pk).exists()
