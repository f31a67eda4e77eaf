"""The month row as the meeting point of writers and the close.

Every write of deliveries (form, week grid, import, re-check, re-pricing, delete) first calls
:func:`hold_months_for_share` inside its transaction: it creates the months' rows if missing and
locks them FOR SHARE, so any number of writers proceed together, while ``close_month`` (which
takes the row FOR UPDATE) waits for writers in progress, and a writer that arrives during a
close waits for it and then sees the month closed and is refused. Without it, an import
committing while the close ran left unbilled deliveries in a closed month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tugi.workdays import month_start

from .models import LOCKED_STATES, MonthState

#: Creates the missing month rows (open), each with its history row ("created", as the ORM's
#: save would leave); two writers creating the same row do not collide.
HOLD_SQL = """
WITH wanted(month) AS (SELECT unnest(%(months)s::date[])),
created AS (
    INSERT INTO billing_billingmonth (municipality_id, month, state)
    SELECT %(kov)s, month, %(open)s FROM wanted
    ON CONFLICT (municipality_id, month) DO NOTHING
    RETURNING id, municipality_id, month, state
)
INSERT INTO billing_historicalbillingmonth (
    id, municipality_id, month, state, history_date, history_change_reason, history_type, history_user_id
)
SELECT id, municipality_id, month, state, %(now)s, NULL, '+', %(user)s FROM created
"""

LOCK_SQL = """
SELECT month, state FROM billing_billingmonth
WHERE municipality_id = %(kov)s AND month = ANY(%(months)s::date[])
ORDER BY month
FOR SHARE
"""


def hold_months_for_share(municipality_id: int, months: Iterable[dt.date], *, refuse: bool = True) -> list[dt.date]:
    """Hold the municipality's month rows of ``months`` (any dates in them) for share until the
    surrounding transaction ends; raise BillingError with the locked message if one is closed
    (or, with ``refuse=False``, return the closed ones: the import names the lines in them).

    Must run inside ``transaction.atomic()``: the lock lasts as long as the transaction."""
    from . import services

    if not connection.in_atomic_block:
        raise RuntimeError("hold_months_for_share must run inside a transaction")
    firsts = sorted({month_start(m) for m in months})
    if not firsts:
        return []
    params = {"kov": municipality_id, "months": firsts, "open": MonthState.OPEN}
    with connection.cursor() as cursor:
        cursor.execute(HOLD_SQL, {**params, "now": timezone.now(), "user": _history_user_id()})
        # A close in progress holds the row FOR UPDATE: this waits for it to end, and then reads
        # the row as the close left it (read committed re-reads a row it had to wait for).
        cursor.execute(LOCK_SQL, params)
        closed = [month for month, state in cursor.fetchall() if state in LOCKED_STATES]
    if closed and refuse:
        raise services.BillingError(services.locked_message(closed[0]))
    return closed


def _history_user_id() -> int | None:
    """The user of the request in progress, as simple-history records it on an ORM save."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None
