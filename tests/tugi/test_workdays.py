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


def test_the_daily_tick_knows_the_first_working_day_and_the_due_date_and_catches_up():
    assert calendar_events(date(2026, 5, 1)) == []  # a holiday before the first working day
    assert calendar_events(date(2026, 5, 4)) == ["first_working_day"]
    assert calendar_events(date(2026, 5, 8)) == ["first_working_day"]  # beat was down until now
    assert calendar_events(date(2026, 5, 12)) == ["first_working_day", "due_date"]
    assert calendar_events(date(2026, 5, 13)) == ["due_date"]
    assert calendar_events(date(2026, 5, 31)) == ["due_date"]
    assert calendar_events(date(2026, 6, 1)) == ["first_working_day"]


@pytest.mark.parametrize(
    ("text", "month"),
    [("2026-04", date(2026, 4, 1)), ("2026-4", date(2026, 4, 1)), ("04.2026", date(2026, 4, 1)),
     (" 2000-01 ", date(2000, 1, 1)), ("2099-12", date(2099, 12, 1))],
)
def test_parse_month_reads_a_real_month(text, month):
    from tugi.workdays import parse_month

    assert parse_month(text) == month


@pytest.mark.parametrize(
    "text",
    ["2026-13", "2026-00", "9999-12", "0001-01", "1999-12", "2100-01", "", "garbage", "2026-04-01",
     "+2026-04", "2026-1_0", "２０２６-04", "2026-04\x00", "13.2026", "-1.2026"],
)
def test_parse_month_refuses_what_is_not_a_real_month(text):
    from tugi.workdays import parse_month

    with pytest.raises(ValueError):
        parse_month(text)


def test_parse_week_gives_the_monday_and_refuses_days_out_of_range():
    from tugi.workdays import parse_week

    assert parse_week("2026-04-09") == date(2026, 4, 6)
    for text in ("9999-12-31", "0001-01-01", "2026-02-30", "2026-W14", "", "2026-04-09\x00"):
        with pytest.raises(ValueError):
            parse_week(text)
