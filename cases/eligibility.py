"""Eligibility for the programme (DOMAIN.md section 3), one reason per criterion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tugi.workdays import add_months

from .models import EligibilityCheck, Person, RetirementAge

MIN_AGE = 16


@dataclass(frozen=True)
class Criterion:
    code: str
    ok: bool
    reason: str


def retirement_age(born: date, on: date) -> tuple[int, int] | None:
    """(years, months) of the pension age that applies on ``on`` to someone born ``born``.

    A calendar-year row for ``on``'s year (or an earlier one) wins; before the first
    calendar-year row the rule by year of birth applies."""
    rows = RetirementAge.objects.all()
    by_calendar = (
        rows.filter(basis=RetirementAge.Basis.CALENDAR_YEAR, year__lte=on.year)
        .order_by("-year")
        .first()
    )
    row = by_calendar or (
        rows.filter(basis=RetirementAge.Basis.BIRTH_YEAR, year__lte=born.year)
        .order_by("-year")
        .first()
    )
    return (row.years, row.months) if row else None


def retirement_date(born: date, on: date) -> date | None:
    age = retirement_age(born, on)
    if age is None:
        return None
    years, months = age
    return add_months(born, years * 12 + months)


def evaluate(
    *,
    person: Person,
    on: date,
    primary_diagnosis: str,
    condition: str,
    concurrent_state_service: bool,
) -> list[Criterion]:
    """Every criterion with its verdict and the reason, in the order the case manager reads them."""
    criteria = []
    sixteenth = add_months(person.birth_date, MIN_AGE * 12)
    if on < sixteenth:
        criteria.append(
            Criterion(
                "age",
                False,
                _("The person turns 16 only on %(date)s.")
                % {"date": date_format(sixteenth, "SHORT_DATE_FORMAT")},
            )
        )
    else:
        pension = retirement_date(person.birth_date, on)
        if pension is None:
            criteria.append(
                Criterion("age", False, _("The retirement-age table has no row for this person."))
            )
        elif on >= pension:
            criteria.append(
                Criterion(
                    "age",
                    False,
                    _("The person reached retirement age on %(date)s.")
                    % {"date": date_format(pension, "SHORT_DATE_FORMAT")},
                )
            )
        else:
            criteria.append(
                Criterion(
                    "age",
                    True,
                    _("Age %(age)s is between 16 and retirement age (reached on %(date)s).")
                    % {"age": person.age_on(on), "date": date_format(pension, "SHORT_DATE_FORMAT")},
                )
            )
    if primary_diagnosis == EligibilityCheck.Diagnosis.DEMENTIA:
        criteria.append(Criterion("diagnosis", False, _("The primary diagnosis is dementia.")))
    elif primary_diagnosis == EligibilityCheck.Diagnosis.ALCOHOL:
        criteria.append(
            Criterion("diagnosis", False, _("The primary diagnosis is alcohol dependence."))
        )
    else:
        criteria.append(Criterion("diagnosis", True, _("The primary diagnosis is not excluded.")))
    if condition == EligibilityCheck.Condition.NONE:
        criteria.append(Criterion("condition", False, _("None of the conditions a, b or c holds.")))
    else:
        criteria.append(
            Criterion("condition", True, _("Condition %(c)s holds.") % {"c": condition})
        )
    if concurrent_state_service:
        criteria.append(
            Criterion(
                "concurrent",
                False,
                _(
                    "The person receives state special-care or rehabilitation services at the same time."
                ),
            )
        )
    else:
        criteria.append(
            Criterion(
                "concurrent", True, _("No concurrent state special-care or rehabilitation service.")
            )
        )
    return criteria
