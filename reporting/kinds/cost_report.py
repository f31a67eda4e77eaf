"""The monthly SKA cost report (*KOV_Teenuskomponentide andmekogu*, XLSX) of one municipality,
and the consolidated all-municipality XLSX of a month for SKA.

The cost report streams the month's deliveries from the database grouped per person and
component (``.iterator()``) and writes them with xlsxwriter's ``constant_memory`` mode, so
its memory does not grow with the number of rows. Its grand total is the sum of the same
delivery lines the invoice's component lines sum, so the two agree to the cent (the report
says so on its summary sheet, and fails rather than disagree)."""

from __future__ import annotations

from collections import OrderedDict

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Municipality, Role
from billing.models import BillingMonth, Invoice, InvoiceLine
from reporting.month_data import (
    closed_invoice,
    cost_rows,
    hours,
    month_status,
    number,
    xlsx_formats,
)
from reporting.registry import report_kind
from reporting.services import ReportingError
from tugi.exports import text, xlsx_workbook
from tugi.money import ZERO

COST_ROLES = frozenset({Role.CASE_MANAGER, Role.COORDINATOR, Role.SKA})

#: The data sheet's columns. Their names are stable (never translated, documented in
#: docs/reports-and-jobs.md) so that SKA's filters, pivots and scripts keep working.
DATA_COLUMNS = (
    ("kov_kood", 9), ("kuu", 8), ("isikukood", 13), ("perekonnanimi", 18), ("eesnimi", 16),
    ("juhtumi_number", 14), ("komponendi_kood", 9), ("komponent", 34), ("vorm", 6), ("osutaja", 28),
    ("osutaja_registrikood", 12), ("lahedasele", 10), ("uhikuhind", 10), ("kordi", 7), ("tunnid", 9),
    ("summa", 11),
)
PERSON_COLUMNS = (
    ("isikukood", 13), ("perekonnanimi", 18), ("eesnimi", 16), ("juhtumi_number", 14), ("kordi", 7),
    ("tunnid", 9), ("summa", 11),
)
COMPONENT_COLUMNS = (("komponendi_kood", 9), ("komponent", 40), ("kordi", 9), ("tunnid", 11), ("summa", 12))
YES, NO = "jah", "ei"


def _head(sheet, columns, f) -> None:
    sheet.write_row(0, 0, [name for name, _width in columns], f["head"])
    for index, (_name, width) in enumerate(columns):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)


class _Totals:
    """What the data sheet has written so far: the grand total, per component, per person."""

    def __init__(self):
        self.grand = ZERO
        self.rows = 0
        self.persons = 0
        self.components: OrderedDict[str, dict] = OrderedDict()

    def add_to_component(self, item, amount) -> None:
        totals = self.components.setdefault(
            item["component__code"],
            {"name": item["component__name"], "order": item["component__order"], "sessions": 0,
             "minutes": 0, "amount": ZERO},
        )
        totals["sessions"] += item["sessions"]
        totals["minutes"] += item["minutes"] or 0
        totals["amount"] += amount


class _PersonSheet:
    """The per-person sheet, written as the data sheet finishes each person (streamed)."""

    def __init__(self, sheet, f):
        self.sheet, self.f = sheet, f
        self.row = 1
        self.current = None
        _head(sheet, PERSON_COLUMNS, f)

    def add(self, item, amount) -> bool:
        """Count ``item``; True when it starts a new person."""
        new = self.current is None or self.current["case_id"] != item["case_id"]
        if new:
            self.flush()
            self.current = {**item, "sessions": 0, "minutes": 0, "amount": ZERO}
        self.current["sessions"] += item["sessions"]
        self.current["minutes"] += item["minutes"] or 0
        self.current["amount"] += amount
        return new

    def flush(self) -> None:
        person, sheet, f = self.current, self.sheet, self.f
        if person is None:
            return
        sheet.write_string(self.row, 0, text(person["case__person__isikukood"]))
        sheet.write_string(self.row, 1, text(person["case__person__last_name"]))
        sheet.write_string(self.row, 2, text(person["case__person__first_name"]))
        sheet.write_string(self.row, 3, text(person["case__number"]))
        sheet.write_number(self.row, 4, person["sessions"])
        sheet.write_number(self.row, 5, number(hours(person["minutes"])), f["hours"])
        sheet.write_number(self.row, 6, number(person["amount"]), f["money"])
        self.row += 1
        self.current = None

    def close(self, grand) -> None:
        self.flush()
        self.sheet.write_string(self.row, 0, _("Total"), self.f["bold"])
        self.sheet.write_number(self.row, 6, number(grand), self.f["money_bold"])


