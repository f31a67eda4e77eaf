"""Calendar logic in one place: Estonian working days and month boundaries."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

DUE_WORKING_DAY = 7  # the invoice and report of month M are due on the 7th working day of M+1


@lru_cache(maxsize=32)
def _estonian_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("EE", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _estonian_holidays(day.year)


def nth_working_day(year: int, month: int, n: int) -> date:
    """The n-th working day (1-based) of the given month."""
    if n < 1:
        raise ValueError("n must be 1 or more")
    day = date(year, month, 1)
    count = 0
    while True:
        if is_working_day(day):
            count += 1
            if count == n:
                return day
        day += timedelta(days=1)
        if day.month != month:
            raise ValueError(f"{year}-{month:02d} has fewer than {n} working days")


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    """The first day of the month after the one ``day`` falls in."""
    return (month_start(day) + timedelta(days=32)).replace(day=1)


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day (31.01 + 1 → 28.02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(month: date) -> date:
    """Due date of month M's invoice and report: the 7th working day of M+1."""
    following = next_month(month)
    return nth_working_day(following.year, following.month, DUE_WORKING_DAY)
