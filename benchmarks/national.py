"""National-scale data for benchmarks and the load test (fictional, not the demo).

At ``--scale 1``: 79 municipalities (the largest with 7 000 participants), 20 000 participants,
24 months of history with about 25 sessions a participant a month (about 500 000 deliveries
in the last month), each person with an agreed plan of two or three lines, providers with
contracts whose prices changed a year ago, users of every role. The 23 earlier months are
closed and accepted (an invoice per municipality and month, its totals summed from the
deliveries); the last month is open, for the close.

Persons, cases, plan lines and users are written with COPY; the deliveries with one
``INSERT … SELECT generate_series`` a month (the database makes them: faster than any COPY
from Python). ``--scale 0.05`` gives 1 000 participants for development and tests.

    python -m benchmarks.national --scale 0.1 [--database tugi_national]

Every user's password is ``LOAD_PASSWORD``; the usernames are ``koord_<code>``,
``kj_<code>_<n>``, ``spets_<provider id>`` and ``ska_<n>``."""

from __future__ import annotations

import argparse
import io
import math
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

KOVS = 79
LARGEST = 7_000
PARTICIPANTS = 20_000
MONTHS = 24
SESSIONS_A_MONTH = 25
CODES = ["B1", "B2", "L01", "L06", "L07", "L13", "L17", "L21", "L23", "L24"]
LOAD_PASSWORD = "koormus-Parool-2026"
FIRST_NAMES = ["Mari", "Jaan", "Kati", "Peeter", "Liis", "Toomas", "Anu", "Marko", "Eeva", "Rein"]
LAST_NAMES = ["Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel"]


@dataclass
class National:
    scale: float
    first_month: date
    last_month: date
    municipalities: list = field(default_factory=list)  # (id, code, participants)
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def sizes(scale: float) -> list[int]:
    """Participants of each municipality: the largest, then a long tail (at least one each),
    summing to the total."""
    largest = max(1, round(LARGEST * scale))
    rest = max(KOVS - 1, round(PARTICIPANTS * scale) - largest)
    weights = [1 / (rank ** 0.9) for rank in range(1, KOVS)]
    spare = rest - (KOVS - 1)
    tail = [1 + math.floor(spare * w / sum(weights)) for w in weights]
    tail[0] += rest - sum(tail)
    return [largest, *tail]


def _with_required(model, columns: list[str], rows) -> tuple[list[str], list[tuple]]:
    """``columns`` and ``rows`` completed with every other NOT NULL column of ``model`` that the
    database has no default for: its Python default, else blank text or false, as a form would
    leave them. The data stays valid when a later migration adds such a column."""
    from django.db import models as dj

    extra, values = [], []
    for f in model._meta.concrete_fields:
        if f.column in columns or f.null or f.primary_key or f.db_default is not dj.NOT_PROVIDED:
            continue
        if f.has_default():
            value = f.get_default()
        elif isinstance(f, dj.BooleanField):
            value = False
        elif isinstance(f, dj.CharField | dj.TextField):
            value = ""
        else:
            continue  # left to the database to refuse: the caller must give it
        extra.append(f.column)
        values.append(value)
    return columns + extra, [(*row, *values) for row in rows]


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    names = ", ".join(f'"{column}"' for column in columns)
    cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)


def _registry_code(n: int) -> str:
    from stdnum.ee import registrikood

    base = f"8{n:06d}"
    return base + registrikood.calc_check_digit(base)


