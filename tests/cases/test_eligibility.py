"""Eligibility rules at their edges (DOMAIN.md section 3)."""

from datetime import date

import pytest

from cases import eligibility
from cases.models import EligibilityCheck, RetirementAge
from tests.cases.factories import PersonFactory

pytestmark = pytest.mark.django_db

Diagnosis, Condition = EligibilityCheck.Diagnosis, EligibilityCheck.Condition


def verdict(person, on, **kwargs):
    answers = {
        "primary_diagnosis": Diagnosis.OTHER,
        "condition": Condition.B,
        "concurrent_state_service": False,
    }
    answers.update(kwargs)
    return {c.code: c for c in eligibility.evaluate(person=person, on=on, **answers)}


def test_a_person_is_too_young_the_day_before_the_16th_birthday():
    person = PersonFactory(
        birth_date=date(2010, 3, 15), isikukood=None, no_code_reason="välismaalane"
    )
    before = verdict(person, date(2026, 3, 14))["age"]
    assert not before.ok
    assert "15.03.2026" in before.reason
    assert verdict(person, date(2026, 3, 15))["age"].ok


def test_the_2026_retirement_age_of_65_ends_eligibility_on_the_65th_birthday():
    person = PersonFactory(birth_date=date(1961, 3, 10), isikukood=None, no_code_reason="x")
    assert verdict(person, date(2026, 3, 9))["age"].ok
    refused = verdict(person, date(2026, 3, 10))["age"]
    assert not refused.ok
    assert "10.03.2026" in refused.reason


def test_in_2027_the_retirement_age_is_65_years_and_one_month():
    person = PersonFactory(birth_date=date(1962, 2, 15), isikukood=None, no_code_reason="x")
    assert verdict(person, date(2027, 3, 14))["age"].ok
    assert not verdict(person, date(2027, 3, 15))["age"].ok


def test_before_2026_the_retirement_age_follows_the_year_of_birth():
    person = PersonFactory(
        birth_date=date(1958, 9, 10), isikukood=None, no_code_reason="x"
    )  # born 1958: 64 y 3 m
    assert verdict(person, date(2022, 12, 9))["age"].ok
    refused = verdict(person, date(2022, 12, 10))["age"]
    assert not refused.ok
    assert "10.12.2022" in refused.reason


# The state pension insurance act, by year of birth; the day of reaching the age is
# born + years + months. Checked on days before 2026, where the year of birth decides.
PENSION_AGES = [
    (date(1954, 5, 20), date(2017, 8, 20)),  # 63 y 3 m
    (date(1955, 5, 20), date(2018, 11, 20)),  # 63 y 6 m
    (date(1956, 5, 20), date(2020, 2, 20)),  # 63 y 9 m
    (date(1957, 5, 20), date(2021, 5, 20)),  # 64 y
    (date(1958, 5, 20), date(2022, 8, 20)),  # 64 y 3 m
    (date(1959, 5, 20), date(2023, 11, 20)),  # 64 y 6 m
    (date(1960, 3, 31), date(2024, 12, 31)),  # 64 y 9 m
    (date(1960, 5, 31), date(2025, 2, 28)),  # 64 y 9 m, clamped to the month's end
    (date(1961, 1, 5), date(2026, 1, 5)),  # 65 y
]


@pytest.mark.parametrize(("born", "reached"), PENSION_AGES)
def test_eligibility_ends_on_the_day_the_pension_age_of_the_birth_year_is_reached(born, reached):
    person = PersonFactory(birth_date=born, isikukood=None, no_code_reason="x")
    day_before = date.fromordinal(reached.toordinal() - 1)
    assert verdict(person, day_before)["age"].ok
    refused = verdict(person, reached)["age"]
    assert not refused.ok
    assert f"{reached:%d.%m.%Y}" in refused.reason


@pytest.mark.parametrize(
    ("year", "age"),
    [
        (1954, (63, 3)),
        (1955, (63, 6)),
        (1956, (63, 9)),
        (1957, (64, 0)),
        (1958, (64, 3)),
        (1959, (64, 6)),
        (1960, (64, 9)),
        (1961, (65, 0)),
        (1975, (65, 0)),
    ],
)
def test_the_retirement_age_table_holds_the_ages_of_the_pension_act(year, age):
    assert eligibility.retirement_age(date(year, 6, 1), date(2025, 1, 1)) == age


def test_the_retirement_age_table_is_data_that_an_administrator_can_change():
    person = PersonFactory(birth_date=date(1962, 2, 15), isikukood=None, no_code_reason="x")
    assert not verdict(person, date(2027, 3, 20))["age"].ok
    RetirementAge.objects.filter(basis=RetirementAge.Basis.CALENDAR_YEAR, year=2027).update(
        months=6
    )
    assert verdict(person, date(2027, 3, 20))["age"].ok


@pytest.mark.parametrize("diagnosis", [Diagnosis.DEMENTIA, Diagnosis.ALCOHOL])
def test_dementia_and_alcohol_dependence_as_primary_diagnosis_are_excluded(diagnosis):
    person = PersonFactory()
    assert not verdict(person, date(2026, 5, 1), primary_diagnosis=diagnosis)["diagnosis"].ok
    assert verdict(person, date(2026, 5, 1))["diagnosis"].ok


@pytest.mark.parametrize(
    ("condition", "ok"), [("a", True), ("b", True), ("c", True), ("none", False)]
)
def test_one_of_the_conditions_a_b_c_must_hold(condition, ok):
    assert verdict(PersonFactory(), date(2026, 5, 1), condition=condition)["condition"].ok is ok


def test_a_concurrent_state_special_care_service_excludes():
    person = PersonFactory()
    assert not verdict(person, date(2026, 5, 1), concurrent_state_service=True)["concurrent"].ok
    assert verdict(person, date(2026, 5, 1), concurrent_state_service=False)["concurrent"].ok
