"""The consolidated invoice as an e-invoice: a UBL 2.1 document following Peppol BIS Billing
3.0 (EN 16931), so the KOV's and SKA's finance systems read it without retyping.

- An invoice whose total is zero or more is a UBL ``Invoice`` (type 380); one whose total is
  negative (adjustments larger than the month) is a ``CreditNote`` (type 381) with every
  amount's sign turned, so that it credits SKA the difference.
- Every invoice line (the fee, each component, each adjustment of an earlier month) is one
  line of quantity 1 (or -1 for a negative amount) at the line's amount: the component
  lines are sums of per-delivery rounded amounts, which no quantity × price reproduces.
  Sessions, hours and an adjustment's original month go in the line's note.
- VAT category ``O`` (outside the scope of VAT, exemption reason code ``VATEX-EU-O``):
  the KOV invoices SKA for a public task it carries out under the funding agreement,
  not as a taxable person (docs/month-end.md says why).
- Seller and buyer come from the invoice's own snapshot (the funding agreement's details
  and the payer reference data at the close); their electronic address and legal
  registration use scheme ``0191`` (the Estonian business register code)."""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree as ET

from django.utils import translation
from django.utils.translation import gettext as _

from .models import Invoice, InvoiceLine

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
ESTONIAN_REGISTER = "0191"
CURRENCY = "EUR"
VAT_CATEGORY = "O"
VAT_EXEMPTION_CODE = "VATEX-EU-O"
VAT_EXEMPTION_TEXT = "Not subject to VAT"
SEPA_CREDIT_TRANSFER = "58"

NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
ET.register_namespace("cac", NS["cac"])
ET.register_namespace("cbc", NS["cbc"])


def _cbc(parent, name: str, text=None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS['cbc']}}}{name}", attrs)
    if text is not None:
        element.text = str(text)
    return element


def _cac(parent, name: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS['cac']}}}{name}")


def _amount(parent, name: str, value: Decimal) -> None:
    _cbc(parent, name, f"{value:.2f}", currencyID=CURRENCY)


def is_credit_note(invoice: Invoice) -> bool:
    return invoice.total < 0


def filename(invoice: Invoice) -> str:
    kind = "kreeditarve" if is_credit_note(invoice) else "e-arve"
    return f"{kind}-{invoice.number}.xml"


def _party(parent, role: str, party: dict, *, seller: bool) -> None:
    party_element = _cac(_cac(parent, role), "Party")
    registry_code = party.get("registry_code") or ""
    if registry_code:
        _cbc(party_element, "EndpointID", registry_code, schemeID=ESTONIAN_REGISTER)
    _cbc(_cac(party_element, "PartyName"), "Name", party["name"])
    address = _cac(party_element, "PostalAddress")
    if party.get("street_address"):
        _cbc(address, "StreetName", party["street_address"])
    if party.get("city"):
        _cbc(address, "CityName", party["city"])
    if party.get("postal_code"):
        _cbc(address, "PostalZone", party["postal_code"])
    _cbc(_cac(address, "Country"), "IdentificationCode", party.get("country_code") or "EE")
    legal = _cac(party_element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party["name"])
    if registry_code:
        _cbc(legal, "CompanyID", registry_code, schemeID=ESTONIAN_REGISTER)
    if seller and any(party.get(k) for k in ("contact_name", "contact_phone", "contact_email")):
        contact = _cac(party_element, "Contact")
        for key, name in (("contact_name", "Name"), ("contact_phone", "Telephone"), ("contact_email", "ElectronicMail")):
            if party.get(key):
                _cbc(contact, name, party[key])


def _line_note(line: InvoiceLine) -> str:
    parts = []
    if line.sessions is not None:
        parts.append(_("%(n)s sessions") % {"n": line.sessions})
    if line.hours is not None:
        parts.append(_("%(hours)s hours") % {"hours": f"{line.hours:.2f}".replace(".", ",")})
    if line.original_month is not None:
        parts.append(_("original month %(month)s") % {"month": f"{line.original_month:%m.%Y}"})
    return "; ".join(parts)