def build(*, scale: float = 1.0, last_month: date = date(2026, 10, 1)) -> National:
    """Write the national data into the current (empty, migrated) database."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from billing.models import Invoice
    from billing.services import store_contract_totals
    from cases.models import Case, Person
    from components.models import Component
    from tugi.workdays import add_months, due_date, month_end

    started = time.perf_counter()
    first_month = add_months(last_month, -(MONTHS - 1))
    national = National(scale=scale, first_month=first_month, last_month=last_month)
    components = {c.code: c.pk for c in Component.objects.filter(code__in=CODES)}
    password = make_password(LOAD_PASSWORD)
    kov_sizes = sizes(scale)
    with transaction.atomic(), connection.cursor() as cursor:
        # Municipalities, agreements, staff.
        _copy(cursor, "accounts_municipality", ["name", "code", "registry_code", "email"],
              [(f"Koormusvald {i + 1:02d}", f"{7000 + i}", _registry_code(500 + i), "") for i in range(KOVS)])
        cursor.execute("SELECT id, code FROM accounts_municipality WHERE code LIKE '7%%' ORDER BY code")
        kovs = [(kov_id, code, kov_sizes[i]) for i, (kov_id, code) in enumerate(cursor.fetchall())]
        national.municipalities = kovs
        _copy(cursor, "billing_fundingagreement",
              ["municipality_id", "number", "start_date", "planned_places", "monthly_fee", "maximum_amount",
               "street_address", "postal_code", "city", "iban", "reference_number",
               "contact_name", "contact_email", "contact_phone"],
              [(kov_id, f"SKA-{code}", first_month, math.ceil(n * 1.1), Decimal(n * 130), Decimal(n * 60_000),
                "Vallamaja 1", "00000", f"Koormusvald {code}", "", "", "", "", "")
               for kov_id, code, n in kovs])
        # Interim evaluations at the end of stage I and yearly after: each counted everyone.
        cursor.execute(
            """
            INSERT INTO billing_interimevaluation (agreement_id, date, participants, note)
            SELECT a.id, (a.start_date + make_interval(months => 4 + 12 * y))::date - 1,
                   a.planned_places * 10 / 11, ''
            FROM billing_fundingagreement a CROSS JOIN generate_series(0, 1) AS y
            WHERE a.number LIKE 'SKA-7%%'
            """,
            [],
        )
        users = [("ska_1", "ska", None), ("ska_2", "ska", None)]
        for kov_id, code, n in kovs:
            users.append((f"koord_{code}", "coordinator", kov_id))
            users += [(f"kj_{code}_{k}", "case_manager", kov_id) for k in range(1, 2 + n // 150)]
        _copy_users(cursor, users, password)
        cursor.execute("SELECT username, id FROM accounts_user")
        user_ids = dict(cursor.fetchall())

        # Providers: a few per municipality, each with a contract for two or three components
        # whose prices changed 12 months before the last month, and specialists with accounts.
        providers = []  # (kov_id, code, [component codes])
        for kov_id, code, n in kovs:
            for p in range(min(10, 2 + n // 400)):
                providers.append((kov_id, code, [CODES[(p + k) % len(CODES)] for k in range(2 + p % 2)]))
        _copy(cursor, "providers_provider",
              ["name", "registry_code", "type", "address", "contact_person", "email", "phone",
               "fields_of_activity", "offers_base_support", "offers_additional_support", "target_groups",
               "exclusions", "works_offered"],
              [(f"Koormuspakkuja {i + 1}", _registry_code(1000 + i), "ngo", "", "", "", "", "", "t", "t", "",
                "", "{}") for i in range(len(providers))])
        cursor.execute("SELECT id FROM providers_provider WHERE name LIKE 'Koormuspakkuja %%' ORDER BY id")
        provider_ids = [row[0] for row in cursor.fetchall()]
        change = add_months(last_month, -12)
        contract_rows, price_rows, specialist_rows = [], [], []
        for i, ((kov_id, code, _codes), provider_id) in enumerate(zip(providers, provider_ids, strict=True)):
            contract_rows.append((kov_id, provider_id, f"K-{code}-{i}", first_month, month_end(add_months(last_month, 12)),
                                  Decimal("90000000.00"), ""))
        _copy(cursor, "providers_contract",
              ["municipality_id", "provider_id", "number", "start", "end", "maximum_amount", "procurement_reference"],
              contract_rows)
        cursor.execute("SELECT provider_id, id FROM providers_contract WHERE number LIKE 'K-7%%'")
        contract_of = dict(cursor.fetchall())
        for (kov_id, _code, codes), provider_id in zip(providers, provider_ids, strict=True):
            for k, component_code in enumerate(codes):
                price = Decimal(28 + (provider_id + k) % 15)
                price_rows.append((contract_of[provider_id], components[component_code], price, price / 2,
                                   first_month, change - date.resolution))
                price_rows.append((contract_of[provider_id], components[component_code], price + 2, (price + 2) / 2,
                                   change, None))
            kov_n = next(n for kid, _, n in kovs if kid == kov_id)
            for s in range(max(1, kov_n // 60)):
                specialist_rows.append((provider_id, f"Spetsialist {provider_id}-{s + 1}"))
        _copy(cursor, "providers_contractprice",
              ["contract_id", "component_id", "unit_price_individual", "unit_price_group", "valid_from", "valid_to"],
              price_rows)
        _copy(cursor, "providers_specialist", ["provider_id", "name"], specialist_rows)
        _copy_users(cursor, [(f"spets_{pid}", "provider", None) for pid in provider_ids], password,
                    providers=provider_ids)
        cursor.execute("""
            UPDATE providers_specialist s SET user_id = u.id FROM accounts_user u
            WHERE u.username = 'spets_' || s.provider_id AND s.name LIKE '%%-1'""")

        # Persons and their case files (entered before the first month), by COPY.
        person_rows = []
        for n in range(sum(size for _, _, size in kovs)):
            person_rows.append((FIRST_NAMES[n % 10], f"{LAST_NAMES[(n // 10) % 10]}{n}",
                                date(1950 + n % 50, 1 + n % 12, 1 + n % 28), "koormustest", "et",
                                "none", "not_assessed"))
        _copy(cursor, "cases_person", *_with_required(
            Person, ["first_name", "last_name", "birth_date", "no_code_reason"], [row[:4] for row in person_rows]
        ))
        cursor.execute("SELECT id FROM cases_person WHERE no_code_reason = 'koormustest' ORDER BY id")
        person_ids = [row[0] for row in cursor.fetchall()]
        case_rows, n = [], 0
        entered = add_months(first_month, -1)
        for kov_id, code, size in kovs:
            managers = [user_ids[f"kj_{code}_{k}"] for k in range(1, 2 + size // 150)]
            for k in range(size):
                case_rows.append((kov_id, person_ids[n], managers[k % len(managers)], f"{code}-{k + 1:05d}",
                                  "planned", add_months(entered, -1), entered.replace(day=10)))
                n += 1
        _copy(cursor, "cases_case", *_with_required(
            Case, ["municipality_id", "person_id", "case_manager_id", "number", "state", "noticed_on", "entry_date"],
            case_rows,
        ))

        # One agreed plan per case, two or three lines with the providers of its municipality.
        cursor.execute(
            """
            INSERT INTO assessments_plan (case_id, kind, version, valid_from, status, agreed_on, made_by_id,
                                          change_reason, resources, obstacles, created_at)
            SELECT c.id, 'action', 1, c.entry_date, 'agreed', c.entry_date, c.case_manager_id, '', '', '', now()
            FROM cases_case c JOIN cases_person p ON p.id = c.person_id WHERE p.no_code_reason = 'koormustest'
            """
        )
        cursor.execute(
            """
            WITH offers AS (
                SELECT k.municipality_id, cp.contract_id, k.provider_id, cp.component_id,
                       cp.unit_price_individual AS price,
                       row_number() OVER (PARTITION BY k.municipality_id ORDER BY cp.id) - 1 AS n,
                       count(*) OVER (PARTITION BY k.municipality_id) AS offers
                FROM providers_contractprice cp JOIN providers_contract k ON k.id = cp.contract_id
                WHERE cp.valid_to IS NULL
            )
            INSERT INTO assessments_planline (plan_id, component_id, provider_id, form, monthly_quantity,
                                              valid_from, unit_price)
            SELECT pl.id, o.component_id, o.provider_id, 'I', 4 + (pl.id % 5), pl.valid_from, o.price
            FROM assessments_plan pl JOIN cases_case c ON c.id = pl.case_id
            CROSS JOIN generate_series(0, 2) AS line
            JOIN offers o ON o.municipality_id = c.municipality_id
                         AND o.n = (c.id * 7 + line * 3) % o.offers
            WHERE line < 2 + (c.id % 2)
            ON CONFLICT DO NOTHING
            """
        )
    # The deliveries, a month at a time (each its own transaction).
    for n_month in range(MONTHS):
        month = add_months(first_month, n_month)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(DELIVERIES_SQL, {"first": month, "last": month_end(month), "sessions": SESSIONS_A_MONTH})
    # The earlier months closed and accepted: a month row and an invoice per municipality.
    with transaction.atomic(), connection.cursor() as cursor:
        for n_month in range(MONTHS - 1):
            month = add_months(first_month, n_month)
            cursor.execute(HISTORY_SQL, {"month": month, "last": month_end(month), "due": due_date(month)})
        # What each close stores beside its invoice: the component lines, the per-person lines
        # and the month's deliveries per contract.
        cursor.execute("SELECT array_agg(id) FROM billing_invoice WHERE number LIKE '7%%'")
        invoices = {"invoices": cursor.fetchone()[0] or []}
        cursor.execute(HISTORY_LINES_SQL, invoices)
        cursor.execute(HISTORY_PERSON_LINES_SQL, invoices)
        for invoice in Invoice.objects.filter(pk__in=invoices["invoices"]).select_related("municipality"):
            store_contract_totals(invoice)
        cursor.execute(
            "INSERT INTO billing_billingmonth (municipality_id, month, state) "
            "SELECT id, %s, 'open' FROM accounts_municipality WHERE code LIKE '7%%'", [last_month]
        )
    with connection.cursor() as cursor:
        if not connection.in_atomic_block:  # a test's transaction cannot vacuum
            cursor.execute("VACUUM ANALYZE")
        for table in ("cases_case", "assessments_planline", "billing_delivery", "billing_invoice", "accounts_user"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            national.counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM billing_delivery WHERE date >= %s", [last_month])
        national.counts["deliveries in the last month"] = cursor.fetchone()[0]
    national.seconds = time.perf_counter() - started
    return national


def _copy_users(cursor, users, password, providers=None) -> None:
    _copy(cursor, "accounts_user",
          ["username", "password", "first_name", "last_name", "email", "is_superuser", "is_staff", "is_active",
           "date_joined", "role", "municipality_id", "provider_id", "phone"],
          [(name, password, "Koormus", name, "", "f", "f", "t", "2026-01-01 00:00+02", role, kov,
            providers[i] if providers else None, "") for i, (name, role, kov) in enumerate(users)])


#: Each plan line gets its share of the person's sessions a month, on different days (no two
#: alike), by a specialist of the line's provider, at the contract price valid that day.
DELIVERIES_SQL = """
WITH lines AS (
    SELECT l.id, pl.case_id, c.municipality_id, l.component_id, l.provider_id,
           count(*) OVER (PARTITION BY pl.case_id) AS per_case,
           row_number() OVER (PARTITION BY pl.case_id ORDER BY l.id) - 1 AS k
    FROM assessments_planline l JOIN assessments_plan pl ON pl.id = l.plan_id
    JOIN cases_case c ON c.id = pl.case_id
), specialists AS (
    SELECT provider_id, array_agg(id ORDER BY id) AS ids FROM providers_specialist GROUP BY provider_id
)
INSERT INTO billing_delivery (
    municipality_id, case_id, component_id, provider_id, specialist_id, contract_id, date, start_time,
    minutes, form, session_key, recipient_name, note, unit_price, amount, status, problems,
    accepted_reason, source, created_at)
