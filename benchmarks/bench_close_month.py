"""Closing a month of a large KOV: 7 000 participants, 170 000 deliveries, committed.

The data is built in the database (bulk_create for persons and cases, one
INSERT … SELECT generate_series for the deliveries). The close (services.close_month:
lock, checks, fee, invoice lines, per-person report) is timed against one raw SQL
query computing the same totals (per component and per person)."""

from __future__ import annotations

import statistics
from datetime import date
from decimal import Decimal

TITLE = "Month-end close: 7 000 participants, 170 000 deliveries"

PARTICIPANTS = 7_000
DELIVERIES = 170_000
MONTH = date(2026, 4, 1)
TARGET_RATIO = 2.0
TARGET_MB = 300
#: Cold starts per figure: a cold close reads from disk, and three runs varied by a fifth.
COLD_RUNS = 5

RAW_TOTALS = """
SELECT d.case_id, d.component_id, d.contract_id, count(*), sum(d.minutes), sum(d.amount)
FROM billing_delivery d
WHERE d.municipality_id = %s AND d.date >= %s AND d.date <= %s
GROUP BY GROUPING SETS ((d.case_id), (d.component_id), (d.contract_id))
"""

DELIVERIES_SQL = """
WITH c AS (
    SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS n FROM cases_case WHERE municipality_id = %(kov)s
), combos AS (
    SELECT * FROM unnest(%(components)s::bigint[], %(providers)s::bigint[], %(specialists)s::bigint[],
                         %(contracts)s::bigint[], %(prices)s::numeric[])
        WITH ORDINALITY AS t(component_id, provider_id, specialist_id, contract_id, price, k)
)
INSERT INTO billing_delivery (
    municipality_id, case_id, component_id, provider_id, specialist_id, contract_id, date, start_time,
    minutes, form, session_key, recipient_name, note, unit_price, amount, status, problems,
    accepted_reason, source, created_at)
SELECT %(kov)s, c.id, combos.component_id, combos.provider_id, combos.specialist_id, combos.contract_id,
       %(first)s::date + ((g / %(people)s) %% 30)::int, NULL,
       30 + (g %% 4) * 15, 'I', gen_random_uuid(), '', '', combos.price,
       round(combos.price * (30 + (g %% 4) * 15) / 60.0, 2), 'ok', '[]'::jsonb, '', 'import', now()
FROM generate_series(0, %(total)s - 1) AS g
JOIN c ON c.n = g %% %(people)s
JOIN combos ON combos.k = 1 + (g %% %(kinds)s)
"""


def build():
    from django.db import connection

    from accounts.models import Municipality, Role, User
    from billing.models import FundingAgreement
    from cases.models import Case, CaseState, Person
    from components.models import Component
    from providers.models import Contract, ContractPrice, Provider, Specialist

    kov = Municipality.objects.create(name="Suurvald", code="9990")
    manager = User.objects.create(username="bench_kj", role=Role.CASE_MANAGER, municipality=kov)
    coordinator = User.objects.create(username="bench_koord", role=Role.COORDINATOR, municipality=kov)
    FundingAgreement.objects.create(
        municipality=kov, number="SKA-BENCH", start_date=date(2026, 1, 1), planned_places=7_500,
        monthly_fee=Decimal("900000.00"), maximum_amount=Decimal("50000000.00"),
    )
    persons = Person.objects.bulk_create(
        Person(first_name="Isik", last_name=f"Nr{i}", birth_date=date(1980, 1, 1), no_code_reason="benchmark")
        for i in range(PARTICIPANTS)
    )
    Case.objects.bulk_create(
        Case(municipality=kov, person=p, case_manager=manager, number=f"B-{i:05d}", state=CaseState.PLANNED,
             noticed_on=date(2026, 1, 2), entry_date=date(2026, 1, 10))
        for i, p in enumerate(persons)
    )
    codes = ["B1", "B2", "L01", "L06", "L07", "L13", "L17", "L21", "L23", "L24"]
    components = {c.code: c for c in Component.objects.filter(code__in=codes)}
    combos = {"components": [], "providers": [], "specialists": [], "contracts": [], "prices": []}
    for i, code in enumerate(codes):
        provider = Provider.objects.create(name=f"Pakkuja {i}", registry_code=_registry_code(i), type="ngo")
        specialist = Specialist.objects.create(provider=provider, name=f"Spetsialist {i}")
        contract = Contract.objects.create(
            municipality=kov, provider=provider, number=f"B-{i}", start=date(2026, 1, 1), end=date(2026, 12, 31),
            maximum_amount=Decimal("9000000.00"),
        )
        price = Decimal("30.00") + i
        ContractPrice.objects.create(
            contract=contract, component=components[code], unit_price_individual=price, valid_from=date(2026, 1, 1)
        )
        for key, value in zip(combos, (components[code].pk, provider.pk, specialist.pk, contract.pk, price),
                              strict=True):
            combos[key].append(value)
    with connection.cursor() as cursor:
        cursor.execute(
            DELIVERIES_SQL,
            {"kov": kov.pk, "first": MONTH, "people": PARTICIPANTS, "total": DELIVERIES, "kinds": len(codes), **combos},
        )
    with connection.cursor() as cursor:  # outside a transaction: as after a nightly autovacuum
        cursor.execute("VACUUM ANALYZE")
    return kov, coordinator


