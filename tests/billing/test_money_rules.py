"""The money and calendar rules of DOMAIN.md section 6, at their edges."""

from datetime import date
from decimal import Decimal

import pytest

from billing import services
from billing.services import BillingError, case_management_fee
from tests.billing.factories import FundingAgreementFactory, InterimEvaluationFactory
from tugi.money import hours_from_minutes, line_amount
from tugi.workdays import due_date

# Worked out by hand from a calendar and the Estonian public holidays (1 Jan, 24 Feb,
# Good Friday 3.4.2026 / 26.3.2027, Easter Sunday, 1 May, Whit Sunday, 23–24 Jun, 20 Aug,
# 24–26 Dec): count working days of the next month until the 7th.
DUE_DATES = [
    (date(2025, 12, 1), date(2026, 1, 12)),  # 1.1. holiday
    (date(2026, 1, 1), date(2026, 2, 10)),
    (date(2026, 2, 1), date(2026, 3, 10)),
    (date(2026, 3, 1), date(2026, 4, 10)),  # Good Friday 3.4.
    (date(2026, 4, 1), date(2026, 5, 12)),  # 1.5. holiday
    (date(2026, 5, 1), date(2026, 6, 9)),
    (date(2026, 6, 1), date(2026, 7, 9)),
    (date(2026, 7, 1), date(2026, 8, 11)),
    (date(2026, 8, 1), date(2026, 9, 9)),
    (date(2026, 9, 1), date(2026, 10, 9)),
    (date(2026, 10, 1), date(2026, 11, 10)),
    (date(2026, 11, 1), date(2026, 12, 9)),
    (date(2026, 12, 1), date(2027, 1, 12)),  # 1.1. holiday
    (date(2027, 1, 1), date(2027, 2, 9)),
    (date(2027, 2, 1), date(2027, 3, 9)),
    (date(2027, 3, 1), date(2027, 4, 9)),  # Easter Monday is a working day in Estonia
    (date(2027, 4, 1), date(2027, 5, 11)),
    (date(2027, 5, 1), date(2027, 6, 9)),
    (date(2027, 6, 1), date(2027, 7, 9)),
    (date(2027, 7, 1), date(2027, 8, 10)),
    (date(2027, 8, 1), date(2027, 9, 9)),
    (date(2027, 9, 1), date(2027, 10, 11)),
    (date(2027, 10, 1), date(2027, 11, 9)),
    (date(2027, 11, 1), date(2027, 12, 9)),
    (date(2027, 12, 1), date(2028, 1, 11)),
]


@pytest.mark.parametrize(("month", "expected"), DUE_DATES, ids=lambda v: f"{v:%m.%Y}")
def test_the_invoice_is_due_on_the_seventh_working_day_of_the_next_month(month, expected):
    assert due_date(month) == expected
    assert due_date(month.replace(day=28)) == expected


def test_twenty_minutes_at_49_euros_an_hour_cost_16_euros_33():
    assert line_amount(Decimal("49.00"), hours_from_minutes(20)) == Decimal("16.33")


def test_the_database_rounds_a_line_as_money_line_amount_does(db):
    """The close sums stored line amounts; check SQL arithmetic agrees with the helper anyway."""
    from django.db import connection

    cases = [(Decimal(p), m) for p in ("49.00", "80.00", "12.00", "30.00", "33.33") for m in (1, 20, 45, 50, 95)]
    with connection.cursor() as cursor:
        for price, minutes in cases:
            cursor.execute("SELECT round(%s * %s / 60.0, 2)", [price, minutes])
            assert cursor.fetchone()[0] == line_amount(price, hours_from_minutes(minutes))


@pytest.mark.django_db
def test_stage_one_pays_the_full_monthly_fee(kov_a):
    FundingAgreementFactory(municipality=kov_a, start_date=date(2026, 1, 1), planned_places=30,
                            monthly_fee=Decimal("9000.00"))
    for month in (date(2026, 1, 1), date(2026, 4, 1)):
        assert case_management_fee(municipality=kov_a, month=month) == Decimal("9000.00")