SELECT l.municipality_id, l.case_id, l.component_id, l.provider_id,
       s.ids[1 + (l.case_id %% array_length(s.ids, 1))], k.id, d.day, NULL,
       45 + 15 * (j %% 3), 'I', gen_random_uuid(), '', '', cp.unit_price_individual,
       round(cp.unit_price_individual * (45 + 15 * (j %% 3)) / 60.0, 2), 'ok', '[]'::jsonb, '', 'import', now()
FROM lines l
JOIN specialists s ON s.provider_id = l.provider_id
JOIN providers_contract k ON k.provider_id = l.provider_id AND k.municipality_id = l.municipality_id
CROSS JOIN LATERAL generate_series(0, (%(sessions)s / l.per_case)::int - 1) AS j
CROSS JOIN LATERAL (SELECT %(first)s::date + ((j * l.per_case + l.k) %% 28)::int AS day) d
JOIN providers_contractprice cp ON cp.contract_id = k.id AND cp.component_id = l.component_id
     AND cp.valid_from <= d.day AND (cp.valid_to IS NULL OR cp.valid_to >= d.day)
"""

#: The component lines and the per-person lines a close writes, for the history's invoices.
HISTORY_LINES_SQL = """
INSERT INTO billing_invoiceline (invoice_id, kind, component_id, description, hours, sessions, amount, "order")
SELECT i.id, 'component', d.component_id, c.code || ' ' || c.name, round(sum(d.minutes) / 60.0, 4), count(*),
       sum(d.amount), c."order"
