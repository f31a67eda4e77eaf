"""What the monthly SKA reports read from billing and assessments, and the XLSX formats they
share. Figures come from the closed month (its invoice and its locked deliveries), never
from anything a report computes on its own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from billing.models import Delivery, Invoice, MonthState
from cases.models import Case
from tugi import workdays
from tugi.money import ZERO

from .services import ReportingError

HOURS = Decimal("0.0001")
MONEY_FORMAT = "#,##0.00"


def live_invoice(municipality, month: date) -> Invoice | None:
    """The month's invoice as it stands: the newest version that was not withdrawn."""
    return (
        Invoice.objects.filter(municipality=municipality, month=month)
        .live()
        .select_related("billing_month", "closed_by")
        .order_by("-version")
        .first()
    )


def closed_invoice(municipality, month: date) -> Invoice:
    """The live invoice, or the error the user reads when the month has not been closed."""
    invoice = live_invoice(municipality, month)
    if invoice is None or not invoice.billing_month.is_locked:
        raise ReportingError(
            _("Month %(month)s of %(municipality)s has not been closed yet; close it first.")
            % {"month": f"{month:%m.%Y}", "municipality": municipality}
        )
    return invoice


def month_deliveries(municipality, month: date) -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        municipality=municipality, date__gte=month, date__lte=workdays.month_end(month)
    )


def cost_rows(municipality, month: date) -> QuerySet:
    """One row per person × component × form (I/G) × unit price × provider × whether a
    relative received it: sessions, minutes and the sum of the delivery lines (each already
    rounded to cents, as the invoice sums them); in the order of the report (person, then
    component)."""
    return (
        month_deliveries(municipality, month)
        .annotate(to_relative=ExpressionWrapper(~Q(recipient_name=""), output_field=BooleanField()))
        .values(
            "case_id",
            "case__number",
            "case__person__isikukood",
            "case__person__first_name",
            "case__person__last_name",
            "component__code",
            "component__name",
            "component__order",
            "form",
            "provider__name",
            "provider__registry_code",
            "unit_price",
            "to_relative",
        )
        .annotate(sessions=Count("pk"), minutes=Sum("minutes"), amount=Sum("amount"))
        .order_by(
            "case__person__last_name",
            "case__person__first_name",
            "case_id",
            "component__order",
            "component__code",
            "form",
            "provider__name",
            "unit_price",
            "to_relative",
        )
    )


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(HOURS)


def participating_cases(municipality, month: date, *, including_past=False) -> QuerySet[Case]:
    """Case files of ``municipality`` that took part in the service during ``month`` (with
    ``including_past``, also those that left before it)."""
    first = workdays.month_start(month)
    start = date.min if including_past else first
    cases = Case.objects.filter(municipality=municipality).participating_between(start, workdays.month_end(month))
    return cases.select_related("person").order_by("person__last_name", "person__first_name", "pk")


def month_status(billing_month, invoice) -> str:
    """The month's state in words: open, closed, submitted on time / late, returned, accepted."""
    if billing_month is None or billing_month.state == "open":
        return _("open")
    if billing_month.state == "submitted" and invoice is not None:
        if invoice.submitted_on_time:
            return _("submitted on time")
        return _("submitted late")
    # The label itself: get_state_display() translates every choice to find one (SKA's month
    # table and workbook print a state per municipality).
    return str(MonthState(billing_month.state).label)


def xlsx_formats(workbook) -> dict:
    return {
        "head": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        "bold": workbook.add_format({"bold": True}),
        "date": workbook.add_format({"num_format": "dd.mm.yyyy"}),
        "money": workbook.add_format({"num_format": MONEY_FORMAT}),
        "money_bold": workbook.add_format({"num_format": MONEY_FORMAT, "bold": True}),
        "hours": workbook.add_format({"num_format": "0.0000"}),
        "hours_bold": workbook.add_format({"num_format": "0.0000", "bold": True}),
        "decimal": workbook.add_format({"num_format": "0.00"}),
    }


def number(value) -> float:
    """A Decimal for xlsxwriter (it writes doubles; cents survive the round trip)."""
    return float(value if value is not None else ZERO)