@pytest.mark.django_db
def test_after_stage_one_the_fee_follows_the_latest_interim_evaluation(kov_a):
    agreement = FundingAgreementFactory(
        municipality=kov_a, start_date=date(2026, 1, 1), planned_places=30, monthly_fee=Decimal("9000.00")
    )
    InterimEvaluationFactory(agreement=agreement, date=date(2026, 4, 30), participants=22)
    # 9000 × 22 / 30 = 6600.00
    assert case_management_fee(municipality=kov_a, month=date(2026, 5, 1)) == Decimal("6600.00")
    InterimEvaluationFactory(agreement=agreement, date=date(2027, 4, 30), participants=26)
    # 9000 × 26 / 30 = 7800.00 (26 / 30 = 86.7 %, under the 10 % tolerance)
    assert case_management_fee(municipality=kov_a, month=date(2027, 4, 1)) == Decimal("7800.00")
    assert case_management_fee(municipality=kov_a, month=date(2026, 12, 1)) == Decimal("6600.00")


def _after_stage_one(kov, counted, *, places=1000, decided=None):
    agreement = FundingAgreementFactory(
        municipality=kov, start_date=date(2026, 1, 1), planned_places=places, monthly_fee=Decimal("9000.00")
    )
    InterimEvaluationFactory(agreement=agreement, date=date(2026, 4, 30), participants=counted, decided_fee=decided)
    return services.case_management_fee_for(agreement=agreement, month=date(2026, 5, 1))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("counted", "expected", "words"),
    [
        (899, Decimal("8091.00"), "under 90 %"),  # 89.9 %: 9000 × 899 / 1000
        (900, Decimal("9000.00"), "at least 90 %"),  # 90 %: within the tolerance, F
        (1000, Decimal("9000.00"), "at least 90 %"),  # 100 %
    ],
)
def test_the_fee_around_the_90_percent_tolerance(kov_a, counted, expected, words):
    fee = _after_stage_one(kov_a, counted)
    assert fee.amount == expected
    assert words in fee.basis and f"{counted} participants of 1000 planned places" in fee.basis


@pytest.mark.django_db
def test_the_fee_under_the_tolerance_is_rounded_half_up(kov_a):
    # 9000 × 20 / 23 = 7826.0869… → 7826.09
    assert _after_stage_one(kov_a, 20, places=23).amount == Decimal("7826.09")


@pytest.mark.django_db
def test_an_amount_decided_by_ska_wins_over_the_rule(kov_a):
    fee = _after_stage_one(kov_a, 500, decided=Decimal("7000.50"))
    assert fee.amount == Decimal("7000.50")
    assert "SKA decided" in fee.basis


@pytest.mark.django_db
def test_stage_one_says_so_in_the_basis(kov_a):
    agreement = FundingAgreementFactory(municipality=kov_a, start_date=date(2026, 1, 1))
    fee = services.case_management_fee_for(agreement=agreement, month=date(2026, 3, 1))
    assert fee.amount == Decimal("5000.00") and "Stage I" in fee.basis and "30.04.2026" in fee.basis


@pytest.mark.django_db
def test_the_fee_is_rounded_to_cents_once_and_never_above_full_capacity(kov_a):
    agreement = FundingAgreementFactory(
        municipality=kov_a, start_date=date(2026, 1, 1), planned_places=7, monthly_fee=Decimal("1000.00")
    )
    evaluation = InterimEvaluationFactory(agreement=agreement, date=date(2026, 4, 30), participants=5)
    # 1000 × 5 / 7 = 714.2857… → 714.29
    assert case_management_fee(municipality=kov_a, month=date(2026, 6, 1)) == Decimal("714.29")
    evaluation.participants = 9
    evaluation.save()
    assert case_management_fee(municipality=kov_a, month=date(2026, 6, 1)) == Decimal("1000.00")


@pytest.mark.django_db
def test_after_stage_one_without_an_interim_evaluation_there_is_no_fee(kov_a):
    FundingAgreementFactory(municipality=kov_a, start_date=date(2026, 1, 1))
    with pytest.raises(BillingError, match="interim evaluation"):
        case_management_fee(municipality=kov_a, month=date(2026, 5, 1))
