"""The monthly SKA cost report (KOV_Teenuskomponentide andmekogu) and the all-KOV XLSX."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum
from django.urls import reverse

from accounts.models import AccessLog
from billing.models import Delivery, Invoice, InvoiceLine
from billing.services import submit_invoice
from reporting import services
from reporting.models import ReportJob
from tests.reporting.month_world import MONTH, close, closed_month, record_month
from tests.reporting.readers import cents, rows, workbook

pytestmark = pytest.mark.django_db
TALLINN = ZoneInfo("Europe/Tallinn")


@pytest.fixture
def month(kov_a, coordinator_a, django_capture_on_commit_callbacks):
    return closed_month(kov_a, coordinator_a, django_capture_on_commit_callbacks)


def _current(kind, municipality, month=MONTH):
    return ReportJob.objects.get(kind=kind, municipality=municipality, month=month, is_current=True)


def test_closing_a_month_generates_its_cost_report_and_invoice_by_itself(month, kov_a):
    job = _current("cost_report", kov_a)
    assert job.status == ReportJob.Status.DONE
    assert job.requested_by is None
    assert job.filename == f"KOV_Teenuskomponentide_andmekogu-{kov_a.code}-2026-04.xlsx"
    assert _current("invoice_pdf", kov_a).status == ReportJob.Status.DONE


def test_the_grand_total_equals_the_invoices_component_total_to_the_cent(month, kov_a):
    book = workbook(_current("cost_report", kov_a))
    data = rows(book.worksheets[1])
    assert data[-1][0] == "Kõik kokku"
    assert cents(data[-1][10]) == month.invoice.components_total
    assert month.invoice.components_total == Decimal("16.33") * 2 + Decimal("22.50") + Decimal(
        "25.00"
    ) + Decimal("28.58")


def test_each_person_has_rows_per_component_and_a_subtotal(month, kov_a):
    data = rows(workbook(_current("cost_report", kov_a)).worksheets[1])
    assert data[0][:4] == ("Isikukood", "Perekonnanimi", "Eesnimi", "Juhtumi number")
    first = [r for r in data if r[1] == "Ärmpalu"]
    assert [(r[4], r[6], cents(r[7]), r[8], r[9], cents(r[10])) for r in first] == [
        (
            "B1",
            month.world.provider.name,
            Decimal("49.00"),
            2,
            pytest.approx(0.6667),
            Decimal("32.66"),
        ),
        ("L23", month.world.provider.name, Decimal("30.00"), 1, 0.75, Decimal("22.50")),
    ]
    assert first[0][0] == month.world.case.person.isikukood
    subtotal = data[data.index(first[-1]) + 1]
    assert subtotal[0] == "Isik kokku" and cents(subtotal[10]) == Decimal("55.16")
    # Persons in name order: Ärmpalu before Zõbrova (Estonian alphabet: Š, Z, Ž, T, …, Õ, Ä).
    names = [r[1] for r in data[1:-1] if r[1]]
    assert set(names) == {"Ärmpalu", "Zõbrova"}
    per_person = Delivery.objects.filter(case=month.world.other_case).aggregate(s=Sum("amount"))[
        "s"
    ]
    other_subtotal = [r for r in data if r[0] == "Isik kokku"]
    assert {cents(r[10]) for r in other_subtotal} == {Decimal("55.16"), per_person}


def test_the_summary_has_the_fee_the_invoice_number_and_the_component_totals(month, kov_a):
    summary = rows(workbook(_current("cost_report", kov_a)).worksheets[0])
    facts = {r[0]: r[1] for r in summary if r[0]}
    invoice = month.invoice
    assert facts["Arve number"] == invoice.number
    assert (
        cents(facts["Juhtumikorralduse tasu"]) == invoice.case_management_fee == Decimal("5000.00")
    )
    assert cents(facts["Arve kokku"]) == invoice.total
    component_lines = {
        line.component.code: line.amount
        for line in invoice.lines.filter(kind=InvoiceLine.Kind.COMPONENT).select_related(
            "component"
        )
    }
    table = {r[0]: cents(r[4]) for r in summary if r[0] in component_lines}
    assert table == component_lines
    assert (
        cents([r for r in summary if r[0] == "Komponendid kokku"][-1][4])
        == invoice.components_total
    )


def test_a_month_that_is_not_closed_fails_with_a_readable_error(
    kov_a, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(
            kind="cost_report", by=coordinator_a, municipality=kov_a, month=MONTH
        )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error == "Alfa vald kuu 04.2026 ei ole veel suletud; sulgege see kõigepealt."


def test_the_report_can_be_generated_again_on_demand_keeping_the_first_as_history(
    month, kov_a, ska_user, django_capture_on_commit_callbacks
):
    first = _current("cost_report", kov_a)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.request_report(
            kind="cost_report", by=ska_user, municipality=kov_a, month=MONTH
        )
    again.refresh_from_db()
    first.refresh_from_db()
    assert again.is_current and not first.is_current
    assert again.checksum and again.requested_by == ska_user


def test_reopening_and_closing_again_reports_the_new_invoice_version(
    month, kov_a, coordinator_a, django_capture_on_commit_callbacks
):
    from billing import services as billing

    billing.reopen_month(municipality=kov_a, month=MONTH, by=coordinator_a)
    second = close(month.world, coordinator_a, django_capture_on_commit_callbacks)
    summary = rows(workbook(_current("cost_report", kov_a)).worksheets[0])
    assert second.version == 2
    assert {r[0]: r[1] for r in summary if r[0]}["Arve number"] == second.number


def test_the_consolidated_xlsx_lists_every_municipality_with_its_invoice(
    month, kov_a, kov_b, coordinator_a, ska_user, django_capture_on_commit_callbacks
):
    submit_invoice(
        invoice=month.invoice, by=coordinator_a, now=datetime(2026, 5, 8, 9, tzinfo=TALLINN)
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(kind="all_kov_costs", by=ska_user, month=MONTH)
    job.refresh_from_db()
    assert job.municipality is None and job.status == ReportJob.Status.DONE
    data = rows(workbook(job).worksheets[0])
    by_code = {r[0]: r for r in data[1:] if r[0]}
    invoice = Invoice.objects.get(pk=month.invoice.pk)
    assert by_code[kov_a.code][2] == "esitatud tähtaegselt"
    assert by_code[kov_a.code][3] == invoice.number
    assert cents(by_code[kov_a.code][9]) == invoice.total
    assert by_code[kov_b.code][2] == "avatud" and by_code[kov_b.code][3] is None
    total = data[-1]
    assert total[1] == "Kokku" and cents(total[7]) == invoice.components_total
    assert set(data[0][10:]) == {"B1", "L23"}


def test_the_consolidated_report_needs_a_month_and_is_for_ska(kov_a, coordinator_a, ska_user):
    with pytest.raises(services.ReportingError):
        services.request_report(kind="all_kov_costs", by=ska_user, month=None)
    with pytest.raises(services.ReportingError):
        services.request_report(kind="all_kov_costs", by=ska_user, municipality=kov_a, month=MONTH)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.request_report(kind="all_kov_costs", by=coordinator_a, month=MONTH)


def test_record_month_is_reusable_for_other_worlds(kov_b, coordinator_b):
    from tests.billing.factories import build_world

    world = build_world(kov_b)
    record_month(world, coordinator_b)
    assert Delivery.objects.filter(municipality=kov_b).count() == 5


def test_a_returned_month_reopened_for_corrections_has_no_cost_report_until_closed_again(
    month, kov_a, coordinator_a, ska_user, django_capture_on_commit_callbacks
):
    from billing import services as billing

    invoice = submit_invoice(
        invoice=month.invoice, by=coordinator_a, now=datetime(2026, 5, 8, 9, tzinfo=TALLINN)
    )
    billing.review_invoice(invoice=invoice, by=ska_user, accept=False, remarks="Paranda B1")
    billing.reopen_month(municipality=kov_a, month=MONTH, by=coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(
            kind="cost_report", by=ska_user, municipality=kov_a, month=MONTH
        )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and "ei ole veel suletud" in job.error


def test_skas_download_of_the_cost_report_is_logged_but_not_the_invoices(
    client, month, kov_a, ska_user
):
    cost_report, invoice_pdf = _current("cost_report", kov_a), _current("invoice_pdf", kov_a)
    client.force_login(ska_user)
    for job in (cost_report, invoice_pdf):
        assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.municipality, entry.subject, entry.action) == (
        ska_user,
        kov_a,
        cost_report,
        AccessLog.Action.DOWNLOAD,
    )