def write_data_sheet(sheet, f, rows, *, municipality, month, persons: _PersonSheet, progress=None) -> _Totals:
    """The flat data sheet: one row per cost row, no subtotal rows."""
    _head(sheet, DATA_COLUMNS, f)
    kov_code, month_text = text(municipality.code), f"{month:%Y-%m}"
    totals = _Totals()
    row = 1
    for item in rows:
        amount = item["amount"] or ZERO
        if persons.add(item, amount):
            totals.persons += 1
            if progress and totals.persons % 1000 == 0:
                progress(min(90, 10 + totals.persons // 100), _("%(n)s persons written") % {"n": totals.persons})
        sheet.write_string(row, 0, kov_code)
        sheet.write_string(row, 1, month_text)
        sheet.write_string(row, 2, text(item["case__person__isikukood"]))
        sheet.write_string(row, 3, text(item["case__person__last_name"]))
        sheet.write_string(row, 4, text(item["case__person__first_name"]))
        sheet.write_string(row, 5, text(item["case__number"]))
        sheet.write_string(row, 6, text(item["component__code"]))
        sheet.write_string(row, 7, text(item["component__name"]))
        sheet.write_string(row, 8, item["form"])
        sheet.write_string(row, 9, text(item["provider__name"]))
        sheet.write_string(row, 10, text(item["provider__registry_code"]))
        sheet.write_string(row, 11, YES if item["to_relative"] else NO)
        if item["unit_price"] is None:
            sheet.write_blank(row, 12, None)
        else:
            sheet.write_number(row, 12, number(item["unit_price"]), f["money"])
        sheet.write_number(row, 13, item["sessions"])
        sheet.write_number(row, 14, number(hours(item["minutes"])), f["hours"])
        sheet.write_number(row, 15, number(amount), f["money"])
        row += 1
        totals.rows += 1
        totals.add_to_component(item, amount)
        totals.grand += amount
    persons.close(totals.grand)
    return totals


def write_component_sheet(sheet, f, totals: _Totals) -> None:
    _head(sheet, COMPONENT_COLUMNS, f)
    row = 1
    for code, c in sorted(totals.components.items(), key=lambda kv: (kv[1]["order"], kv[0])):
        sheet.write_string(row, 0, text(code))
        sheet.write_string(row, 1, text(c["name"]))
        sheet.write_number(row, 2, c["sessions"])
        sheet.write_number(row, 3, number(hours(c["minutes"])), f["hours"])
        sheet.write_number(row, 4, number(c["amount"]), f["money"])
        row += 1
    sheet.write_string(row, 0, _("Components total"), f["bold"])
    sheet.write_number(row, 4, number(totals.grand), f["money_bold"])


def write_summary_sheet(sheet, f, *, municipality, month, invoice, totals: _Totals) -> None:
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 40)
    facts = [
        (_("Municipality"), text(municipality.name)),
        (_("Municipality code"), text(municipality.code)),
        (_("Month"), f"{month:%m.%Y}"),
        (_("Invoice number"), invoice.number),
        (_("Invoice state"), invoice.get_state_display()),
        (_("Participants"), invoice.participants),
        (_("Persons with sessions"), totals.persons),
    ]
    r = 0
    for label, value in facts:
        sheet.write_string(r, 0, label, f["bold"])
        sheet.write(r, 1, value)
        r += 1
    for label, value in [
        (_("Case-management fee"), invoice.case_management_fee),
        (_("Components total"), totals.grand),
        (_("Adjustments of earlier months"), invoice.adjustments_total),
        (_("Invoice total"), invoice.total),
    ]:
        sheet.write_string(r, 0, label, f["bold"])
        sheet.write_number(r, 1, number(value), f["money"])
        r += 1
    sheet.write_string(r, 0, _("Generated"), f["bold"])
    sheet.write_string(r, 1, f"{timezone.localtime():%d.%m.%Y %H:%M}")


def write_cost_report(out, *, municipality, month, invoice, rows, progress=None) -> dict:
    """Write the report; ``rows`` is an iterable of :func:`reporting.month_data.cost_rows`
    dicts. Returns the totals written (grand total, per component, persons, rows)."""
    workbook = xlsx_workbook(out)
    f = xlsx_formats(workbook)
    summary = workbook.add_worksheet(_("Summary"))
    data = workbook.add_worksheet(_("Data"))
    by_component = workbook.add_worksheet(_("Components"))
    persons = _PersonSheet(workbook.add_worksheet(_("Persons")), f)
    totals = write_data_sheet(
        data, f, rows, municipality=municipality, month=month, persons=persons, progress=progress
    )
    if totals.grand != invoice.components_total:
        workbook.close()
        raise ReportingError(
            _(
                "The report's total %(report)s € differs from the invoice's component total "
                "%(invoice)s €; the month's data changed after the close. Tell the administrator."
            )
            % {"report": totals.grand, "invoice": invoice.components_total}
        )
    write_component_sheet(by_component, f, totals)
    write_summary_sheet(summary, f, municipality=municipality, month=month, invoice=invoice, totals=totals)
    workbook.close()
    return {"grand": totals.grand, "components": totals.components, "persons": totals.persons, "rows": totals.rows}


@report_kind(
    "cost_report",
    label=gettext_lazy("Monthly cost report (XLSX)"),
    extension="xlsx",
    roles=COST_ROLES,
    scope="municipality_month",
)
def cost_report(job, *, out, progress) -> str:
    with translation.override("et"):
        municipality, month = job.municipality, job.month
        invoice = closed_invoice(municipality, month)
        progress(10, _("Reading the month's deliveries"))
        write_cost_report(
            out,
            municipality=municipality,
            month=month,
            invoice=invoice,
            rows=cost_rows(municipality, month).iterator(chunk_size=5000),
            progress=progress,
        )
    return f"KOV_Teenuskomponentide_andmekogu-{municipality.code}-{month:%Y-%m}.xlsx"


# --- All municipalities of a month (SKA) ------------------------------------------------

#: The all-KOV data sheet: one row per line of each invoice SKA counts (stable names).
KOV_DATA_COLUMNS = (
    ("kov_kood", 9), ("omavalitsus", 24), ("kuu", 8), ("arve_number", 16), ("rea_liik", 14),
    ("komponendi_kood", 9), ("komponent", 34), ("algne_kuu", 9), ("kordi", 7), ("tunnid", 9), ("summa", 11),
)
LINE_KINDS = {"fee": "tasu", "component": "komponent", "adjustment": "korrigeerimine"}


#: What the data sheet reads of each line, as plain values (not models: a line with its
#: component, invoice and municipality is four objects, and the invoice's parties are JSON).
KOV_LINE_FIELDS = (
    "invoice__municipality_id", "invoice__municipality__code", "invoice__municipality__name", "invoice__number",
    "kind", "component__code", "component__name", "component__order", "description", "original_month",
    "sessions", "hours", "amount",
)


def write_kov_data_sheet(sheet, f, lines, *, month) -> dict[str, object]:
    """Every line of the counted invoices, flat (``lines``: tuples of :data:`KOV_LINE_FIELDS`);
    returns the sum per component code."""
    _head(sheet, KOV_DATA_COLUMNS, f)
    codes: dict[tuple, dict] = {}
    month_text = f"{month:%Y-%m}"
    for row, (kov_id, kov_code, kov_name, invoice_number, kind, code, name, order, description, original_month,
              sessions, line_hours, amount) in enumerate(lines, start=1):
        sheet.write_string(row, 0, text(kov_code))
        sheet.write_string(row, 1, text(kov_name))
        sheet.write_string(row, 2, month_text)
        sheet.write_string(row, 3, text(invoice_number))
        sheet.write_string(row, 4, LINE_KINDS[kind])
        sheet.write_string(row, 5, text(code or ""))
        sheet.write_string(row, 6, text(name if code is not None else description))
        sheet.write_string(row, 7, f"{original_month:%Y-%m}" if original_month else "")
        if sessions is None:
            sheet.write_blank(row, 8, None)
        else:
            sheet.write_number(row, 8, sessions)
        if line_hours is None:
            sheet.write_blank(row, 9, None)
        else:
            sheet.write_number(row, 9, number(line_hours), f["hours"])
        sheet.write_number(row, 10, number(amount), f["money"])
        if kind == "component":
            sums = codes.setdefault((order, code), {})
            sums[kov_id] = sums.get(kov_id, ZERO) + amount
    return OrderedDict((code, sums) for (_order, code), sums in sorted(codes.items()))


#: The invoice's figures on SKA's summary sheet, one column each.
SUMMARY_MONEY = ("case_management_fee", "components_total", "adjustments_total", "total")


def write_kov_summary_sheet(sheet, f, *, municipalities, invoices, months, codes) -> None:
    """One row per municipality: the month's state and its counted invoice's figures."""
    head = [
        _("Municipality code"), _("Municipality"), _("State of the month"), _("Invoice number"), _("Submitted"),
        _("Participants"), _("Case-management fee"), _("Components total"), _("Adjustments of earlier months"),
        _("Invoice total"), *codes.keys(),
    ]
    sheet.write_row(0, 0, head, f["head"])
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 4, 18)
    sheet.set_column(5, len(head), 13)
    sheet.freeze_panes(1, 2)
    money_keys = SUMMARY_MONEY
    sums = dict.fromkeys(money_keys, ZERO)
    participants = 0
    row = 1
    for municipality in municipalities:
        invoice = invoices.get(municipality.pk)
        sheet.write_string(row, 0, text(municipality.code))
        sheet.write_string(row, 1, text(municipality.name))
        sheet.write_string(row, 2, str(month_status(months.get(municipality.pk), invoice)))
        if invoice is not None:
            sheet.write_string(row, 3, text(invoice.number))
            if invoice.submitted_at:
                sheet.write_datetime(row, 4, timezone.localtime(invoice.submitted_at).replace(tzinfo=None), f["date"])
            sheet.write_number(row, 5, invoice.participants)
            participants += invoice.participants
            for col, key in enumerate(money_keys, start=6):
                sheet.write_number(row, col, number(getattr(invoice, key)), f["money"])
                sums[key] += getattr(invoice, key)
            for col, per_kov in enumerate(codes.values(), start=10):
                if municipality.pk in per_kov:
                    sheet.write_number(row, col, number(per_kov[municipality.pk]), f["money"])
        row += 1
    sheet.write_string(row, 1, _("Total"), f["bold"])
    sheet.write_number(row, 5, participants, f["bold"])
    for col, key in enumerate(money_keys, start=6):
        sheet.write_number(row, col, number(sums[key]), f["money_bold"])
    for col, per_kov in enumerate(codes.values(), start=10):
        sheet.write_number(row, col, number(sum(per_kov.values(), ZERO)), f["money_bold"])
    sheet.write_string(row + 2, 1, _("Counts submitted and accepted invoices only (what SKA counts)."))


