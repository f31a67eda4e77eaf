"""SKA's start page: invoices waiting for review, late municipalities, the month at a glance;
one test per state of a municipality's invoice for the month just ended."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from billing.models import Invoice, MonthState
from tests.billing.factories import FundingAgreementFactory
from tests.dashboards.factories import invoice
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

APRIL = date(2026, 4, 1)
DUE = date(2026, 5, 12)  # the 7th working day of May 2026 (1 May is a holiday)
MONTH_STATE = {
    Invoice.State.CLOSED: MonthState.CLOSED,
    Invoice.State.SUBMITTED: MonthState.SUBMITTED,
    Invoice.State.RETURNED: MonthState.RETURNED,
    Invoice.State.ACCEPTED: MonthState.ACCEPTED,
}


def _kov(name: str, code: str, state=None, total="100.00"):
    """A municipality funded by SKA whose April invoice is in ``state`` (None: not closed)."""
    kov = MunicipalityFactory(name=name, code=code)
    FundingAgreementFactory(municipality=kov)
    if state is None:
        return kov, None
    inv = invoice(kov, APRIL, total, state=state)
    inv.billing_month.state = MONTH_STATE[state]
    inv.billing_month.save()
    if state != Invoice.State.CLOSED:
        Invoice.objects.filter(pk=inv.pk).update(
            submitted_at=datetime(2026, 5, 8, 10, tzinfo=UTC), submitted_on_time=True
        )
    return kov, inv


@pytest.fixture
def ska(client, ska_user):
    client.force_login(ska_user)
    return client


def _home(client, on: date):
    with time_machine.travel(on, tick=False):
        response = client.get(reverse("reporting:home"))
    assert response.status_code == 200
    return response


@pytest.fixture
def kovs():
    return {
        "open": _kov("Avatud vald", "9201"),
        "closed": _kov("Suletud vald", "9202", Invoice.State.CLOSED),
        "submitted": _kov("Esitatud vald", "9203", Invoice.State.SUBMITTED, "250.50"),
        "returned": _kov("Tagastatud vald", "9204", Invoice.State.RETURNED),
        "accepted": _kov("Kinnitatud vald", "9205", Invoice.State.ACCEPTED, "1000.00"),
    }


def test_a_submitted_invoice_waits_for_review_and_links_to_its_review_page(ska, kovs):
    response = _home(ska, date(2026, 5, 13))
    waiting = list(response.context["waiting"])
    assert waiting == [kovs["submitted"][1]]
    url = reverse("billing:invoice_detail", args=[waiting[0].pk])
    assert url in response.content.decode()
    page = ska.get(url).content.decode()
    assert reverse("billing:invoice_review", args=[waiting[0].pk]) in page


@pytest.mark.parametrize("state", ["closed", "returned", "accepted"])
def test_no_other_invoice_state_waits_for_review(ska, kovs, state):
    response = _home(ska, date(2026, 5, 13))
    assert kovs[state][1] not in list(response.context["waiting"])
    if kovs[state][1].state != Invoice.State.CLOSED:  # SKA never sees an unsubmitted one
        assert kovs[state][1].number not in str(response.context["waiting"].object_list)


def test_after_the_due_date_the_municipalities_without_a_submitted_month_are_late(ska, kovs):
    response = _home(ska, date(2026, 5, 13))
    assert response.context["past_due"]
    late = {kov.code for kov in response.context["not_submitted"]}
    # open, closed and returned months have not (or no longer) reached SKA
    assert late == {"9201", "9202", "9204"}
    html = response.content.decode()
    section = html[html.index('data-testid="late-municipalities"') : html.index('data-testid="month-glance"')]
    assert "12.05.2026" in section and "Avatud vald" in section and "Tagastatud vald" in section
    assert "Kinnitatud vald" not in section and "Esitatud vald" not in section


def test_before_the_due_date_they_are_not_yet_late(ska, kovs):
    response = _home(ska, DUE)
    assert not response.context["past_due"]
    assert len(response.context["not_submitted"]) == 3


def test_the_month_at_a_glance_counts_each_state_and_sums_what_ska_counts(ska, kovs):
    glance = _home(ska, date(2026, 5, 13)).context["glance"]
    assert glance["municipalities"] == 5
    assert {state: n for state, _, n in glance["states"]} == {
        "open": 1, "closed": 1, "submitted": 1, "returned": 1, "accepted": 1,
    }
    assert glance["total"] == Decimal("1250.50")


def test_nothing_waiting_and_nobody_late_is_said_plainly(ska):
    _kov("Kinnitatud vald", "9205", Invoice.State.ACCEPTED)
    html = _home(ska, date(2026, 5, 13)).content.decode()
    assert "Ülevaatust ootavaid koondarveid ei ole." in html
    assert "Kõik rahastuslepinguga omavalitsused on selle kuu esitanud." in html


def test_a_coordinator_sees_no_other_municipalitys_invoices_here(client, coordinator_a, kovs):
    client.force_login(coordinator_a)
    response = _home(client, date(2026, 5, 13))
    assert not response.context["national"]
    assert "Esitatud vald" not in response.content.decode()