def _registry_code(n: int) -> str:
    from stdnum.ee import registrikood

    base = f"7990{n:03d}"
    return base + registrikood.calc_check_digit(base)


UNDO_SQL = """
DELETE FROM billing_invoicepersonline
 WHERE invoice_id IN (SELECT id FROM billing_invoice WHERE municipality_id = %(kov)s);
DELETE FROM billing_invoiceline WHERE invoice_id IN (SELECT id FROM billing_invoice WHERE municipality_id = %(kov)s);
DELETE FROM billing_invoicecontracttotal
 WHERE invoice_id IN (SELECT id FROM billing_invoice WHERE municipality_id = %(kov)s);
DELETE FROM billing_invoice WHERE municipality_id = %(kov)s;
DELETE FROM reporting_reportjob WHERE municipality_id = %(kov)s;
UPDATE billing_billingmonth SET state = 'open' WHERE municipality_id = %(kov)s;
"""

#: What a fresh process runs. COLD_SETUP: Django up, the objects loaded; ``warm_python`` first
#: closes the empty month of another KOV (the imports, the holiday calendar, the Celery app:
#: what a web worker has done once it has served a request) and then makes the database cold.
COLD_SETUP = f"""
import time
from datetime import date
from django.db import connection
from accounts.models import Municipality, User
from benchmarks.harness import make_cold, queue_tasks_without_running_them
from billing import services
from tugi.workdays import month_end
queue_tasks_without_running_them()
month = date.fromisoformat({MONTH.isoformat()!r})
kov = Municipality.objects.get(code="9990")
coordinator = User.objects.get(username="bench_koord")
if warm_python:
    services.close_month(municipality=Municipality.objects.get(code="9991"), month=month,
                         by=User.objects.get(username="bench_koord_small"), today=date(2026, 5, 4))
    make_cold()
connection.ensure_connection()
"""

COLD_RAW = COLD_SETUP + f"""
start = time.perf_counter()
with connection.cursor() as cursor:
    cursor.execute({RAW_TOTALS!r}, [kov.pk, month, month_end(month)])
    cursor.fetchall()
result = {{"seconds": time.perf_counter() - start}}
"""

COLD_CLOSE = COLD_SETUP + """
start = time.perf_counter()
services.close_month(municipality=kov, month=month, by=coordinator, today=date(2026, 5, 4))
result = {"seconds": time.perf_counter() - start}
"""


def _empty_kov():
    """A KOV with an agreement and nothing delivered: its close warms a fresh process."""
    from accounts.models import Municipality, Role, User
    from billing.models import FundingAgreement

    kov = Municipality.objects.create(name="Väikevald", code="9991")
    User.objects.create(username="bench_koord_small", role=Role.COORDINATOR, municipality=kov)
    FundingAgreement.objects.create(
        municipality=kov, number="SKA-BENCH-2", start_date=date(2026, 1, 1), planned_places=10,
        monthly_fee=Decimal("1000.00"), maximum_amount=Decimal("100000.00"),
    )
    return kov


def _undo(*kovs) -> None:
    """Untimed: remove the closed invoices so the next run closes the same open month."""
    from django.db import connection

    with connection.cursor() as cursor:
        for kov in kovs:
            cursor.execute(UNDO_SQL, {"kov": kov.pk})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE billing_invoicepersonline, billing_invoice, billing_invoiceline")


