"""PDF documents of a closed month: the consolidated invoice (*koondarve*) and the monthly
attendance sheets (*osalemise leht*), one per person with the specialists' signature lines."""

from __future__ import annotations

from itertools import groupby

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from reporting.month_data import closed_invoice, month_deliveries
from reporting.registry import report_kind
from reporting.services import ReportingError
from tugi.documents import render_pdf
from tugi.money import ZERO


@report_kind(
    "invoice_pdf",
    label=gettext_lazy("Consolidated invoice (PDF)"),
    extension="pdf",
    roles=frozenset({Role.COORDINATOR, Role.SKA}),
    scope="municipality_month",
    personal_data=False,
)
def invoice_pdf(job, *, out, progress) -> str:
    with translation.override("et"):
        municipality, month = job.municipality, job.month
        invoice = closed_invoice(municipality, month)
        progress(20, _("Reading the invoice"))
        lines = list(invoice.lines.select_related("component").order_by("order", "pk"))
        if sum(line.amount for line in lines) != invoice.total:
            raise ReportingError(
                _("The invoice's lines do not add up to its total; tell the administrator.")
            )
        progress(50, _("Writing the PDF"))
        out.write(
            render_pdf(
                "documents/invoice.html",
                {
                    "title": _("Consolidated invoice %(number)s") % {"number": invoice.number},
                    "municipality": municipality.name,
                    "document_date": invoice.issue_date or invoice.closed_at.date(),
                    "invoice": invoice,
                    "lines": lines,
                    "adjustments_by_month": adjustments_by_month(lines),
                    "month": month,
                    "signatures": [
                        {
                            "role": _("Coordinator of the municipality"),
                            "name": invoice.closed_by.get_full_name() if invoice.closed_by else "",
                        },
                    ],
                },
            )
        )
    return f"koondarve-{invoice.number}.pdf"


def adjustments_by_month(lines) -> list[tuple]:
    """The adjustment lines summed per original month, oldest first."""
    sums: dict = {}
    for line in lines:
        if line.original_month is not None:
            sums[line.original_month] = sums.get(line.original_month, ZERO) + line.amount
    return sorted(sums.items())


def attendance_listed(job):
    """Everyone with a sheet in the month's attendance sheets."""
    from cases.models import Person

    cases = month_deliveries(job.municipality, job.month).values("case__person_id")
    return Person.objects.filter(pk__in=cases)


def _sheets(municipality, month):
    deliveries = (
        month_deliveries(municipality, month)
        .select_related("case__person", "component", "provider", "specialist")
        .order_by(
            "case__person__last_name",
            "case__person__first_name",
            "case_id",
            "date",
            "start_time",
            "pk",
        )
    )
    for _case_id, rows in groupby(deliveries.iterator(chunk_size=2000), key=lambda d: d.case_id):
        rows = list(rows)
        case = rows[0].case
        specialists = sorted({(d.specialist.name, d.provider.name) for d in rows})
        yield {
            "case": case,
            "rows": rows,
            "minutes": sum(d.minutes for d in rows),
            "signatures": [{"role": _("Person or representative"), "name": str(case.person)}]
            + [
                {"role": _("Specialist (%(provider)s)") % {"provider": provider}, "name": name}
                for name, provider in specialists
            ],
        }


@report_kind(
    "attendance_sheets",
    label=gettext_lazy("Attendance sheets of the month (PDF)"),
    extension="pdf",
    roles=frozenset({Role.CASE_MANAGER, Role.COORDINATOR}),
    scope="municipality_month",
    listed_people=attendance_listed,
)
def attendance_sheets(job, *, out, progress) -> str:
    with translation.override("et"):
        municipality, month = job.municipality, job.month
        progress(10, _("Reading attendance"))
        sheets = list(_sheets(municipality, month))
        progress(50, _("Writing the PDF"))
        out.write(
            render_pdf(
                "documents/attendance_sheets.html",
                {
                    "title": _("Attendance sheets %(month)s") % {"month": f"{month:%m.%Y}"},
                    "municipality": municipality.name,
                    "month": month,
                    "sheets": sheets,
                },
            )
        )
    return f"osalemise-lehed-{municipality.code}-{month:%Y-%m}.pdf"
