"""Importing attendance from a file (XLSX or CSV, UTF-8, ``;`` or ``,``): all or nothing.

The pipeline, in one transaction:

1. **read** the file as a stream, within the caps (``IMPORT_MAX_BYTES``, ``IMPORT_MAX_ROWS``):
   an XLSX sheet is read row by row in openpyxl's read-only mode, ignoring the size the sheet
   declares (a 1.6 kB file may claim A1:XFD1048576);
2. **parse** every line with the catalogue's readers (:mod:`billing.rules`): dates, minutes,
   codes, free text; persons are looked up among those the user may record for
   (:func:`accounts.permissions.deliverable_cases_for`), anyone else gets one neutral message;
3. **hold** the months named for share (:mod:`billing.locks`), so a close cannot run meanwhile;
4. **COPY** the parsed rows into a TEMP staging table, **check** them as a set
   (:func:`billing.rules.check_staged`), and **insert** them with one ``INSERT … SELECT``
   (and their history rows with it).

One bad line refuses the whole file and every bad line is listed with its number and the
catalogue's messages. A line that is exactly a session already recorded is not added again and
is reported as "already recorded" on the result: importing a file twice adds nothing, and a
session that really took place twice must differ in its start time (``algusaeg``) — the
database keeps one row per identical session."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Municipality
from accounts.permissions import deliverable_cases_for
from components.models import Component
from providers.models import Provider, Specialist
from providers.pricing import NoPrice, price_for
from tugi.workdays import month_end, month_start

from . import locks, rules, services
from .models import Delivery, ImportJob, Status

COLUMNS = ["isikukood", "kuupaev", "komponent", "teenuseosutaja", "minutid", "vorm", "spetsialist", "saaja"]
#: Columns a file may have besides :data:`COLUMNS`.
OPTIONAL_COLUMNS = ["algusaeg"]
EXAMPLE = ["49005170012", "06.04.2026", "L23", "80000008", "60", "I", "Pille Pakkuja", ""]
#: Columns read from an XLSX sheet; anything to the right of them is never looked at.
XLSX_COLUMNS_READ = 32
#: How much larger than the file itself an XLSX's unpacked parts may be.
XLSX_UNPACKED_FACTOR = 20
#: The problem that does not refuse a file: the line is reported and not added again.
ALREADY_RECORDED = "already_recorded"

#: The extra columns of the staging table, filled by the import (the price of each row).
PRICE_COLUMNS = [("contract_id", "bigint NULL"), ("unit_price", "numeric(12, 2) NULL"),
                 ("amount", "numeric(12, 2) NULL")]


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def check_size(size: int) -> None:
    """Refuse a file over ``IMPORT_MAX_BYTES`` before reading it."""
    if size > max_bytes():
        raise _refuse(0, rules.problem("file_too_large", size=file_size(size), max=file_size(max_bytes())))


def runs_in_background(size: int) -> bool:
    """Files larger than ``IMPORT_BACKGROUND_BYTES`` are imported by a Celery job."""
    return size > settings.IMPORT_BACKGROUND_BYTES


def file_size(size: int) -> str:
    """Bytes as the user reads them: 800 kB, 5,0 MB."""
    if size < 1_000_000:
        return f"{number_format(round(size / 1000), 0)} kB"
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000} MB"
    return f"{number_format(size / 1_000_000, 1)} MB"


@dataclass
class ImportResult:
    created: int = 0
    #: (line, message) of the lines already recorded, not added again.
    already: list[tuple[int, str]] = field(default_factory=list)
    #: The first days of the months the file's sessions are in.
    months: list[dt.date] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.already)

    @property
    def month(self) -> dt.date | None:
        return self.months[0] if self.months else None


class ImportRefused(services.BillingError):
    """The file was refused. ``problems`` maps a line to the catalogue's problems (line 0: the
    file as a whole); ``lines`` is the same as (line, reasons) pairs in line order."""

    def __init__(self, problems: dict[int, list[rules.Problem]]):
        self.problems = dict(sorted(problems.items()))
        self.lines = [(n, "; ".join(p.message for p in found)) for n, found in self.problems.items()]
        super().__init__([_("Line %(line)s: %(reason)s") % {"line": n, "reason": r} if n else r
                          for n, r in self.lines])

    @property
    def codes(self) -> dict[int, list[str]]:
        return {n: [p.code for p in found] for n, found in self.problems.items()}


def _refuse(line: int, found: rules.Problem | str):
    if isinstance(found, str):
        found = rules.Problem("file_unreadable", rules.ERROR, found)
    return ImportRefused({line: [found]})


# --- 1. Reading


def read_rows(content: bytes, filename: str) -> Iterator[tuple[int, dict]]:
    """(line number, {column: value}) for every non-empty data row, as a stream; the header is
    line 1. Refuses (ImportRefused) a file over the caps, unreadable, or without the header."""
    check_size(len(content))
    raw = _xlsx_rows(content, filename) if filename.lower().endswith(".xlsx") else _csv_rows(content, filename)
    header = None
    limit = max_rows()
    for number, values in raw:
        if header is None:
            header = [str(h or "").strip().lower() for h in values]
            while header and not header[-1]:
                header.pop()
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise _refuse(1, _("The header lacks the columns: %(columns)s. Use the template.")
                              % {"columns": ", ".join(missing)})
            continue
        if not any(_filled(v) for v in values):
            continue
        if number > limit + 1:
            raise _refuse(0, rules.problem("too_many_rows", max=number_format(limit, 0, force_grouping=True)))
        padded = list(values[: len(header)]) + [None] * (len(header) - len(values))
        yield number, {name: padded[i] for i, name in enumerate(header) if name}
    if header is None:
        raise _refuse(1, _("The file is empty."))


def _filled(value) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _xlsx_rows(content: bytes, filename: str) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of the rows the active sheet really holds.

    The rows come straight from openpyxl's streaming sheet parser (what its read-only mode
    uses), not from ``iter_rows``: that one trusts the declared dimension and fills every gap
    with empty rows, so one cell at XFD1048576 would cost a million empty rows."""
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    unreadable = rules.problem("file_unreadable", value=filename)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > max_bytes() * XLSX_UNPACKED_FACTOR:
            raise _refuse(0, rules.problem("file_too_large", size=file_size(unpacked),
                                           max=file_size(max_bytes() * XLSX_UNPACKED_FACTOR)))
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.active
        if sheet is None:
            raise _refuse(1, unreadable)
        with sheet._get_source() as source:
            parser = WorkSheetParser(
                source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                date_formats=book._date_formats, timedelta_formats=book._timedelta_formats,
            )
            for number, cells in parser.parse():
                values = [None] * XLSX_COLUMNS_READ
                for cell in cells:
                    if cell["column"] <= XLSX_COLUMNS_READ:
                        values[cell["column"] - 1] = cell["value"]
                yield number, values
    except ImportRefused:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a damaged file
        raise _refuse(1, unreadable) from exc


