"""Calendar logic in one place: Estonian working days and month boundaries."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

import holidays

DUE_WORKING_DAY = 7  # the invoice and report of month M are due on the 7th working day of M+1

#: The months and days the service can hold. Pages reach a year back and a month ahead of the
#: month they show, so a month outside this range (9999-12, 0001-01) is refused, not computed.
FIRST_MONTH = date(2000, 1, 1)
LAST_MONTH = date(2099, 12, 1)

_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)
_ESTONIAN_MONTH = re.compile(r"(\d{1,2})\.(\d{4})", re.ASCII)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


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


def parse_month(text: str) -> date:
    """The 1st day of the month written as ``YYYY-MM`` (a month input, a URL) or ``MM.YYYY``.

    Every month that comes from a user, a URL or a command is read here. Raises ``ValueError``
    for anything that is not a real month of the service: ``2026-13``, ``9999-12``, ``0001-01``,
    garbage."""
    text = (text or "").strip()
    if match := _ISO_MONTH.fullmatch(text):
        year, month = int(match[1]), int(match[2])
    elif match := _ESTONIAN_MONTH.fullmatch(text):
        month, year = int(match[1]), int(match[2])
    else:
        raise ValueError(f"not a month: {text!r}")
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month} in a year")
    first = date(year, month, 1)
    if not FIRST_MONTH <= first <= LAST_MONTH:
        raise ValueError(f"{text} is outside {FIRST_MONTH:%Y-%m}…{LAST_MONTH:%Y-%m}")
    return first


def parse_week(text: str) -> date:
    """The Monday of the week that holds the day written as ``YYYY-MM-DD``; ``ValueError`` for
    anything else, days outside the service's months included (``9999-12-31``)."""
    text = (text or "").strip()
    if not _ISO_DAY.fullmatch(text):
        raise ValueError(f"not a day: {text!r}")
    day = date.fromisoformat(text)
    if not FIRST_MONTH <= month_start(day) <= LAST_MONTH:
        raise ValueError(f"{text} is outside {FIRST_MONTH:%Y-%m}…{LAST_MONTH:%Y-%m}")
    return day - timedelta(days=day.weekday())
