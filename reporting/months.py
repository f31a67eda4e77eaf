"""Reading for the month pages: SKA's table of municipalities × months with each month's
status and its current files, and the document rows shown on a month's or a record's page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from billing.models import BillingMonth, Invoice
from tugi import workdays

from .models import Reminder, ReportJob
from .month_data import month_status
from .registry import ReportKind
from .selectors import kinds_for, may_use_kind


@dataclass
class Cell:
    month: date
    status: str
    state: str
    invoice: Invoice | None = None
    files: list[ReportJob] = field(default_factory=list)


def month_range(last: date, count: int) -> list[date]:
    """``count`` months up to ``last``, newest first: on a phone the month that matters now
    is the one in view, not six columns to the right."""
    return [workdays.add_months(last, -n) for n in range(count)]


def month_table(user, municipalities, months: list[date]) -> list[tuple]:
    """``[(municipality, [Cell per month])]`` for the given municipalities (one page) and months."""
    kovs = list(municipalities)
    ids = [kov.pk for kov in kovs]
    states = {
        (m.municipality_id, m.month): m
        for m in BillingMonth.objects.filter(municipality__in=ids, month__in=months)
    }
    invoices = {}
    for invoice in (
        Invoice.objects.filter(municipality__in=ids, month__in=months).counted_by_ska().order_by("version")
    ):
        invoices[(invoice.municipality_id, invoice.month)] = invoice
    codes = [kind.code for kind in kinds_for(user) if kind.scope == "municipality_month"]
    files: dict[tuple, list[ReportJob]] = {}
    for job in ReportJob.objects.filter(
        municipality__in=ids, month__in=months, kind__in=codes, is_current=True
    ).order_by("kind"):
        files.setdefault((job.municipality_id, job.month), []).append(job)
    rows = []
    for kov in kovs:
        cells = []
        for month in months:
            billing_month = states.get((kov.pk, month))
            invoice = invoices.get((kov.pk, month))
            cells.append(
                Cell(
                    month=month,
                    status=month_status(billing_month, invoice),
                    state=billing_month.state if billing_month else "open",
                    invoice=invoice,
                    files=files.get((kov.pk, month), []),
                )
            )
        rows.append((kov, cells))
    return rows


def consolidated_files(months: list[date]) -> dict[date, ReportJob]:
    return {
        job.month: job
        for job in ReportJob.objects.filter(kind="all_kov_costs", month__in=months, is_current=True)
    }


# --- Document rows of a month's page and of a record's page ----------------------------------


@dataclass
class Row:
    kind: ReportKind
    current: ReportJob | None = None
    pending: ReportJob | None = None


def _fill(rows: list[Row], jobs) -> list[Row]:
    by_kind = {row.kind.code: row for row in rows}
    for job in jobs.filter(Q(is_current=True) | ~Q(status=ReportJob.Status.DONE)).order_by(
        "-created_at", "-pk"
    ):
        row = by_kind.get(job.kind)
        if row is None:
            continue
        if job.is_current and row.current is None:
            row.current = job
        elif not job.is_current and row.pending is None and row.current is None:
            row.pending = job
    return rows


def month_documents(user, municipality, month: date) -> list[Row]:
    """The municipality-month reports the user may generate, with their current file."""
    rows = [
        Row(kind)
        for kind in kinds_for(user)
        if kind.scope == "municipality_month" and may_use_kind(user, kind, municipality)
    ]
    jobs = ReportJob.objects.filter(
        municipality=municipality,
        month=workdays.month_start(month),
        kind__in=[r.kind.code for r in rows],
    )
    return _fill(rows, jobs)


def record_documents(user, record) -> list[Row]:
    """The documents about ``record`` (e.g. an assessment, a plan) the user may generate."""
    label = f"{record._meta.app_label}.{record._meta.object_name}"
    rows = [
        Row(kind)
        for kind in kinds_for(user)
        if kind.scope == "subject" and kind.subject_model == label
    ]
    jobs = ReportJob.objects.filter(
        subject_type=ContentType.objects.get_for_model(record),
        subject_id=record.pk,
        kind__in=[r.kind.code for r in rows],
    )
    return _fill(rows, jobs)


def invoice_documents(user, invoice) -> list[Row]:
    """The invoice's own files (its PDF, then the per-person cost report), of its month's documents."""
    order = ["invoice_pdf", "cost_report"]
    rows = [row for row in month_documents(user, invoice.municipality, invoice.month) if row.kind.code in order]
    return sorted(rows, key=lambda row: order.index(row.kind.code))


def recent_reminders(user) -> list:
    """The ten newest unread reminders shown at the top of the user's start page."""
    return list(unread_reminders(user)[:10])


def unread_reminders(user):
    if not (user and user.is_authenticated):
        return Reminder.objects.none()
    return Reminder.objects.filter(user=user, read_at__isnull=True)
