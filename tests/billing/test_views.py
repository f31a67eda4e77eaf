"""The pages: the provider's week grid, the coordinator's month end, import, admin and SKA."""

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from billing import services
from billing.models import Delivery, Invoice
from tests.billing.factories import build_world
from tests.providers.factories import ContractFactory, ProviderFactory, SpecialistFactory, component

pytestmark = pytest.mark.django_db
MAY = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def world(kov_a, provider_user):
    return build_world(kov_a, provider_user=provider_user)


def test_the_week_grid_lists_the_providers_plan_lines_and_records_a_week(client, world, provider_user):
    client.force_login(provider_user)
    page = client.get("/billing/attendance/?week=2026-04-06")
    assert page.status_code == 200
    grid = page.content.decode()
    assert str(world.case.person) in grid and "L23" in grid
    line = world.case.plans.first().lines.get(component__code="L23")
    data = {"week": "2026-04-06", f"c-{line.pk}-2026-04-06": "60", f"c-{line.pk}-2026-04-08": "45"}
    response = client.post("/billing/attendance/", data)
    assert response.status_code == 302
    assert sorted(Delivery.objects.values_list("minutes", flat=True)) == [45, 60]
    assert set(Delivery.objects.values_list("specialist", flat=True)) == {world.specialist.pk}


def test_one_bad_cell_of_the_week_grid_saves_nothing(client, world, provider_user):
    client.force_login(provider_user)
    line = world.case.plans.first().lines.get(component__code="L23")
    data = {"week": "2026-01-12", f"c-{line.pk}-2026-01-12": "60", f"c-{line.pk}-2026-01-14": "-30"}
    response = client.post("/billing/attendance/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "is-invalid" in page
    assert "„-30“ ei ole täisarv minuteid vahemikus 1 kuni 480 (üks tööpäev)." in page
    assert not Delivery.objects.exists()


def test_the_week_grid_offers_cells_only_where_the_person_participates_and_a_line_is_in_force(
    client, world, provider_user
):
    plan = world.case.plans.first()
    type(plan).objects.filter(pk=plan.pk).update(valid_to=date(2026, 4, 8))
    type(world.other_case).objects.filter(pk=world.other_case.pk).update(exit_date=date(2026, 4, 7), state="exited")
    line = plan.lines.get(component__code="L23")
    other = world.other_case.plans.first().lines.get(component__code="L23")
    client.force_login(provider_user)
    page = client.get("/billing/attendance/?week=2026-04-06").content.decode()
    assert f'name="c-{line.pk}-2026-04-08"' in page
    assert f'name="c-{line.pk}-2026-04-09"' not in page
    assert f'name="c-{other.pk}-2026-04-07"' in page
    assert f'name="c-{other.pk}-2026-04-08"' not in page
    response = client.post("/billing/attendance/", {"week": "2026-04-06", f"c-{line.pk}-2026-04-09": "60"})
    assert response.status_code == 200  # a cell the grid does not offer is not read: nothing to save
    assert "Minuteid ei sisestatud" in response.content.decode()
    assert not Delivery.objects.exists()


def test_the_week_grid_is_paged(client, world, provider_user, settings):
    settings.GRID_LINES_PER_PAGE = 2
    client.force_login(provider_user)
    first = client.get("/billing/attendance/?week=2026-04-06").content.decode()
    second = client.get("/billing/attendance/?week=2026-04-06&page=2").content.decode()
    assert first.count('data-testid="grid-line"') == 2
    assert second.count('data-testid="grid-line"') == 2
    assert "page=2" in first


def test_a_provider_sees_and_edits_only_its_own_deliveries(client, world, provider_user, coordinator_a):
    other_contract = ContractFactory(municipality=world.kov, provider=ProviderFactory())
    from tests.providers.factories import ContractPriceFactory

    ContractPriceFactory(contract=other_contract, component=component("L23"))
    stranger = SpecialistFactory(provider=other_contract.provider)
    theirs = services.record_deliveries(
        drafts=[world.draft(provider=other_contract.provider, specialist=stranger)], by=coordinator_a
    )[0]
    ours = services.record_deliveries(drafts=[world.draft(start_time=None, minutes=30)], by=coordinator_a)[0]
    client.force_login(provider_user)
    listing = client.get("/billing/deliveries/?month=2026-04").content.decode()
    assert f"/billing/deliveries/{ours.pk}/edit/" in listing
    assert f"/billing/deliveries/{theirs.pk}/edit/" not in listing
    assert client.get(f"/billing/deliveries/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/billing/deliveries/{theirs.pk}/delete/").status_code == 404
    assert Delivery.objects.filter(pk=theirs.pk).exists()


def test_the_coordinator_closes_a_month_from_the_month_end_page(client, world, coordinator_a):
    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    client.force_login(coordinator_a)
    with time_machine.travel(MAY):
        overview = client.get("/billing/month-end/").content.decode()
        assert 'data-testid="step-close" data-state="current"' in overview
        page = client.get("/billing/month-end/closing/").content.decode()
        assert "L23" in page and "30,00" in page and 'data-confirm="' in page
        response = client.post("/billing/month-end/close/", {"month": "2026-04"})
    invoice = Invoice.objects.get()
    assert response["Location"] == f"/billing/invoices/{invoice.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "12.05.2026" in detail and "5\xa0030,00" in detail


def test_the_import_page_lists_the_bad_rows_and_saves_nothing(client, world, coordinator_a):
    code = world.case.person.isikukood
    reg = world.provider.registry_code
    content = (
        "isikukood;kuupaev;komponent;teenuseosutaja;minutid;vorm;spetsialist;saaja\n"
        f"{code};06.04.2026;L23;{reg};60;I;Pille Pakkuja;\n"
        f"{code};07.04.2026;L23;{reg};abc;I;Pille Pakkuja;\n"
    ).encode()
    client.force_login(coordinator_a)
    response = client.post(
        "/billing/import/",
        {"municipality": world.kov.pk, "file": SimpleUploadedFile("a.csv", content, "text/csv")},
    )
    assert response.status_code == 200
    assert 'data-testid="import-errors"' in response.content.decode()
    assert ">Rida 3:" in response.content.decode() or "Line 3" in response.content.decode()
    assert not Delivery.objects.exists()


def test_the_admin_cannot_delete_a_delivery_of_a_locked_month_and_is_told_why(client, world, coordinator_a, admin_user):
    delivery = services.record_deliveries(drafts=[world.draft()], by=coordinator_a)[0]
    services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4))
    client.force_login(admin_user)
    response = client.post(f"/admin/billing/delivery/{delivery.pk}/delete/", {"post": "yes"}, follow=True)
    assert Delivery.objects.filter(pk=delivery.pk).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any("04.2026" in m for m in messages), messages


