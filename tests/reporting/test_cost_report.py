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
from reporting.kinds.cost_report import DATA_COLUMNS
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


def _sheet(book, name):
    data = rows(book[name])
    return [dict(zip(data[0], r, strict=True)) for r in data[1:]]


def test_the_data_sheet_sums_to_the_invoices_component_total_to_the_cent(month, kov_a):
    book = workbook(_current("cost_report", kov_a))
    assert book.sheetnames == ["Kokkuvõte", "Andmed", "Komponendid", "Isikud"]
    data = _sheet(book, "Andmed")
    assert sum(cents(r["summa"]) for r in data) == month.invoice.components_total
    assert month.invoice.components_total == Decimal("16.33") * 2 + Decimal("22.50") + Decimal(
        "25.00"
    ) + Decimal("28.58")


def test_the_data_sheet_is_flat_with_stable_columns_form_provider_code_and_relative(month, kov_a):
    data = _sheet(workbook(_current("cost_report", kov_a)), "Andmed")
    assert list(data[0]) == [name for name, _width in DATA_COLUMNS]
    assert all(r["isikukood"] and r["komponendi_kood"] for r in data), "no subtotal rows"
    first = [r for r in data if r["perekonnanimi"] == "Ärmpalu"]
    provider = month.world.provider
    assert [
        (r["komponendi_kood"], r["vorm"], r["osutaja"], r["osutaja_registrikood"], r["lahedasele"],
         cents(r["uhikuhind"]), r["kordi"], r["tunnid"], cents(r["summa"]))
        for r in first
    ] == [
        ("B1", "I", provider.name, provider.registry_code, "ei", Decimal("49.00"), 2, pytest.approx(0.6667),
         Decimal("32.66")),
        ("L23", "I", provider.name, provider.registry_code, "ei", Decimal("30.00"), 1, 0.75, Decimal("22.50")),
    ]
    assert first[0]["isikukood"] == month.world.case.person.isikukood
    assert {r["kov_kood"] for r in data} == {kov_a.code} and {r["kuu"] for r in data} == {"2026-04"}
    # Persons in name order: Ärmpalu before Zõbrova (Estonian alphabet: Š, Z, Ž, T, …, Õ, Ä).
    assert [r["perekonnanimi"] for r in data][-1] == "Ärmpalu"


def test_a_session_a_relative_received_is_its_own_row(kov_a, coordinator_a, django_capture_on_commit_callbacks):
    from tests.billing.factories import build_world

    world = build_world(kov_a)
    record_month(world, coordinator_a)
    Delivery.objects.filter(case=world.other_case, component__code="L23").update(recipient_name="Ema")
    close(world, coordinator_a, django_capture_on_commit_callbacks)
    data = _sheet(workbook(_current("cost_report", kov_a)), "Andmed")
    relative = [r for r in data if r["lahedasele"] == "jah"]
    assert [(r["perekonnanimi"], r["komponendi_kood"]) for r in relative] == [("Zõbrova", "L23")]


def test_the_summaries_have_sheets_of_their_own(month, kov_a):
    book = workbook(_current("cost_report", kov_a))
    summary = rows(book["Kokkuvõte"])
    facts = {r[0]: r[1] for r in summary if r[0]}
    invoice = month.invoice
    assert facts["Arve number"] == invoice.number
    assert cents(facts["Juhtumikorralduse tasu"]) == invoice.case_management_fee == Decimal("5000.00")
    assert cents(facts["Arve kokku"]) == invoice.total
    component_lines = {
        line.component.code: line.amount
        for line in invoice.lines.filter(kind=InvoiceLine.Kind.COMPONENT).select_related("component")
    }
    by_component = {r["komponendi_kood"]: cents(r["summa"]) for r in _sheet(book, "Komponendid")}
    assert by_component.pop("Komponendid kokku") == invoice.components_total
    assert by_component == component_lines
    persons = _sheet(book, "Isikud")
    assert {r["perekonnanimi"]: cents(r["summa"]) for r in persons[:-1]} == {
        "Ärmpalu": Decimal("55.16"),
        "Zõbrova": Delivery.objects.filter(case=month.world.other_case).aggregate(s=Sum("amount"))["s"],
    }
    assert cents(persons[-1]["summa"]) == invoice.components_total


def test_the_case_manager_may_download_their_kovs_report(month, kov_a, case_manager_a, client):
    client.force_login(case_manager_a)
    assert client.get(reverse("reporting:download", args=[_current("cost_report", kov_a).pk])).status_code == 200


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
    book = workbook(job)
    data = rows(book.worksheets[0])
    by_code = {r[0]: r for r in data[1:] if r[0]}
    invoice = Invoice.objects.get(pk=month.invoice.pk)
    assert by_code[kov_a.code][2] == "esitatud tähtaegselt"
    assert by_code[kov_a.code][3] == invoice.number
    assert cents(by_code[kov_a.code][9]) == invoice.total
    assert by_code[kov_b.code][2] == "avatud" and by_code[kov_b.code][3] is None
    total = next(r for r in data if r[1] == "Kokku")
    assert cents(total[7]) == invoice.components_total
    assert data[-1][1].startswith("Arvesse on võetud ainult esitatud ja aktsepteeritud arved")
    assert list(data[0][10:]) == ["B1", "L23"]
    lines = _sheet(book, "Andmed")
    assert sum(cents(r["summa"]) for r in lines) == invoice.total
    assert {r["rea_liik"] for r in lines} == {"tasu", "komponent"}
    assert {r["kov_kood"] for r in lines} == {kov_a.code}
    fee = next(r for r in lines if r["rea_liik"] == "tasu")  # no component: the line's own words
    assert (fee["komponendi_kood"], fee["komponent"]) in {(None, "Juhtumikorralduse tasu"), ("", "Juhtumikorralduse tasu")}
    assert {r["komponendi_kood"] for r in lines if r["rea_liik"] == "komponent"} == {"B1", "L23"}


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