FROM billing_invoice i
JOIN billing_delivery d ON d.municipality_id = i.municipality_id
     AND d.date >= i.month AND d.date < (i.month + interval '1 month')::date
JOIN components_component c ON c.id = d.component_id
WHERE i.id = ANY(%(invoices)s)
GROUP BY i.id, d.component_id, c.code, c.name, c."order"
"""
HISTORY_PERSON_LINES_SQL = """
INSERT INTO billing_invoicepersonline (invoice_id, case_id, hours, sessions, amount)
SELECT i.id, d.case_id, round(sum(d.minutes) / 60.0, 4), count(*), sum(d.amount)
FROM billing_invoice i
JOIN billing_delivery d ON d.municipality_id = i.municipality_id
     AND d.date >= i.month AND d.date < (i.month + interval '1 month')::date
WHERE i.id = ANY(%(invoices)s)
GROUP BY i.id, d.case_id
"""

HISTORY_SQL = """
WITH sums AS (
    SELECT d.municipality_id, count(DISTINCT d.case_id) AS participants, sum(d.amount) AS amount
    FROM billing_delivery d WHERE d.date >= %(month)s AND d.date <= %(last)s GROUP BY d.municipality_id
), months AS (
    INSERT INTO billing_billingmonth (municipality_id, month, state)
    SELECT municipality_id, %(month)s, 'accepted' FROM sums RETURNING id, municipality_id
)
INSERT INTO billing_invoice (billing_month_id, municipality_id, month, version, number, due_date, state,
                             case_management_fee, components_total, adjustments_total, total, participants,
                             closed_at, submitted_at, submitted_on_time, reviewed_at, remarks,
                             fee_basis, seller, buyer, reference_number)
SELECT m.id, s.municipality_id, %(month)s, 1, kov.code || '-' || to_char(%(month)s::date, 'YYYYMM') || '-1',
       %(due)s, 'accepted', a.monthly_fee, s.amount, 0, a.monthly_fee + s.amount, s.participants,
       %(due)s::timestamptz, %(due)s::timestamptz, true, %(due)s::timestamptz, '',
       '', '{}'::jsonb, '{}'::jsonb, ''
FROM sums s JOIN months m ON m.municipality_id = s.municipality_id
JOIN accounts_municipality kov ON kov.id = s.municipality_id
JOIN billing_fundingagreement a ON a.municipality_id = s.municipality_id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 20 000 participants (default)")
    parser.add_argument("--database", default="tugi_national", help="created afresh (dropped if it exists)")
    args = parser.parse_args()
    from benchmarks.harness import setup_django

    setup_django(database=args.database)
    national = build(scale=args.scale)
    print(f"built in {national.seconds:.0f} s at scale {args.scale:g}: {national.counts}")


if __name__ == "__main__":
    main()