def test_ska_reviews_a_submitted_invoice_and_sees_the_consistency_check(client, world, coordinator_a, ska_user):
    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    invoice = services.close_month(
        municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4)
    )
    client.force_login(ska_user)
    assert client.get("/billing/invoices/").content.decode().count(invoice.number) == 0  # not yet submitted
    services.submit_invoice(invoice=invoice, by=coordinator_a)
    page = client.get(f"/billing/invoices/{invoice.pk}/").content.decode()
    assert page.count("✔") == 4
    client.post(f"/billing/invoices/{invoice.pk}/review/", {"decision": "return", "remarks": "Vale summa"})
    invoice.refresh_from_db()
    assert (invoice.state, invoice.remarks) == (Invoice.State.RETURNED, "Vale summa")


def test_returning_an_invoice_without_remarks_keeps_the_choice_and_marks_the_field(
    client, world, coordinator_a, ska_user
):
    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    invoice = services.close_month(
        municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4)
    )
    services.submit_invoice(invoice=invoice, by=coordinator_a)
    client.force_login(ska_user)

    response = client.post(f"/billing/invoices/{invoice.pk}/review/", {"decision": "return", "remarks": " "})

    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'<input[^>]*value="return"[^>]*checked', page), "the chosen decision was lost"
    remarks = re.search(r'<textarea[^>]*name="remarks"[^>]*>', page)[0]
    assert 'aria-invalid="true"' in remarks and "is-invalid" in remarks
    assert page.count("Kirjutage märkused: mida peab omavalitsus parandama?") == 2  # summary and field
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.SUBMITTED


def test_the_invoice_page_links_its_pdf_and_xlsx(client, world, coordinator_a, django_capture_on_commit_callbacks):
    from reporting.models import ReportJob

    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.close_month(
            municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4)
        )
    client.force_login(coordinator_a)
    page = client.get(f"/billing/invoices/{invoice.pk}/").content.decode()
    files = page.split('id="invoice-files"')[1].split("</section>")[0]
    for kind in ("invoice_pdf", "cost_report"):
        job = ReportJob.objects.get(kind=kind, municipality=world.kov, month=date(2026, 4, 1), is_current=True)
        assert f'href="{reverse("reporting:download", args=[job.pk])}"' in files, kind
    assert files.index("invoice_pdf") < files.index("cost_report")
    # every download link of the page answers with its file's type
    types = {
        "application/pdf": re.search(r'data-testid="report-invoice_pdf".*?href="([^"]+/download/)"', files, re.S)[1],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
            re.search(r'data-testid="report-cost_report".*?href="([^"]+/download/)"', files, re.S)[1],
        "application/xml": re.search(r'href="([^"]+)" data-testid="einvoice"', page)[1],
    }
    for content_type, link in types.items():
        response = client.get(link)
        assert (response.status_code, response["Content-Type"]) == (200, content_type), link
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body.startswith({"application/pdf": b"%PDF", "application/xml": b"<?xml"}.get(content_type, b"PK"))


