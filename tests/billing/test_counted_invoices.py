"""One definition of the invoices SKA counts: submitted and accepted versions only. Every SKA
figure (the spend chart, the month table, the all-KOV workbook, the maximum amounts) uses it."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from billing import selectors, services
from billing.models import Invoice
from providers.selectors import contract_usage
from reporting import services as reporting
from reporting.models import ReportJob
from reporting.months import month_table
from tests.billing.factories import build_world
from tests.reporting.month_world import MONTH, close, record_month
from tests.reporting.readers import cents, rows, workbook

pytestmark = pytest.mark.django_db
TALLINN = ZoneInfo("Europe/Tallinn")
SUBMITTED_AT = datetime(2026, 5, 8, 9, tzinfo=TALLINN)


@pytest.fixture
def three_kovs(kov_a, kov_b, coordinator_a, coordinator_b, ska_user, django_capture_on_commit_callbacks):
    """KOV A closed April but never submitted it; KOV B submitted it and SKA returned it;
    KOV C submitted it (counted)."""
    from accounts.models import Role
    from tests.factories import MunicipalityFactory, UserFactory

    capture = django_capture_on_commit_callbacks
    kov_c = MunicipalityFactory(name="Gamma vald", code="9103")
    coordinator_c = UserFactory(username="koord_c", role=Role.COORDINATOR, municipality=kov_c)
    invoices = {}
    for kov, by in ((kov_a, coordinator_a), (kov_b, coordinator_b), (kov_c, coordinator_c)):
        world = build_world(kov)
        record_month(world, by)
        invoices[kov.code] = close(world, by, capture)
    services.submit_invoice(invoice=invoices[kov_b.code], by=coordinator_b, now=SUBMITTED_AT)
    services.review_invoice(invoice=invoices[kov_b.code], by=ska_user, accept=False, remarks="Paranda")
    services.submit_invoice(invoice=invoices[kov_c.code], by=coordinator_c, now=SUBMITTED_AT)
    return {code: Invoice.objects.get(pk=i.pk) for code, i in invoices.items()}, kov_c


def test_only_submitted_and_accepted_invoices_count(three_kovs, kov_a, kov_b):
    invoices, kov_c = three_kovs
    counted = set(Invoice.objects.counted_by_ska().values_list("municipality__code", flat=True))
    assert counted == {kov_c.code}
    assert invoices[kov_a.code].state == Invoice.State.CLOSED
    assert invoices[kov_b.code].state == Invoice.State.RETURNED


def test_skas_spend_chart_ignores_closed_unsubmitted_and_returned_invoices(three_kovs, ska_user):
    invoices, kov_c = three_kovs
    spend = selectors.spend_per_municipality_by_month(user=ska_user, months=[MONTH])
    assert [(r["code"], r["total"]) for r in spend] == [(kov_c.code, invoices[kov_c.code].total)]


def test_a_coordinators_spend_and_maximum_amounts_count_the_same_invoices(three_kovs, kov_a, coordinator_a):
    invoices, _kov_c = three_kovs
    assert selectors.spend_per_municipality_by_month(user=coordinator_a, months=[MONTH]) == []
    agreement = kov_a.funding_agreements.get()
    assert selectors.funding_usage(agreement)["used"] == Decimal("0.00")
    contract = kov_a.contracts.get()
    assert contract_usage(contract) == Decimal("0.00")
    services.submit_invoice(invoice=invoices[kov_a.code], by=coordinator_a, now=SUBMITTED_AT)
    assert selectors.funding_usage(agreement)["used"] == invoices[kov_a.code].total
    assert contract_usage(contract) == invoices[kov_a.code].components_total


def test_skas_month_table_shows_only_the_counted_invoice(three_kovs, kov_a, kov_b, ska_user):
    invoices, kov_c = three_kovs
    table = {kov.code: cells[0] for kov, cells in month_table(ska_user, [kov_a, kov_b, kov_c], [MONTH])}
    assert table[kov_a.code].invoice is None
    assert table[kov_b.code].invoice is None and table[kov_b.code].state == "returned"
    assert table[kov_c.code].invoice == invoices[kov_c.code]


def test_the_all_kov_workbook_sums_only_counted_invoices(
    three_kovs, kov_a, kov_b, ska_user, django_capture_on_commit_callbacks
):
    invoices, kov_c = three_kovs
    with django_capture_on_commit_callbacks(execute=True):
        job = reporting.request_report(kind="all_kov_costs", by=ska_user, month=MONTH)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    data = rows(workbook(job).worksheets[0])
    by_code = {r[0]: r for r in data[1:] if r[0]}
    assert by_code[kov_a.code][3] is None and by_code[kov_b.code][3] is None
    assert by_code[kov_c.code][3] == invoices[kov_c.code].number
    total = next(r for r in data if r[1] == "Kokku")
    assert cents(total[9]) == invoices[kov_c.code].total
