from datetime import date

import pytest

from reporting.tasks import calendar_events
from tugi.workdays import add_months, due_date, is_working_day, nth_working_day


@pytest.mark.parametrize(
    "day", [date(2026, 5, 1), date(2026, 12, 24), date(2026, 2, 24), date(2026, 6, 23)]
)
def test_estonian_public_holidays_are_not_working_days(day):
    assert not is_working_day(day)


def test_april_2026_is_due_on_12_may_2026():
    assert due_date(date(2026, 4, 1)) == date(2026, 5, 12)


def test_december_2025_is_due_on_12_january_2026():
    assert due_date(date(2025, 12, 15)) == date(2026, 1, 12)


def test_first_working_day_of_january_skips_new_year():
    assert nth_working_day(2027, 1, 1) == date(2027, 1, 4)


def test_add_months_clamps_to_the_end_of_a_shorter_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


def test_the_daily_tick_knows_the_first_working_day_and_the_due_date():
    assert calendar_events(date(2026, 5, 4)) == ["first_working_day"]
    assert calendar_events(date(2026, 5, 12)) == ["due_date"]
    assert calendar_events(date(2026, 5, 13)) == []
