"""The monthly SKA cost report (*KOV_Teenuskomponentide andmekogu*, XLSX) of one municipality,
and the consolidated all-municipality XLSX of a month for SKA.

The cost report streams the month's deliveries from the database grouped per person and
component (``.iterator()``) and writes them with xlsxwriter's ``constant_memory`` mode, so
its memory does not grow with the number of rows. Its grand total is the sum of the same
delivery lines the invoice's component lines sum, so the two agree to the cent (the report
says so on its summary sheet, and fails rather than disagree)."""

from __future__ import annotations

from collections import OrderedDict

import xlsxwriter
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
from tugi.money import ZERO

COST_ROLES = frozenset({Role.COORDINATOR, Role.SKA})


def _columns():
    return [
        (_("Personal identification code"), 16),
        (_("Last name"), 18),
        (_("First name"), 16),
        (_("Case number"), 16),
        (_("Component code"), 10),
        (_("Component"), 36),
        (_("Provider"), 28),
        (_("Unit price"), 11),
        (_("Sessions"), 9),
        (_("Quantity (hours)"), 11),
        (_("Sum"), 12),
    ]


class _PersonTotals:
    def __init__(self):
        self.case_id = None
        self.sessions = 0
        self.minutes = 0
        self.amount = ZERO


def write_cost_report(out, *, municipality, month, invoice, rows, progress=None) -> dict:
    """Write the report; ``rows`` is an iterable of :func:`reporting.month_data.cost_rows`
    dicts. Returns the totals written (grand total, per component, persons, rows)."""
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    f = xlsx_formats(workbook)
    summary = workbook.add_worksheet(_("Summary"))
    sheet = workbook.add_worksheet(_("Components per person"))
    columns = _columns()
    sheet.write_row(0, 0, [title for title, _width in columns], f["head"])
    for index, (_title, width) in enumerate(columns):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)

    components: OrderedDict[str, dict] = OrderedDict()
    person = _PersonTotals()
    grand = ZERO
    persons = data_rows = 0
    row = 1

    def close_person():
        nonlocal row
        if person.case_id is None:
            return
        sheet.write_string(row, 0, _("Person total"), f["bold"])
        sheet.write_number(row, 8, person.sessions, f["bold"])
        sheet.write_number(row, 9, number(hours(person.minutes)), f["hours_bold"])
        sheet.write_number(row, 10, number(person.amount), f["money_bold"])
        row += 1

    for item in rows:
        if item["case_id"] != person.case_id:
            close_person()
            person.__init__()
            person.case_id = item["case_id"]
            persons += 1
            if progress and persons % 1000 == 0:
                progress(min(90, 10 + persons // 100), _("%(n)s persons written") % {"n": persons})
        amount = item["amount"] or ZERO
        sheet.write_string(row, 0, item["case__person__isikukood"] or "")
        sheet.write_string(row, 1, item["case__person__last_name"])
        sheet.write_string(row, 2, item["case__person__first_name"])
        sheet.write_string(row, 3, item["case__number"])
        sheet.write_string(row, 4, item["component__code"])
        sheet.write_string(row, 5, item["component__name"])
        sheet.write_string(row, 6, item["provider__name"])
        if item["unit_price"] is None:
            sheet.write_blank(row, 7, None)
        else:
            sheet.write_number(row, 7, number(item["unit_price"]), f["money"])
        sheet.write_number(row, 8, item["sessions"])
        sheet.write_number(row, 9, number(hours(item["minutes"])), f["hours"])
        sheet.write_number(row, 10, number(amount), f["money"])
        row += 1
        data_rows += 1
        person.sessions += item["sessions"]
        person.minutes += item["minutes"] or 0
        person.amount += amount
        totals = components.setdefault(
            item["component__code"],
            {
                "name": item["component__name"],
                "order": item["component__order"],
                "sessions": 0,
                "minutes": 0,
                "amount": ZERO,
            },
        )
        totals["sessions"] += item["sessions"]
        totals["minutes"] += item["minutes"] or 0
        totals["amount"] += amount
        grand += amount
    close_person()
    sheet.write_string(row, 0, _("Grand total"), f["bold"])
    sheet.write_number(row, 10, number(grand), f["money_bold"])

    if grand != invoice.components_total:
        workbook.close()
        raise ReportingError(
            _(
                "The report's total %(report)s € differs from the invoice's component total "
                "%(invoice)s €; the month's data changed after the close. Tell the administrator."
            )
            % {"report": grand, "invoice": invoice.components_total}
        )

    summary.set_column(0, 0, 34)
    summary.set_column(1, 1, 40)
    summary.set_column(2, 4, 14)
    facts = [
        (_("Municipality"), municipality.name),
        (_("Municipality code"), municipality.code),
        (_("Month"), f"{month:%m.%Y}"),
        (_("Invoice number"), invoice.number),
        (_("Invoice state"), invoice.get_state_display()),
        (_("Participants"), persons),
    ]
    r = 0
    for label, value in facts:
        summary.write_string(r, 0, label, f["bold"])
        summary.write(r, 1, value)
        r += 1
    for label, value in [
        (_("Case-management fee"), invoice.case_management_fee),
        (_("Components total"), grand),
        (_("Adjustments of earlier months"), invoice.adjustments_total),
        (_("Invoice total"), invoice.total),
    ]:
        summary.write_string(r, 0, label, f["bold"])
        summary.write_number(r, 1, number(value), f["money"])
        r += 1
    summary.write_string(r, 0, _("Generated"), f["bold"])
    summary.write_string(r, 1, f"{timezone.localtime():%d.%m.%Y %H:%M}")
    r += 2
    summary.write_row(
        r,
        0,
        [_("Component code"), _("Component"), _("Sessions"), _("Quantity (hours)"), _("Sum")],
        f["head"],
    )
    r += 1
    for code, totals in sorted(components.items(), key=lambda kv: (kv[1]["order"], kv[0])):
        summary.write_string(r, 0, code)
        summary.write_string(r, 1, totals["name"])
        summary.write_number(r, 2, totals["sessions"])
        summary.write_number(r, 3, number(hours(totals["minutes"])), f["hours"])
        summary.write_number(r, 4, number(totals["amount"]), f["money"])
        r += 1
    summary.write_string(r, 0, _("Components total"), f["bold"])
    summary.write_number(r, 4, number(grand), f["money_bold"])
    workbook.close()
    return {"grand": grand, "components": components, "persons": persons, "rows": data_rows}


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


@report_kind(
    "all_kov_costs",
    label=gettext_lazy("All municipalities of the month (consolidated)"),
    extension="xlsx",
    roles=frozenset({Role.SKA, Role.ADMIN}),
    scope="month",
    personal_data=False,
)
def all_kov_costs(job, *, out, progress) -> str:
    with translation.override("et"):
        month = job.month
        progress(10, _("Reading the invoices"))
        invoices = {
            invoice.municipality_id: invoice
            for invoice in Invoice.objects.filter(month=month)
            .exclude(state=Invoice.State.WITHDRAWN)
            .order_by("municipality_id", "version")
        }
        months = {m.municipality_id: m for m in BillingMonth.objects.filter(month=month)}
        lines = (
            InvoiceLine.objects.filter(
                invoice__in=list(invoices.values()), kind=InvoiceLine.Kind.COMPONENT
            )
            .select_related("component", "invoice")
            .order_by("component__order", "component__code")
        )
        by_kov: dict[int, dict[str, object]] = {}
        codes: OrderedDict[str, str] = OrderedDict()
        for line in lines:
            codes.setdefault(line.component.code, line.component.name)
            by_kov.setdefault(line.invoice.municipality_id, {})[line.component.code] = line.amount
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
        f = xlsx_formats(workbook)
        sheet = workbook.add_worksheet(_("Municipalities"))
        head = [
            _("Municipality code"),
            _("Municipality"),
            _("State of the month"),
            _("Invoice number"),
            _("Submitted"),
            _("Participants"),
            _("Case-management fee"),
            _("Components total"),
            _("Adjustments of earlier months"),
            _("Invoice total"),
            *codes.keys(),
        ]
        sheet.write_row(0, 0, head, f["head"])
        sheet.set_column(0, 0, 10)
        sheet.set_column(1, 1, 24)
        sheet.set_column(2, 4, 18)
        sheet.set_column(5, len(head), 13)
        sheet.freeze_panes(1, 2)
        sums = {
            "fee": ZERO,
            "components": ZERO,
            "adjustments": ZERO,
            "total": ZERO,
            "participants": 0,
        }
        code_sums = dict.fromkeys(codes, ZERO)
        row = 1
        for municipality in Municipality.objects.order_by("name"):
            invoice = invoices.get(municipality.pk)
            sheet.write_string(row, 0, municipality.code)
            sheet.write_string(row, 1, municipality.name)
            sheet.write_string(row, 2, str(month_status(months.get(municipality.pk), invoice)))
            if invoice is not None:
                sheet.write_string(row, 3, invoice.number)
                if invoice.submitted_at:
                    sheet.write_datetime(
                        row,
                        4,
                        timezone.localtime(invoice.submitted_at).replace(tzinfo=None),
                        f["date"],
                    )
                sheet.write_number(row, 5, invoice.participants)
                for col, value in enumerate(
                    [
                        invoice.case_management_fee,
                        invoice.components_total,
                        invoice.adjustments_total,
                        invoice.total,
                    ],
                    start=6,
                ):
                    sheet.write_number(row, col, number(value), f["money"])
                for col, code in enumerate(codes, start=10):
                    amount = by_kov.get(municipality.pk, {}).get(code)
                    if amount is not None:
                        sheet.write_number(row, col, number(amount), f["money"])
                        code_sums[code] += amount
                sums["fee"] += invoice.case_management_fee
                sums["components"] += invoice.components_total
                sums["adjustments"] += invoice.adjustments_total
                sums["total"] += invoice.total
                sums["participants"] += invoice.participants
            row += 1
        sheet.write_string(row, 1, _("Total"), f["bold"])
        sheet.write_number(row, 5, sums["participants"], f["bold"])
        for col, key in enumerate(["fee", "components", "adjustments", "total"], start=6):
            sheet.write_number(row, col, number(sums[key]), f["money_bold"])
        for col, code in enumerate(codes, start=10):
            sheet.write_number(row, col, number(code_sums[code]), f["money_bold"])
        workbook.close()
    return f"KOV-koond-{month:%Y-%m}.xlsx"
