"""The funding agreement and its interim evaluations: the coordinator keeps them on their own
pages (with history), SKA reads them, and the close invoices the fee they decide."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from billing import services
from billing.models import BillingMonth, FundingAgreement, InterimEvaluation, Invoice
from tests.billing.factories import FundingAgreementFactory, build_world

pytestmark = pytest.mark.django_db

AGREEMENT = {
    "number": "SKA-2026/7", "start_date": "2026-01-01", "end_date": "", "planned_places": "20",
    "monthly_fee": "6 000,00", "maximum_amount": "400 000,00", "street_address": "Keskväljak 1",
    "postal_code": "61234", "city": "Alfa", "iban": "EE38 2200 2210 2014 5685", "reference_number": "1234561",
    "contact_name": "Kati Alfa", "contact_email": "kati@alfa.invalid", "contact_phone": "+372 5555 5555",
}


@pytest.fixture(autouse=True)
def estonian():
    with translation.override("et"):
        yield


def test_the_coordinator_enters_the_agreement_and_an_evaluation_and_sees_the_history(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.post("/billing/funding/add/", AGREEMENT, HTTP_ACCEPT_LANGUAGE="et")
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = FundingAgreement.objects.get()
    assert agreement.municipality == coordinator_a.municipality
    assert agreement.monthly_fee == Decimal("6000.00") and agreement.iban == "EE382200221020145685"
    response = client.post(
        f"/billing/funding/{agreement.pk}/evaluations/add/",
        {"date": "2026-04-30", "participants": "17", "decided_fee": "", "note": "I etapi lõpp"},
    )
    assert response.status_code == 302
    evaluation = InterimEvaluation.objects.get()
    client.post(
        f"/billing/funding/evaluations/{evaluation.pk}/edit/",
        {"date": "2026-04-30", "participants": "18", "decided_fee": "", "note": "parandatud"},
    )
    page = client.get(f"/billing/funding/{agreement.pk}/").content.decode()
    assert "SKA-2026/7" in page and "EE382200221020145685" in page
    assert "Loendatud osalejad: 17 → 18" in page


def test_a_bad_iban_or_reference_number_is_refused_in_estonian_and_nothing_is_saved(client, coordinator_a):
    client.force_login(coordinator_a)
    bad = {**AGREEMENT, "iban": "EE382200221020145686", "reference_number": "1234562"}
    page = client.post("/billing/funding/add/", bad).content.decode()
    assert "ei ole korrektne IBAN" in page
    assert "ei ole korrektne viitenumber" in page
    assert not FundingAgreement.objects.exists()


def test_ska_reads_every_agreement_but_cannot_change_one(client, ska_user, kov_a, kov_b):
    a = FundingAgreementFactory(municipality=kov_a, number="A-1")
    FundingAgreementFactory(municipality=kov_b, number="B-1")
    client.force_login(ska_user)
    listing = client.get("/billing/funding/").content.decode()
    assert "A-1" in listing and "B-1" in listing
    detail = client.get(f"/billing/funding/{a.pk}/").content.decode()
    assert "A-1" in detail and f"/billing/funding/{a.pk}/edit/" not in detail
    assert client.get(f"/billing/funding/{a.pk}/edit/").status_code == 403


def test_the_close_invoices_the_fee_the_evaluation_decides_and_says_why(kov_a, coordinator_a):
    world = build_world(kov_a)
    InterimEvaluation.objects.create(agreement=world.agreement, date=date(2026, 4, 30), participants=9)
    services.record_deliveries(drafts=[world.draft(date=date(2026, 5, 6))], by=coordinator_a)
    invoice = services.close_month(municipality=kov_a, month=date(2026, 5, 1), by=coordinator_a, today=date(2026, 6, 2))
    assert invoice.case_management_fee == Decimal("5000.00")  # 9 of 10 = 90 %: F
    assert "vähemalt 90 %" in invoice.fee_basis and "30.04.2026" in invoice.fee_basis
    assert invoice.seller["name"] == kov_a.name
    assert invoice.buyer == {
        "name": "Sotsiaalkindlustusamet", "registry_code": "70001975", "street_address": "Paldiski mnt 80",
        "postal_code": "15092", "city": "Tallinn", "country_code": "EE",
    }


def test_a_refused_close_writes_nothing_not_even_the_months_row(kov_a, coordinator_a):
    build_world(kov_a)  # stage I ends 30.04.2026 and there is no interim evaluation
    with pytest.raises(services.BillingError, match="vahehindamine"):
        services.close_month(municipality=kov_a, month=date(2026, 5, 1), by=coordinator_a, today=date(2026, 6, 2))
    assert not BillingMonth.objects.exists()


def test_a_refused_close_leaves_the_months_row_as_it_was(kov_a, coordinator_a):
    """Recording a session holds its month's row (billing.locks); a refused close changes it not."""
    world = build_world(kov_a)
    services.record_deliveries(drafts=[world.draft(date=date(2026, 5, 6))], by=coordinator_a)
    before = list(BillingMonth.objects.values())
    with pytest.raises(services.BillingError, match="vahehindamine"):
        services.close_month(municipality=kov_a, month=date(2026, 5, 1), by=coordinator_a, today=date(2026, 6, 2))
    assert list(BillingMonth.objects.values()) == before
    assert not Invoice.objects.exists()


def test_the_invoices_participants_equal_the_month_end_pages(client, kov_a, coordinator_a):
    """Participants are the persons taking part in the month (the fill-rate figure), not only
    those with a session: here two took part and one had sessions."""
    world = build_world(kov_a)
    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    invoice = services.close_month(municipality=kov_a, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4))
    client.force_login(coordinator_a)
    page = client.get("/billing/month-end/closing/?month=2026-04")
    shown = page.context["participants_in_month"]
    assert invoice.participants == shown == 2
    dashboard = client.get("/billing/month-end/dashboard/?month=2026-04")
    assert dashboard.context["charts"]["fill_rows"][-1]["participants"] == shown
    assert f'data-testid="participants-in-month">{shown}<' in page.content.decode()


def test_the_month_end_page_says_what_the_invoices_would_lack(client, kov_a, coordinator_a):
    agreement = FundingAgreementFactory(municipality=kov_a, iban="", street_address="")
    client.force_login(coordinator_a)
    page = client.get("/billing/month-end/dashboard/?month=2026-04").content.decode()
    gaps = page.split('data-testid="invoicing-gaps">')[1].split("</p>")[0]
    submission = client.get("/billing/month-end/submission/?month=2026-04").content.decode()
    assert gaps.split(".")[0] in submission.split('data-testid="invoicing-gaps">')[1]
    assert "registrikood" in gaps and "aadress" in gaps and "arvelduskonto (IBAN)" in gaps
    assert f"/billing/funding/{agreement.pk}/edit/" in gaps
    kov_a.registry_code = "75000006"
    kov_a.save(update_fields=["registry_code"])
    FundingAgreement.objects.filter(pk=agreement.pk).update(iban="EE382200221020145685", street_address="Keskväljak 1")
    for step in ("dashboard", "submission"):
        assert 'data-testid="invoicing-gaps"' not in client.get(f"/billing/month-end/{step}/?month=2026-04").content.decode()
