"""A coordinator adds a provider, a contract with two prices, then changes a price from a
future date; the contract page shows both price periods and the change history."""

import re

import pytest
from playwright.sync_api import expect

from components import catalogue
from components.models import Component
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def components(transactional_db):
    """Transactional tests flush every table, the migrated catalogue included: reload it."""
    catalogue.load(Component)


def test_coordinator_adds_a_provider_a_contract_and_changes_a_price_from_a_future_date(
    page, coordinator_a, components
):
    log_in(page, coordinator_a.username)
    page.get_by_role("link", name="Teenuseosutajad ja lepingud").click()
    page.get_by_role("link", name="Lisa teenuseosutaja").click()
    page.get_by_label("Nimi").fill("MTÜ Rõõmus Päev")
    page.get_by_label("Registrikood").fill("80399111")
    page.get_by_label("Liik").select_option(label="mittetulundusühing")
    page.get_by_label("Pakutavad tööd").fill("õmblemine, koristus")
    page.get_by_role("button", name="Salvesta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MTÜ Rõõmus Päev")

    page.get_by_role("link", name="Lisa leping").click()
    page.get_by_label("Lepingu number").fill("A-2027-7")
    page.get_by_label("Algus").fill("2027-01-01")
    page.get_by_label("Lõpp").fill("2027-12-31")
    page.get_by_label("Maksimaalne summa").fill("24000")
    page.get_by_role("button", name="Salvesta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leping A-2027-7")

    for component, individual, group in [("L23", "30", "12"), ("L21", "25", "8")]:
        page.get_by_role("link", name="Lisa hind").click()
        page.get_by_label("Komponent").select_option(
            label=str(Component.objects.get(code=component))
        )
        page.get_by_label("Individuaalne ühikuhind").fill(individual)
        page.get_by_label("Grupi ühikuhind").fill(group)
        page.get_by_role("button", name="Salvesta").click()
        expect(page.locator("#prices")).to_contain_text(component)

    page.get_by_role("link", name=re.compile("Muuda hinda alates kuupäevast: L23")).click()
    page.get_by_label("Uus hind alates").fill("2027-07-01")
    page.get_by_label("Individuaalne ühikuhind").fill("33")
    page.get_by_label("Grupi ühikuhind").fill("13")
    page.get_by_role("button", name="Salvesta").click()

    prices = page.locator("#prices")
    expect(prices.locator("tr", has_text="L23")).to_have_count(2)
    expect(prices).to_contain_text("01.01.2027–30.06.2027")
    expect(prices).to_contain_text("01.07.2027–31.12.2027")
    expect(prices).to_contain_text("33,00")
    history = page.locator("#history")
    expect(history).to_contain_text("Kati Alfa")
    expect(history).to_contain_text("hind L23")
    expect(history).to_contain_text("30.06.2027")
    expect(page.get_by_test_id("usage")).to_contain_text("24\u00a0000,00")
