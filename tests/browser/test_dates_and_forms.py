"""Dates are typed and shown as pp.kk.aaaa whatever the browser's locale, with a calendar
picker in the same format; a form with errors opens with the error summary (GOV.UK pattern).

Each test runs in an English-locale browser (where a native date input would show
mm/dd/yyyy) and an Estonian one. Screenshots go to var/screenshots/forms/."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from providers.models import Contract
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import AXE, AXE_OPTIONS, REPORTED_IMPACTS
from tests.providers.factories import ProviderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "forms"
LOCALES = ["en-US", "et-EE"]


@pytest.fixture(params=LOCALES)
def page(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale=request.param)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.locale = request.param
    yield page
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.locale}.png"), full_page=True)


def serious_violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the CSP allows no inline script
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in REPORTED_IMPACTS
    ]


FIELDS = {"Algus": "#id_start", "Lõpp": "#id_end"}


def field(page, label: str):
    """The contract's date input labelled ``label``."""
    return page.locator(FIELDS[label])


def open_new_contract(page, coordinator):
    provider = ProviderFactory(name="MTÜ Kuupäev")
    log_in(page, coordinator.username)
    page.goto(f"/providers/{provider.pk}/contracts/new/")
    return provider


def test_a_date_typed_by_hand_is_saved_as_that_date(page, coordinator_a):
    provider = open_new_contract(page, coordinator_a)
    end = field(page, "Lõpp")
    expect(end).to_have_attribute("type", "text")
    expect(end).to_have_attribute("placeholder", "pp.kk.aaaa")

    page.get_by_label("Lepingu number").fill("K-2026-1")
    field(page, "Algus").fill("1.1.2026")
    end.fill("31.12.2026")
    page.get_by_label("Maksimaalne summa").fill("1000")
    page.get_by_role("button", name="Salvesta").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Leping K-2026-1")
    contract = Contract.objects.get(provider=provider)
    assert (contract.start, contract.end) == (date(2026, 1, 1), date(2026, 12, 31))

    # Shown again in the same form on the edit page.
    page.goto(f"/providers/contracts/{contract.pk}/edit/")
    expect(field(page, "Algus")).to_have_value("01.01.2026")
    expect(field(page, "Lõpp")).to_have_value("31.12.2026")


def test_the_calendar_picker_writes_the_date_as_dd_mm_yyyy(page, coordinator_a):
    open_new_contract(page, coordinator_a)
    start = field(page, "Algus")
    start.fill("15.03.2026")
    box = page.locator(".date-field", has=start)
    box.get_by_role("button", name="Ava kalender").click()
    picker = box.locator(".date-popup")
    expect(picker).to_be_visible()
    # The picker opens at the typed date, in Estonian, weeks starting on Monday.
    expect(picker.locator(".view-switch")).to_have_text("Märts 2026")
    expect(picker.locator(".dow").first).to_have_text("E")
    shot(page, "date-picker")
    assert serious_violations(page) == []

    picker.locator(".datepicker-cell.day:not(.prev):not(.next)", has_text=re.compile(r"^20$")).click()
    expect(start).to_have_value("20.03.2026")
    expect(picker).to_be_hidden()


def test_a_typed_date_stays_as_typed_when_the_user_clicks_elsewhere(page, coordinator_a):
    open_new_contract(page, coordinator_a)
    start = field(page, "Algus")
    start.click()
    page.keyboard.type("31.12.26")
    page.get_by_label("Lepingu number").click()
    expect(start).to_have_value("31.12.26")


def test_a_form_with_errors_opens_with_a_summary_that_links_to_each_field(page, coordinator_a):
    open_new_contract(page, coordinator_a)
    field(page, "Algus").fill("31.02.2026")
    page.get_by_label("Maksimaalne summa").fill("kümme")
    page.get_by_role("button", name="Salvesta").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Vormis on vigu")
    # One link per problem: number and end missing, start not a date, amount not a number.
    expect(summary.get_by_role("link")).to_have_count(4)
    for label in ("Lepingu number", "Algus", "Lõpp", "Maksimaalne summa"):
        expect(summary.get_by_role("link", name=re.compile(f"^{label}:"))).to_have_count(1)
    shot(page, "error-summary")

    amount = page.get_by_label("Maksimaalne summa")
    expect(amount).to_have_attribute("aria-invalid", "true")
    described = amount.get_attribute("aria-describedby").split()
    assert any(page.locator(f"#{id_}").inner_text().strip() for id_ in described if id_.endswith("_error"))

    summary.get_by_role("link", name=re.compile("Maksimaalne summa")).click()
    expect(amount).to_be_focused()
    assert serious_violations(page) == []


def test_on_a_touch_screen_every_button_and_field_is_at_least_44_px_high(browser, live_server, coordinator_a):
    context = browser.new_context(
        base_url=live_server.url, locale="et-EE", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.locale = "touch"
    try:
        open_new_contract(page, coordinator_a)
        heights = page.locator("main .btn, main .form-control, header .btn, header .navbar-toggler").evaluate_all(
            "els => els.filter(e => e.offsetParent).map(e => [e.textContent.trim() || e.getAttribute('aria-label') || e.name,"
            " Math.round(e.getBoundingClientRect().height)])"
        )
        assert len(heights) >= 6
        assert [h for h in heights if h[1] < 44] == []
        shot(page, "touch-targets")
    finally:
        context.close()