def run() -> dict:
    import tracemalloc

    from django.db import connection

    from benchmarks.harness import (
        make_cold,
        peak_rss_mb,
        queue_tasks_without_running_them,
        run_fresh,
        timer,
    )
    from billing import services
    from billing.models import Delivery, InvoicePersonLine
    from tugi.workdays import month_end

    queue_tasks_without_running_them()
    with timer() as build_time:
        kov, coordinator = build()
    small = _empty_kov()
    count = Delivery.objects.filter(municipality=kov).count()

    def raw_query() -> float:
        with timer() as t, connection.cursor() as cursor:
            cursor.execute(RAW_TOTALS, [kov.pk, MONTH, month_end(MONTH)])
            raw_query.rows = len(cursor.fetchall())
        return t()

    # Raw and close alternate, so that other load on the machine falls on both alike.
    raw_times, close_times = [], []
    traced_peak = 0
    for run_number in range(8):  # the first pair warms up, uncounted; the last close is traced
        tracing = run_number == 7
        raw_time = raw_query()
        if tracing:
            tracemalloc.start()
        with timer() as t:
            invoice = services.close_month(municipality=kov, month=MONTH, by=coordinator, today=date(2026, 5, 4))
        if tracing:
            traced_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        elif run_number:
            raw_times.append(raw_time)
            close_times.append(t())
        person_lines = InvoicePersonLine.objects.filter(invoice=invoice).count()
        total, participants = invoice.total, invoice.participants
        _undo(kov)
    raw, close = statistics.median(raw_times), statistics.median(close_times)
    ratio = close / raw

    cold: dict[tuple[str, bool], list[float]] = {}
    cold_steps = []
    for _ in range(COLD_RUNS):
        for what, code in (("raw", COLD_RAW), ("close", COLD_CLOSE)):
            for warm_python in (False, True):
                cold_steps = make_cold()
                program = f"warm_python = {warm_python}\n{code}"
                cold.setdefault((what, warm_python), []).append(run_fresh(program)["seconds"])
                _undo(kov, small)
    cold = {key: statistics.median(times) for key, times in cold.items()}
    cold_raw, cold_close = cold["raw", True], cold["close", True]
    cold_ratio = cold_close / cold_raw
    first_raw, first_close = cold["raw", False], cold["close", False]
    peak = peak_rss_mb()
    met = ratio <= TARGET_RATIO and peak < TARGET_MB
    cold_met = cold_ratio <= TARGET_RATIO
    notes = (
        f"Targets: the committed close ≤ {TARGET_RATIO:g}× the raw totals query, warm — "
        f"{'met' if met else 'NOT met'} ({ratio:.2f}×); cold — {'met' if cold_met else 'NOT met'} "
        f"({cold_ratio:.2f}×); peak memory < {TARGET_MB} MB — {'met' if peak < TARGET_MB else 'NOT met'}.\n\n"
        "**Inside the close's timer:** everything `billing.services.close_month` does as the "
        "coordinator's request runs it — the month row locked, the checks, the fee, one GROUPING "
        "SETS aggregate over the month (per person, and per price group: contract, provider, "
        "component, date, form, unit price) feeding the INSERT … SELECT of the per-person report, "
        "the per-contract totals and the invoice's component lines summed from the price groups, "
        "and the check of every price group's stored price against the price table; "
        "**the commit** (with the per-person lines' reference checks, billing migrations 0008 and "
        "0014, and every deferred foreign-key check), and the two report jobs written and put on the broker after the commit. **Not "
        "inside:** building the reports (a Celery worker does that later; here the tasks go to "
        "Celery's in-memory broker and are never run), the HTTP round trip, the template. "
        "**Inside the raw query's timer:** the totals per person, per component and per contract "
        "(the close's GROUPING SETS) over the same rows, fetched into Python; it writes nothing, so "
        "it is the floor of any close.\n\n"
        "**Warm:** the same process, raw query and close alternating (so other load on this shared "
        "machine falls on both alike), after one uncounted pair; every close commits, and between "
        "runs (untimed) its invoice is deleted, the month reopened and the tables vacuumed, so "
        "each run closes the same open month. **Cold database:** a fresh Python process first closes "
        "the empty month of another KOV (untimed: the imports, the holiday calendar and the Celery "
        "app a web worker has loaded once it has served a request), then " + ", ".join(cold_steps) +
        ", and the one query or the one close is timed on a new connection; raw and close each get "
        "their own cold start, median of " + str(COLD_RUNS) + ". **A brand-new process:** the same without that first "
        "close, so the timer also holds the process's one-time imports (the holiday calendar alone "
        "is about 0.1–0.2 s); a web worker pays them once, on its first request. **Memory:** the "
        "Python allocation peak (tracemalloc) of one committed close alone."
    )
    return {
        "rows": [
            ("deliveries in the month", f"{count:,}".replace(",", " ")),
            ("participants with deliveries", f"{participants:,}".replace(",", " ")),
            ("per-person report rows written by the close", f"{person_lines:,}".replace(",", " ")),
            ("build the data (bulk_create + INSERT … SELECT)", f"{build_time():.1f} s"),
            ("raw SQL totals, warm (median of 6)", f"{raw * 1000:.0f} ms ({raw_query.rows} rows)"),
            ("close_month incl. commit, warm (median of 6)", f"{close * 1000:.0f} ms"),
            ("close / raw, warm (target ≤ 2×)", f"{ratio:.2f}× — {'met' if ratio <= TARGET_RATIO else 'NOT met'}"),
            (f"raw SQL totals, cold database (median of {COLD_RUNS})", f"{cold_raw * 1000:.0f} ms"),
            (f"close_month incl. commit, cold database (median of {COLD_RUNS})", f"{cold_close * 1000:.0f} ms"),
            ("close / raw, cold database (target ≤ 2×)", f"{cold_ratio:.2f}× — {'met' if cold_met else 'NOT met'}"),
            (f"raw SQL totals, cold, a brand-new process (median of {COLD_RUNS})", f"{first_raw * 1000:.0f} ms"),
            (f"close_month incl. commit, cold, a brand-new process's first request (median of {COLD_RUNS})",
             f"{first_close * 1000:.0f} ms ({first_close / first_raw:.2f}×)"),
            ("invoice total", f"{total} €"),
            ("Python allocations of one close (tracemalloc peak)", f"{traced_peak / 1e6:.2f} MB"),
            ("peak RSS of the process (target < 300 MB)", f"{peak:.0f} MB"),
        ],
        "notes": notes,
    }