def _tax_category(parent, name: str, *, with_reason: bool) -> None:
    category = _cac(parent, name)
    _cbc(category, "ID", VAT_CATEGORY)
    if with_reason:
        _cbc(category, "TaxExemptionReasonCode", VAT_EXEMPTION_CODE)
        _cbc(category, "TaxExemptionReason", VAT_EXEMPTION_TEXT)
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def build(invoice: Invoice) -> bytes:
    """The invoice (or credit note) as UBL 2.1 XML, in Estonian."""
    with translation.override("et"):
        return _build(invoice)


def _build(invoice: Invoice) -> bytes:
    credit = is_credit_note(invoice)
    sign = -1 if credit else 1
    kind = "CreditNote" if credit else "Invoice"
    lines = list(invoice.lines.select_related("component").order_by("order", "pk"))
    ET.register_namespace("", NS[kind])  # the document's own namespace unprefixed, as usual in UBL
    root = ET.Element(f"{{{NS[kind]}}}{kind}")
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", invoice.number)
    _cbc(root, "IssueDate", (invoice.issue_date or invoice.closed_at.date()).isoformat())
    if credit:
        _cbc(root, "CreditNoteTypeCode", "381")
    else:
        _cbc(root, "DueDate", invoice.due_date.isoformat())
        _cbc(root, "InvoiceTypeCode", "380")
    if invoice.fee_basis:
        _cbc(root, "Note", invoice.fee_basis)
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    _cbc(root, "BuyerReference", invoice.seller.get("agreement_number") or invoice.number)
    period = _cac(root, "InvoicePeriod")
    _cbc(period, "StartDate", invoice.month.isoformat())
    _cbc(period, "EndDate", invoice.period_end.isoformat())
    if invoice.seller.get("agreement_number"):
        _cbc(_cac(root, "ContractDocumentReference"), "ID", invoice.seller["agreement_number"])
    _party(root, "AccountingSupplierParty", invoice.seller, seller=True)
    _party(root, "AccountingCustomerParty", invoice.buyer, seller=False)
    if invoice.seller.get("iban"):
        means = _cac(root, "PaymentMeans")
        _cbc(means, "PaymentMeansCode", SEPA_CREDIT_TRANSFER)
        _cbc(means, "PaymentID", invoice.reference_number or invoice.number)
        _cbc(_cac(means, "PayeeFinancialAccount"), "ID", invoice.seller["iban"])
    if not credit:
        _cbc(_cac(root, "PaymentTerms"), "Note", _("Due by %(date)s") % {"date": f"{invoice.due_date:%d.%m.%Y}"})
    total = invoice.total * sign
    tax_total = _cac(root, "TaxTotal")
    _amount(tax_total, "TaxAmount", Decimal("0.00"))
    subtotal = _cac(tax_total, "TaxSubtotal")
    _amount(subtotal, "TaxableAmount", total)
    _amount(subtotal, "TaxAmount", Decimal("0.00"))
    _tax_category(subtotal, "TaxCategory", with_reason=True)
    monetary = _cac(root, "LegalMonetaryTotal")
    for name in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount"):
        _amount(monetary, name, total)
    for number, line in enumerate(lines, start=1):
        amount = line.amount * sign
        element = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        _cbc(element, "ID", number)
        note = _line_note(line)
        if note:
            _cbc(element, "Note", note)
        _cbc(element, "CreditedQuantity" if credit else "InvoicedQuantity", "-1" if amount < 0 else "1", unitCode="C62")
        _amount(element, "LineExtensionAmount", amount)
        item = _cac(element, "Item")
        _cbc(item, "Name", line.description[:300])
        if line.component is not None:
            _cbc(_cac(item, "SellersItemIdentification"), "ID", line.component.code)
        _tax_category(item, "ClassifiedTaxCategory", with_reason=False)
        _amount(_cac(element, "Price"), "PriceAmount", abs(amount))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
