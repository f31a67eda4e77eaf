"""Importing attendance from a file (XLSX or CSV, UTF-8, ``;`` or ``,``): all or nothing.

Every row is checked with the same rules as the form (billing.validation). One bad
row refuses the whole file and every bad row is listed with its line number. A row
that is already recorded exactly is skipped, so importing a file twice adds nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.models import Municipality
from cases.models import Case
from components.models import Component
from providers.models import Provider, Specialist

from . import services, validation
from .models import Delivery

COLUMNS = ["isikukood", "kuupaev", "komponent", "teenuseosutaja", "minutid", "vorm", "spetsialist", "saaja"]
EXAMPLE = ["49005170012", "06.04.2026", "L23", "80000008", "60", "I", "Pille Pakkuja", ""]


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    deliveries: list = field(default_factory=list)


class ImportRefused(services.BillingError):
    """The file was refused; ``lines`` is a list of (line number, reason)."""

    def __init__(self, lines: list[tuple[int, str]]):
        self.lines = lines
        super().__init__([_("Line %(line)s: %(reason)s") % {"line": n, "reason": r} for n, r in lines])


def read_rows(content: bytes, filename: str) -> list[tuple[int, dict]]:
    """(line number, {column: text}) for every non-empty data row; the header is line 1."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:
            raise ImportRefused([(1, _("The file is not a readable XLSX workbook."))]) from exc
        raw = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused([(1, _("The file is not UTF-8 text. Save it as CSV UTF-8."))]) from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        raw = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not raw:
        raise ImportRefused([(1, _("The file is empty."))])
    # PostgreSQL cannot hold NUL in text: a file with one is not a text table.
    with_nul = [number for number, values in enumerate(raw, start=1) if any("\x00" in (v or "") for v in values)]
    if with_nul:
        raise ImportRefused([(number, _("the line holds a NUL character")) for number in with_nul])
    header = [h.strip().lower() for h in raw[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRefused(
            [(1, _("The header lacks the columns: %(columns)s. Use the template.") % {"columns": ", ".join(missing)})]
        )
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        if not any((v or "").strip() for v in values):
            continue
        padded = list(values) + [""] * (len(header) - len(values))
        rows.append((number, {name: (padded[i] or "").strip() for i, name in enumerate(header)}))
    return rows


def parse_date(text: str) -> dt.date:
    """dd.mm.yyyy (a calendar date, no time zone involved)."""
    day, month, year = text.split(".")
    if len(year) != 4:
        raise ValueError(text)
    return dt.date(int(year), int(month), int(day))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Lookups:
    """Caches of the reference data a file names, so a long file costs few queries."""

    def __init__(self, municipality: Municipality):
        self.municipality = municipality
        self.components = {c.code: c for c in Component.objects.all()}
        self.providers: dict[str, Provider | None] = {}
        self.cases: dict[str, list[Case]] = {}

    def provider(self, code: str) -> Provider | None:
        if code not in self.providers:
            self.providers[code] = Provider.objects.filter(registry_code=code).first()
        return self.providers[code]

    def case(self, isikukood: str, day: dt.date) -> Case | None:
        if isikukood not in self.cases:
            self.cases[isikukood] = list(
                Case.objects.filter(municipality=self.municipality, person__isikukood=isikukood)
                .select_related("person", "municipality")
                .order_by("-entry_date")
            )
        cases = self.cases[isikukood]
        for case in cases:
            if validation.is_participant(case, day):
                return case
        return cases[0] if cases else None


def parse(rows: list[tuple[int, dict]], *, municipality: Municipality, only_provider: Provider | None):
    """Turn rows into drafts; returns (drafts with their line numbers, [(line, reason)])."""
    lookups = _Lookups(municipality)
    drafts, bad = [], []
    sessions: dict[tuple, uuid.UUID] = {}
    for number, row in rows:
        reasons = []
        try:
            day = parse_date(row["kuupaev"])
        except ValueError:
            day = None
            reasons.append(_("the date must be dd.mm.yyyy (e.g. 06.04.2026)"))
        try:
            minutes = int(row["minutid"])
            if minutes <= 0:
                raise ValueError
        except ValueError:
            minutes = None
            reasons.append(_("minutes must be a whole number above zero"))
        form = row["vorm"].upper()
        if form not in ("I", "G"):
            reasons.append(_("the form must be I or G"))
        component = lookups.components.get(row["komponent"].upper())
        if component is None:
            reasons.append(_("unknown component code %(code)s") % {"code": row["komponent"] or "—"})
        provider = lookups.provider(row["teenuseosutaja"])
        if provider is None:
            reasons.append(_("unknown provider registry code %(code)s") % {"code": row["teenuseosutaja"] or "—"})
        elif only_provider is not None and provider.pk != only_provider.pk:
            reasons.append(_("you may import only your own provider's sessions"))
        specialist = None
        if provider is not None:
            specialist = Specialist.objects.filter(provider=provider, name__iexact=row["spetsialist"]).first()
            if specialist is None:
                reasons.append(
                    _("the specialist %(name)s does not work for this provider") % {"name": row["spetsialist"] or "—"}
                )
        case = lookups.case(row["isikukood"], day) if day else None
        if day and case is None:
            reasons.append(_("no person with the code %(code)s in this municipality") % {"code": row["isikukood"] or "—"})
        if reasons:
            bad.append((number, "; ".join(reasons)))
            continue
        key = (provider.pk, specialist.pk, component.pk, day, minutes, form)
        session = sessions.setdefault(key, uuid.uuid4()) if form == "G" else uuid.uuid4()
        drafts.append(
            (
                number,
                validation.Draft(
                    municipality=municipality, case=case, component=component, provider=provider,
                    specialist=specialist, date=day, minutes=minutes, form=form,
                    recipient_name=row["saaja"], session_key=session,
                ),
            )
        )
    return drafts, bad


def import_attendance(
    *, content: bytes, filename: str, municipality: Municipality, by, only_provider: Provider | None = None
) -> ImportResult:
    """Check every row, then record all of them in one transaction, or refuse the file."""
    drafts, bad = parse(read_rows(content, filename), municipality=municipality, only_provider=only_provider)
    seen: dict[tuple, int] = {}
    fresh = []
    skipped = 0
    pending: dict[tuple, int] = {}
    for number, draft in drafts:
        key = (draft.case.pk, draft.component.pk, draft.provider.pk, draft.specialist.pk, draft.date,
               draft.minutes, draft.form, draft.recipient_name)
        if key in seen:
            bad.append((number, _("the same session as line %(line)s") % {"line": seen[key]}))
            continue
        seen[key] = number
        plan_key = (draft.case.pk, draft.component.pk, draft.provider.pk, draft.date.replace(day=1))
        result = validation.check(draft, pending_minutes=pending.get(plan_key, 0))
        errors = [p for p in result.errors if p.code != "duplicate"]
        if errors:
            bad.append((number, "; ".join(p.message for p in errors)))
        elif any(p.code == "duplicate" for p in result.errors):
            skipped += 1
        else:
            pending[plan_key] = pending.get(plan_key, 0) + draft.minutes
            fresh.append(draft)
    if bad:
        raise ImportRefused(sorted(bad))
    try:
        created = services.record_deliveries(drafts=fresh, by=by, source=Delivery.Source.IMPORT)
    except ImportRefused:
        raise
    except services.BillingError as error:
        raise ImportRefused([(0, m) for m in error.messages]) from error
    return ImportResult(created=len(created), skipped=skipped, deliveries=created)


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
