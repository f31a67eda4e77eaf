"""Fixes from the QA review of attendance and month end (issue 7): Estonian numbers, confirmations,
when a month can be closed, pending adjustments, the session list's actions and empty states."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import ngettext

from billing import services
from billing.models import Delivery
from billing.rules import reasons_from
from tests.billing.factories import InterimEvaluationFactory, build_world

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()
MAY_4 = datetime(2026, 5, 4, 9, 0, tzinfo=TZ)
ET = {"HTTP_ACCEPT_LANGUAGE": "et"}


@pytest.fixture
def world(kov_a, provider_user):
    return build_world(kov_a, provider_user=provider_user)


@pytest.fixture
def accepted_april(world, coordinator_a, ska_user):
    """One 60-minute L23 session on 06.04.2026 (30,00 €); April closed, submitted and accepted."""
    delivery = services.record_deliveries(drafts=[world.draft()], by=coordinator_a)[0]
    invoice = services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4))
    services.submit_invoice(invoice=invoice, by=coordinator_a, now=MAY_4)
    services.review_invoice(invoice=invoice, by=ska_user, accept=True)
    return delivery


@pytest.mark.parametrize(
    ("singular", "plural", "n", "estonian"),
    [
        ("%(n)s session recorded.", "%(n)s sessions recorded.", 1, "Sisestatud 1 kord."),
        ("%(n)s session recorded.", "%(n)s sessions recorded.", 5, "Sisestatud 5 korda."),
        ("%(n)s session imported.", "%(n)s sessions imported.", 1, "Imporditud 1 kord."),
        ("%(n)s session imported.", "%(n)s sessions imported.", 0, "Imporditud 0 korda."),
        ("%(n)s participant", "%(n)s participants", 1, "1 osaleja"),
        ("%(n)s participant", "%(n)s participants", 18, "18 osalejat"),
        ("%(n)s planned place", "%(n)s planned places", 20, "20 planeeritud kohta"),
    ],
)
def test_a_number_takes_the_estonian_nominative_after_one_and_the_partitive_after_more(singular, plural, n, estonian):
    with translation.override("et"):
        assert ngettext(singular, plural, n) % {"n": n} == estonian


def test_the_reasons_a_month_cannot_be_closed_count_in_estonian():
    with translation.override("et"):
        assert reasons_from((0, 1, 0, 0)) == ["1 hoiatus on aktsepteerimata."]
        assert reasons_from((0, 2, 0, 0)) == ["2 hoiatust on aktsepteerimata."]


def test_the_week_grid_says_one_session_in_the_singular(client, world, provider_user):
    client.force_login(provider_user)
    line = world.case.plans.first().lines.get(component__code="L23")
    response = client.post(
        "/billing/attendance/", {"week": "2026-04-06", f"c-{line.pk}-2026-04-06": "60"}, follow=True, **ET
    )
    assert "Sisestatud 1 kord." in [str(m) for m in response.context["messages"]]


def test_the_funding_agreement_counts_participants_and_places_in_estonian(client, world, coordinator_a):
    InterimEvaluationFactory(agreement=world.agreement, date=date(2026, 4, 30), participants=1)
    client.force_login(coordinator_a)
    with time_machine.travel(MAY_4):
        page = client.get("/billing/month-end/dashboard/?month=2026-04", **ET).content.decode()
    assert "<strong>2 osalejat</strong> / 10 planeeritud kohta" in page
    assert "30.04.2026, 1 osaleja" in page


def test_the_source_of_a_session_entered_on_the_form_is_not_called_a_work_form():
    with translation.override("et"):
        assert str(Delivery.Source.FORM.label) == "sisestusvorm"


def test_submitting_an_invoice_asks_for_confirmation_like_closing(client, world, coordinator_a):
    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    invoice = services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4))
    client.force_login(coordinator_a)
    page = client.get(f"/billing/invoices/{invoice.pk}/", **ET).content.decode()
    form = page[page.index(f"/billing/invoices/{invoice.pk}/submit/"):]
    button = form[form.index("<button"):form.index("</button>")]
    assert "data-confirm=" in button and "Esita SKA-le" in button


def test_a_month_is_offered_for_closing_only_after_it_has_ended(client, world, coordinator_a):
    client.force_login(coordinator_a)
    with time_machine.travel(datetime(2026, 4, 30, 15, 0, tzinfo=TZ)):
        page = client.get("/billing/month-end/closing/?month=2026-04", **ET).content.decode()
        overview = client.get("/billing/month-end/?month=2026-04", **ET).content.decode()
    assert "/billing/month-end/close/" not in page
    assert "Kuu saab sulgeda alates 01.05.2026" in page
    assert "Kuu saab sulgeda alates 01.05.2026" in overview.split('data-testid="step-close"')[1]
    with time_machine.travel(datetime(2026, 5, 1, 8, 0, tzinfo=TZ)):
        page = client.get("/billing/month-end/closing/?month=2026-04", **ET).content.decode()
    assert "/billing/month-end/close/" in page
    assert "Kuu saab sulgeda alates" not in page


def test_a_pending_adjustment_shows_on_the_month_it_will_be_invoiced_in(client, world, coordinator_a, accepted_april):
    InterimEvaluationFactory(agreement=world.agreement, date=date(2026, 4, 30), participants=10)
    client.force_login(coordinator_a)
    with time_machine.travel(datetime(2026, 5, 20, 9, 0, tzinfo=TZ)):
        response = client.post(
            f"/billing/deliveries/{accepted_april.pk}/correct/", {"new_minutes": "30", "reason": "Lühem kord"}
        )
        assert response["Location"] == "/billing/month-end/closing/?month=2026-05"
        services.record_deliveries(drafts=[world.draft(date=date(2026, 5, 6))], by=coordinator_a)
        response = client.get("/billing/month-end/closing/?month=2026-05", **ET)
    [adjustment] = response.context["adjustments"]
    assert (adjustment.delivery, adjustment.original_month, adjustment.amount) == (
        accepted_april, date(2026, 4, 1), Decimal("-15.00"),
    )
    section = response.content.decode().split('data-testid="adjustments"')[1].split("</section>")[0]
    assert "06.04.2026 L23" in section and "04.2026" in section and "-15,00" in section and "Lühem kord" in section
    preview = response.context["preview"]
    assert (preview["fee"], preview["components"], preview["adjustments"], preview["total"]) == (
        Decimal("5000.00"), Decimal("30.00"), Decimal("-15.00"), Decimal("5015.00"),
    )


def test_the_correction_action_shows_only_for_sessions_of_an_accepted_month(client, world, coordinator_a, ska_user):
    delivery = services.record_deliveries(drafts=[world.draft()], by=coordinator_a)[0]
    client.force_login(coordinator_a)
    link = f"/billing/deliveries/{delivery.pk}/correct/"
    assert link not in client.get("/billing/deliveries/?month=2026-04").content.decode()
    invoice = services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=coordinator_a, today=date(2026, 5, 4))
    assert link not in client.get("/billing/deliveries/?month=2026-04").content.decode()
    services.submit_invoice(invoice=invoice, by=coordinator_a, now=MAY_4)
    services.review_invoice(invoice=invoice, by=ska_user, accept=True)
    assert link in client.get("/billing/deliveries/?month=2026-04").content.decode()


def test_a_search_without_hits_says_nothing_matched_rather_than_an_empty_month(client, world, coordinator_a):
    services.record_deliveries(drafts=[world.draft()], by=coordinator_a)
    client.force_login(coordinator_a)
    page = client.get("/billing/deliveries/?month=2026-04&q=zzzz", **ET).content.decode()
    assert "Otsingule „zzzz” ei vasta selles kuus ükski kord." in page
    assert "Selles kuus ei ole kordi sisestatud." not in page
    empty = client.get("/billing/deliveries/?month=2026-03", **ET).content.decode()
    assert "Selles kuus ei ole kordi sisestatud." in empty