@report_kind(
    "all_kov_costs",
    label=gettext_lazy("All municipalities of the month (consolidated)"),
    extension="xlsx",
    roles=frozenset({Role.SKA, Role.ADMIN}),
    scope="month",
    personal_data=False,
)
def all_kov_costs(job, *, out, progress) -> str:
    """The month across municipalities, counting only the invoices SKA counts (submitted and
    accepted): a summary sheet per municipality and a flat data sheet of their lines."""
    with translation.override("et"):
        month = job.month
        progress(10, _("Reading the invoices"))
        invoices = {
            invoice.municipality_id: invoice
            for invoice in Invoice.objects.filter(month=month).counted_by_ska().order_by("municipality_id", "version")
            .only("municipality_id", "number", "submitted_at", "submitted_on_time", "participants", *SUMMARY_MONEY)
        }
        months = {m.municipality_id: m for m in BillingMonth.objects.filter(month=month).only("municipality_id", "state")}
        lines = (
            InvoiceLine.objects.filter(invoice__in=list(invoices.values()))
            .order_by("invoice__municipality__name", "order", "pk")
            .values_list(*KOV_LINE_FIELDS)
        )
        workbook = xlsx_workbook(out)
        f = xlsx_formats(workbook)
        summary = workbook.add_worksheet(_("Municipalities"))
        codes = write_kov_data_sheet(workbook.add_worksheet(_("Data")), f, lines, month=month)
        write_kov_summary_sheet(
            summary, f, municipalities=Municipality.objects.order_by("name").only("code", "name"), invoices=invoices,
            months=months, codes=codes,
        )
        workbook.close()
    return f"KOV-koond-{month:%Y-%m}.xlsx"
