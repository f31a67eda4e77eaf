""""A contract in force" has one home per language: ``ContractQuerySet.in_force_on`` and
``in_force_between`` in Python, ``billing.rules.contract_in_force_sql`` in the set checks' SQL;
the three agree on every day around a contract's ends."""

from datetime import date, timedelta

import pytest
from django.db import connection

from billing.rules import contract_in_force_sql
from providers.models import Contract
from tests.providers.factories import ContractFactory

pytestmark = pytest.mark.django_db

START, END = date(2026, 3, 1), date(2026, 6, 30)


@pytest.fixture
def contract(kov_a):
    return ContractFactory(municipality=kov_a, start=START, end=END)


def test_python_and_sql_agree_on_the_days_a_contract_is_in_force(contract):
    days = [START - timedelta(days=1), START, date(2026, 4, 15), END, END + timedelta(days=1)]
    in_python = [Contract.objects.filter(pk=contract.pk).in_force_on(day).exists() for day in days]
    with connection.cursor() as cursor:
        in_sql = []
        for day in days:
            cursor.execute(f"SELECT {contract_in_force_sql('ct', '%s::date')} FROM providers_contract ct WHERE ct.id = %s",
                           [day, day, contract.pk])
            in_sql.append(cursor.fetchone()[0])
    assert in_python == in_sql == [False, True, True, True, False]


@pytest.mark.parametrize(("start", "end", "found"), [
    (date(2026, 1, 1), date(2026, 2, 28), False),   # ends the day before
    (date(2026, 1, 1), START, True),                # meets its first day
    (END, None, True),                              # an open-ended period from its last day
    (END + timedelta(days=1), None, False),         # starts after it
    (date(2026, 4, 1), date(2026, 4, 30), True),    # inside it
])
def test_a_contract_is_in_force_between_two_dates_when_the_periods_meet(contract, start, end, found):
    assert Contract.objects.filter(pk=contract.pk).in_force_between(start, end).exists() is found