#: Stands for a NUL byte while the csv module reads the line (it refuses NULs); put back after,
#: so that the catalogue reports the cell (``text_nul``) instead of the whole file failing.
_NUL_STAND_IN = "\ufdd0"


def _csv_rows(content: bytes, filename: str) -> Iterator[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(1, _("The file is not UTF-8 text. Save it as CSV UTF-8.")) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    has_nul = "\x00" in text
    if has_nul:
        text = text.replace("\x00", _NUL_STAND_IN)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            yield number, ([v.replace(_NUL_STAND_IN, "\x00") for v in values] if has_nul else values)
    except csv.Error as exc:
        raise _refuse(reader.line_num, rules.problem("file_unreadable", value=filename)) from exc


# --- 2. Parsing


@dataclass
class _Parsed:
    """One line read with the catalogue's readers, before persons and prices are looked up."""

    line: int
    isikukood: str
    date: dt.date
    start_time: dt.time | None
    minutes: int
    form: str
    component: Component
    provider: Provider
    specialist: Specialist
    recipient_name: str


class _Lookups:
    """The reference data a file names, each looked up once."""

    def __init__(self, municipality: Municipality, user):
        self.municipality = municipality
        self.own_provider_id = getattr(user, "provider_id", None) if user is not None else None
        self.components = {c.code.upper(): c for c in Component.objects.all()}
        self.providers: dict[str, Provider | None] = {}
        self.specialists: dict[int, dict[str, Specialist]] = {}
        self.prices: dict[tuple, rules.Problem | object] = {}
        self.amounts: dict[tuple, object] = {}
        self.read = _Readers()

    def provider(self, code: str) -> Provider | None:
        if code not in self.providers:
            # A registry code is 8 digits; anything else (a NUL, a novel) is not looked up.
            plausible = code.isascii() and code.isdigit() and len(code) <= 20
            self.providers[code] = Provider.objects.filter(registry_code=code).first() if plausible else None
        return self.providers[code]

    def specialist(self, provider: Provider, name: str) -> Specialist | None:
        if provider.pk not in self.specialists:
            self.specialists[provider.pk] = {
                s.name.casefold(): s for s in Specialist.objects.filter(provider=provider).order_by("-pk")
            }
        return self.specialists[provider.pk].get(name.casefold())

    def price(self, parsed: _Parsed):
        """The Price of a parsed line, or the catalogue's no_price problem."""
        key = (parsed.provider.pk, parsed.component.pk, parsed.date, parsed.form)
        if key not in self.prices:
            try:
                self.prices[key] = price_for(
                    municipality=self.municipality, provider=parsed.provider, component=parsed.component,
                    on=parsed.date, form=parsed.form,
                )
            except NoPrice as no_price:
                self.prices[key] = rules.problem(
                    "no_price", component=parsed.component.code, date=f"{parsed.date:%d.%m.%Y}",
                    reason=no_price.message,
                )
        return self.prices[key]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _minutes(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _read_recipient(value):
    return rules.read_text("recipient_name", value)


class _Readers:
    """The catalogue's readers, each distinct value read once: a file repeats its dates, codes
    and minutes on every line, and an isikukood's checksum need not be computed 20 times."""

    def __init__(self):
        self.seen: dict[tuple, tuple] = {}

    def __call__(self, reader, value, problems: list):
        key = (reader, type(value), value)
        outcome = self.seen.get(key)
        if outcome is None:
            try:
                outcome = (reader(value), None)
            except rules.RowError as error:
                outcome = (None, error.problem)
            self.seen[key] = outcome
        if outcome[1] is not None:
            problems.append(outcome[1])
        return outcome[0]


def parse_line(number: int, row: dict, lookups: _Lookups) -> tuple[_Parsed | None, list[rules.Problem]]:
    """One line through the catalogue's readers: the parsed line, or its problems."""
    problems: list[rules.Problem] = []
    read = lookups.read
    isikukood = read(rules.read_isikukood, _text(row.get("isikukood")), problems)
    day = read(rules.read_date, row.get("kuupaev"), problems)
    start = read(rules.read_time, row.get("algusaeg") or None, problems)
    minutes = read(rules.read_minutes, _minutes(row.get("minutid")), problems)
    form = read(rules.read_form, _text(row.get("vorm")), problems)
    recipient = read(_read_recipient, _text(row.get("saaja")), problems)
    code = _text(row.get("komponent"))
    component = lookups.components.get(code.upper())
    if component is None:
        problems.append(rules.problem("component_unknown", value=code or "—"))
    registry_code = _text(row.get("teenuseosutaja"))
    provider = lookups.provider(registry_code)
    specialist = None
    if provider is None:
        problems.append(rules.problem("provider_unknown", value=registry_code or "—"))
    elif lookups.own_provider_id is not None and provider.pk != lookups.own_provider_id:
        problems.append(rules.problem("provider_not_own", value=provider))
    else:
        name = _text(row.get("spetsialist"))
        specialist = lookups.specialist(provider, name)
        if specialist is None:
            problems.append(rules.problem("specialist_unknown", value=name or "—"))
    if problems:
        return None, problems
    return _Parsed(number, isikukood, day, start, minutes, form, component, provider, specialist, recipient), []


def _cases_by_code(parsed: list[_Parsed], municipality: Municipality, user) -> dict[tuple, list]:
    """(person code, month) → the cases (newest first) of that person the user may record for in
    that month (:func:`accounts.permissions.can_record_for` says the same for one case); one
    query a month of the file."""
    codes = {p.isikukood for p in parsed}
    found: dict[tuple, list] = {}
    for month in sorted({month_start(p.date) for p in parsed}):
        # Every way in (page, background job, management command) imports as a user; no user reaches nobody.
        cases = deliverable_cases_for(user, start=month, end=month_end(month))
        for case in (
            cases.filter(municipality=municipality, person__isikukood__in=codes)
            .select_related("person").order_by("-entry_date", "-pk")
        ):
            found.setdefault((case.person.isikukood, month), []).append(case)
    return found


# --- 3./4. Staging, checking, inserting

STAGING = "import_staging"

INSERT_SQL = """
WITH inserted AS (
    INSERT INTO billing_delivery (
        municipality_id, case_id, component_id, provider_id, specialist_id, contract_id, date,
        start_time, minutes, form, session_key, recipient_name, note, unit_price, amount, status,
        problems, accepted_reason, accepted_by_id, source, created_by_id, created_at
    )
    SELECT %(kov)s, case_id, component_id, provider_id, specialist_id, contract_id, date,
           start_time, minutes, form, session_key, recipient_name, note, unit_price, amount,
           coalesce(v.status, %(ok)s), coalesce(v.problems, '[]'::jsonb), '', NULL, %(source)s,
           %(by)s, %(now)s
    FROM import_staging s LEFT JOIN import_verdicts v USING (line)
    ORDER BY s.line
    RETURNING *
), history AS (
INSERT INTO billing_historicaldelivery (
    id, date, start_time, minutes, form, session_key, recipient_name, note, unit_price, amount,
    status, problems, accepted_reason, source, created_at, municipality_id, case_id, component_id,
    provider_id, specialist_id, contract_id, accepted_by_id, created_by_id, history_date,
    history_change_reason, history_type, history_user_id
)
SELECT id, date, start_time, minutes, form, session_key, recipient_name, note, unit_price, amount,
       status, problems, accepted_reason, source, created_at, municipality_id, case_id, component_id,
       provider_id, specialist_id, contract_id, accepted_by_id, created_by_id, %(now)s, NULL, '+', %(by)s
FROM inserted
)
SELECT id, case_id, component_id, provider_id, form, date FROM inserted
"""


def _session_keys(count: int) -> Callable[[], str]:
    """Random (version 4) session keys from one read of the system's randomness, not one each,
    as COPY reads a uuid: 32 hex digits (building a uuid.UUID each cost more than the rest of
    the row)."""
    digits = os.urandom(16 * count).hex()
    starts = iter(range(0, 32 * count, 32))

    def key() -> str:
        at = next(starts)
        d = digits[at:at + 32]
        # RFC 4122: the version nibble is 4, the variant's two top bits are 10.
        return f"{d[:12]}4{d[13:16]}{_VARIANT[d[16]]}{d[17:]}"

    return key


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


#: COPY's text format: these characters are written escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@dataclass(frozen=True)
class _Inserted:
    """What services.refresh_plan_warnings reads of a delivery just inserted."""

    pk: int
    case_id: int
    component_id: int
    provider_id: int
    form: str
    date: dt.date

    @property
    def group(self) -> tuple:
        return (self.case_id, self.component_id, self.provider_id, self.form, month_start(self.date))


#: The plan lines' months of the staged rows that already hold a "beyond plan" or "not on
#: plan" warning (services.PLAN_WARNINGS).
WARNED_GROUPS_SQL = """
WITH g AS (
    SELECT DISTINCT case_id, component_id, provider_id, form, date_trunc('month', date)::date AS month
    FROM import_staging
)
SELECT case_id, component_id, provider_id, form, month FROM g
WHERE EXISTS (
    SELECT 1 FROM billing_delivery d
    WHERE d.case_id = g.case_id AND d.date >= g.month AND d.date < g.month + interval '1 month'
      AND d.component_id = g.component_id AND d.provider_id = g.provider_id AND d.form = g.form
      AND (d.problems @> '[{"code": "beyond_plan"}]' OR d.problems @> '[{"code": "not_on_plan"}]')
)
"""


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)  # numbers, dates, times: nothing to escape


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(map(_copy_value, row)))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def import_attendance(
    *, content: bytes, filename: str, municipality: Municipality, by,
    progress: Callable[[int, str], None] | None = None,
) -> ImportResult:
    """Check every row, then record all of them in one transaction, or refuse the file.

    ``by`` is the user importing (the management command too: ``--user``); a provider's specialist
    may import only their provider's sessions, for persons it serves; nobody (None) reaches no one.
    ``progress(percent, message)`` is told how far the import is (the background job shows it)."""

    def report(percent: int, message: str) -> None:
        if progress is not None:
            progress(percent, message)

    lookups = _Lookups(municipality, by)
    problems: dict[int, list[rules.Problem]] = {}
    parsed: list[_Parsed] = []
    report(5, _("Reading the file"))
    for number, row in read_rows(content, filename):
        line, found = parse_line(number, row, lookups)
        if found:
            problems[number] = found
        else:
            parsed.append(line)
        if number % 2000 == 0:
            report(min(5 + number * 35 // max(max_rows(), 1), 40), _("Reading the file"))
    report(40, _("Looking up persons and prices"))
    cases = _cases_by_code(parsed, municipality, by)
    staged, sessions, seen = [], {}, {}
    new_session = _session_keys(len(parsed))
    firsts: dict[dt.date, dt.date] = {}  # a file has a few dozen dates and thousands of lines
    for p in parsed:
        first = firsts.get(p.date) or firsts.setdefault(p.date, month_start(p.date))
        candidates = cases.get((p.isikukood, first))
        if not candidates:
            problems[p.line] = [rules.problem("person_not_reachable", value=p.isikukood)]
            continue
        case = candidates[0] if len(candidates) == 1 else next(
            (c for c in candidates if c.participates_on(p.date)), candidates[0]
        )
        identity = (case.pk, p.component.pk, p.provider.pk, p.specialist.pk, p.date, p.start_time, p.minutes,
                    p.form, p.recipient_name)
        if identity in seen:
            problems[p.line] = [rules.problem("duplicate_in_file", line=seen[identity])]
            continue
        seen[identity] = p.line
        price = lookups.price(p)
        if isinstance(price, rules.Problem):
            problems[p.line] = [price]
            continue
        amount_key = (price.amount, p.minutes)
        amount = lookups.amounts.get(amount_key)
        if amount is None:
            amount = lookups.amounts[amount_key] = rules.Checked(problems=[], price=price, minutes=p.minutes).amount
        session = new_session()
        if p.form == "G":  # one group session: the same provider, specialist, component, time
            group_key = (p.provider.pk, p.specialist.pk, p.component.pk, p.date, p.start_time, p.minutes)
            session = sessions.setdefault(group_key, session)
        staged.append((p.line, case.pk, p.component.pk, p.provider.pk, p.specialist.pk, p.date, p.start_time,
                       p.minutes, p.form, p.recipient_name, "", session, price.contract.pk, price.amount, amount))
    if problems and not staged:
        raise ImportRefused(problems)
    if not staged:  # a file with only its header
        return ImportResult()
    months = sorted({month_start(row[5]) for row in staged})
    report(50, _("Checking the sessions"))
    with services.database_rules(), transaction.atomic():
        closed = set(locks.hold_months_for_share(municipality.pk, months, refuse=False))
        if closed:
            for row in staged:
                if month_start(row[5]) in closed:
                    problems[row[0]] = [rules.problem("locked", month=f"{row[5]:%m.%Y}")]
            staged = [row for row in staged if month_start(row[5]) not in closed]
        with connection.cursor() as cursor:
            # Dropped at commit; an import nested in a longer transaction (tests) starts afresh.
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}, import_verdicts")
            rules.create_staging_table(cursor, STAGING)
            cursor.execute(f"ALTER TABLE {STAGING} " + ", ".join(f"ADD COLUMN {c} {k}" for c, k in PRICE_COLUMNS))
            columns = [c for c, _k in rules.STAGING_COLUMNS] + [c for c, _k in PRICE_COLUMNS]
            _copy(cursor, STAGING, columns, staged)
            cursor.execute(f"ANALYZE {STAGING}")
            verdicts = rules.check_staged(cursor=cursor, table=STAGING, municipality_id=municipality.pk)
            already, warned = [], []
            for line, found in verdicts.items():
                if any(p.code == ALREADY_RECORDED for p in found):
                    already.append((line, next(p.message for p in found if p.code == ALREADY_RECORDED)))
                elif any(p.level == rules.ERROR for p in found):
                    problems.setdefault(line, []).extend(p for p in found if p.level == rules.ERROR)
                else:
                    warned.append((line, json.dumps([p.as_dict() for p in found])))
            if problems:
                raise ImportRefused(problems)
            report(80, _("Recording the sessions"))
            cursor.execute(
                "CREATE TEMP TABLE import_verdicts (line integer PRIMARY KEY, status varchar(10), problems jsonb)"
                " ON COMMIT DROP"
            )
            _copy(cursor, "import_verdicts", ["line", "status", "problems"],
                  [(line, Status.WARNING, found) for line, found in warned])
            if already:
                cursor.execute(f"DELETE FROM {STAGING} WHERE line = ANY(%s)", [[line for line, _m in already]])
            cursor.execute(WARNED_GROUPS_SQL)
            warned_groups = set(cursor.fetchall())
            # A new plan warning names the hours up to its line; it is checked again after the
            # insert to name the month's (only the groups of such lines).
            planned_warning = {line for line, found in verdicts.items()
                               if any(p.code in services.PLAN_WARNINGS for p in found)}
            warned_groups |= {(row[1], row[2], row[3], row[8], month_start(row[5]))
                              for row in staged if row[0] in planned_warning}
            cursor.execute(INSERT_SQL, {
                "kov": municipality.pk, "ok": Status.OK, "source": Delivery.Source.IMPORT,
                "by": getattr(by, "pk", None), "now": timezone.now(),
            })
            inserted = [_Inserted(*row) for row in cursor.fetchall()]
            # A "beyond plan" warning already recorded in the same plan lines' months is checked
            # again, so that it names the new total (only those months: most files have none).
            services.refresh_plan_warnings([d for d in inserted if d.group in warned_groups])
            report(95, _("Recording the sessions"))
    report(100, _("Done"))
    return ImportResult(created=len(inserted), already=sorted(already), months=months)


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow(EXAMPLE)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "osalemine"
    sheet.append(COLUMNS)
    sheet.append(EXAMPLE)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Large files: a background job


def queue_import(*, content: bytes, filename: str, municipality: Municipality, by) -> ImportJob:
    """Keep the file as an ImportJob and let a worker import it (after this transaction commits)."""
    from .tasks import run_import

    check_size(len(content))
    job = ImportJob.objects.create(
        municipality=municipality, requested_by=by, filename=filename[:255], size=len(content), content=content,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(partial(run_import.delay, job.pk))
    return job


def run_import_job(*, job_id: int) -> ImportJob | None:
    """Import a queued job's file; safe to run twice (an ended job is left alone)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not job.is_active:
            return job
        job.status, job.progress = ImportJob.Status.RUNNING, 0
        job.save(update_fields=["status", "progress"])

    def progress(percent: int, message: str) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=percent, progress_message=message[:200])

    with translation.override(job.language):
        try:
            result = import_attendance(
                content=bytes(job.content), filename=job.filename, municipality=job.municipality,
                by=job.requested_by, progress=progress,
            )
        except ImportRefused as refused:
            job.status, job.result = ImportJob.Status.REFUSED, {"lines": refused.lines}
        except services.BillingError as error:
            job.status, job.result = ImportJob.Status.REFUSED, {"lines": [(0, m) for m in error.messages]}
        else:
            job.status = ImportJob.Status.DONE
            job.result = {"created": result.created, "already": result.already,
                          "months": [m.isoformat() for m in result.months]}
    job.progress, job.content, job.finished_at = 100, b"", timezone.now()
    job.save(update_fields=["status", "result", "progress", "content", "finished_at"])
    return job


def fail_import_job(*, job_id: int, error: str) -> None:
    ImportJob.objects.filter(pk=job_id, status__in=ImportJob.ACTIVE_STATUSES).update(
        status=ImportJob.Status.FAILED, result={"error": error}, content=b"", finished_at=timezone.now()
    )


def import_jobs_for(user) -> QuerySet[ImportJob]:
    """The import jobs a user may follow: the ones they sent."""
    if user is None or not user.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(requested_by=user).select_related("municipality")
