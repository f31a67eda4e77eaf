"""The case manager's and SKA's start pages on a phone (390 px): the task list fits the
screen, passes axe, and each task's link opens the page where that step is done.
Screenshots go to var/screenshots/start-pages/."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import Invoice, MonthState
from tests.billing.factories import FundingAgreementFactory
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import audit
from tests.cases.factories import CaseFactory, EnteredCaseFactory
from tests.dashboards.factories import invoice
from tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "start-pages"


def _fits(page) -> None:
    """No wider than the screen, once the page has settled (its scripts and fonts loaded, the
    charts drawn); a page that is too wide names its widest elements."""
    page.wait_for_load_state("networkidle")
    extra = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 8).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().right)}px`)""")
    assert extra <= 0, f"{extra} px wider than the screen: {wide}"


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_case_managers_tasks_on_a_phone_lead_to_where_each_step_is_done(page, kov_a, case_manager_a):
    today = timezone.localdate()
    noticed = CaseFactory(
        municipality=kov_a, case_manager=case_manager_a, noticed_on=today - timedelta(days=3),
        person__first_name="Mari", person__last_name="Märgatud",
    )
    entered = EnteredCaseFactory(
        municipality=kov_a, case_manager=case_manager_a, entry_date=today - timedelta(days=40),
        person__first_name="Tõnu", person__last_name="Tähtajatu-Pikanimeline-Inimene",
    )
    page.set_viewport_size(PHONE)
    log_in(page, case_manager_a.username)
    expect(page.get_by_test_id("tasks")).to_be_visible()
    _fits(page)
    assert audit(page, "case manager's start page") == []
    _shot(page, "case-manager")

    page.get_by_test_id(f"task-noticed-{noticed.pk}").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/cases/{noticed.pk}/eligibility/$"))
    page.go_back()
    page.get_by_test_id(f"task-base_link-{entered.pk}").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/assessments/case/{entered.pk}/base-provider/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_ska_reviews_a_waiting_invoice_from_the_start_page_on_a_phone(page, ska_user):
    kov = MunicipalityFactory(name="Ootava arve vald", code="9301")
    FundingAgreementFactory(municipality=kov)
    FundingAgreementFactory(municipality=MunicipalityFactory(name="Hilinev vald", code="9302"))
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    waiting = invoice(kov, month, "1234.56", state=Invoice.State.SUBMITTED)
    waiting.billing_month.state = MonthState.SUBMITTED
    waiting.billing_month.save()
    page.set_viewport_size(PHONE)
    log_in(page, ska_user.username)
    section = page.get_by_test_id("waiting-invoices")
    expect(section).to_contain_text("Ootava arve vald")
    expect(section).to_contain_text("1 234,56 €")
    expect(page.get_by_test_id("late-municipalities")).to_contain_text("Hilinev vald")
    _fits(page)
    assert audit(page, "SKA's start page") == []
    _shot(page, "ska")

    section.get_by_role("link", name=f"Kontrollige koondarvet {waiting.number}").click()
    expect(page).to_have_url(re.compile(rf"/billing/invoices/{waiting.pk}/$"))
    expect(page.get_by_role("button", name="Salvesta otsus")).to_be_visible()