def test_the_contract_page_shows_what_billing_has_invoiced(client, world, coordinator_a):
    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    invoice = services.close_month(
        municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4)
    )
    client.force_login(coordinator_a)
    assert client.get(f"/providers/contracts/{world.contract.pk}/").context["used"] == 0  # not submitted yet
    services.submit_invoice(invoice=invoice, by=coordinator_a)
    response = client.get(f"/providers/contracts/{world.contract.pk}/")
    assert response.context["used"] == 30


def test_close_month_command_prints_the_invoice_or_the_reasons(world, coordinator_a, capsys):
    from django.core.management import CommandError, call_command

    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    with time_machine.travel(MAY):
        call_command("close_month", world.kov.code, "2026-04")
        assert capsys.readouterr().out.split() == [f"{world.kov.code}-202604-1", "12.05.2026", "5030.00"]
        with pytest.raises(CommandError, match="already closed"):
            call_command("close_month", world.kov.code, "2026-04")


def test_kov_staff_record_a_group_session_from_a_paper_sheet(client, world, case_manager_a):
    client.force_login(case_manager_a)
    data = {
        "case": world.case.pk, "participants": [world.other_case.pk], "component": component("L23").pk,
        "provider": world.provider.pk, "specialist": world.specialist.pk, "date": "2026-04-09",
        "start_time": "14:00", "minutes": "90", "form": "G", "recipient_name": "", "note": "Paberleht",
    }
    response = client.post("/billing/deliveries/add/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    group = Delivery.objects.order_by("case_id")
    assert [d.case_id for d in group] == sorted([world.case.pk, world.other_case.pk])
    assert len({d.session_key for d in group}) == 1
    assert [d.amount for d in group] == [18, 18]
    # The same specialist at the same time again is refused on the form, and nothing is saved.
    response = client.post("/billing/deliveries/add/", {**data, "participants": [], "form": "I", "start_time": "15:00"})
    assert response.status_code == 200
    assert Delivery.objects.count() == 2


def test_checking_again_finds_a_price_that_disappeared(world, coordinator_a):
    delivery = services.record_deliveries(drafts=[world.draft()], by=coordinator_a)[0]
    world.contract.prices.filter(component__code="L23").delete()
    assert services.recheck_month(municipality=world.kov, month=date(2026, 4, 1)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.amount) == ("error", None)
    from billing.rules import month_blockers

    assert len(month_blockers(world.kov, date(2026, 4, 1))) == 2  # an error and no price


def test_the_month_end_page_warns_at_90_percent_of_a_contracts_maximum(client, world, coordinator_a):
    world.contract.maximum_amount = 32
    world.contract.save()
    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    invoice = services.close_month(
        municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4)
    )
    services.submit_invoice(invoice=invoice, by=coordinator_a)  # maximum amounts count what SKA counts
    client.force_login(coordinator_a)
    with time_machine.travel(MAY):
        response = client.get("/billing/month-end/dashboard/?month=2026-04")
    row = next(c for c in response.context["contracts"] if c["contract"] == world.contract)
    assert (row["used"], row["remaining"], row["warning"]) == (30, 2, True)
    assert "table-danger" in response.content.decode()
    dashboard = response.context["dashboard"]
    assert dashboard["participants"] == 2 and dashboard["fill_rate"] == 20
    assert dashboard["usage"]["used"] == 5030


def test_the_admin_records_no_sessions_past_the_rules(client, world, coordinator_a, admin_user):
    """Sessions are added and changed only where the rule catalogue decides; the admin views them."""
    delivery = services.record_deliveries(drafts=[world.draft()], by=coordinator_a)[0]
    client.force_login(admin_user)
    assert client.get("/admin/billing/delivery/add/").status_code == 403
    response = client.post(f"/admin/billing/delivery/{delivery.pk}/change/", {"minutes": "600", "amount": "1"})
    assert response.status_code == 403
    assert client.get(f"/admin/billing/delivery/{delivery.pk}/change/").status_code == 200
    delivery.refresh_from_db()
    assert (delivery.minutes, delivery.amount) == (60, Decimal("30.00"))
