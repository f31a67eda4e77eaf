"""The specialist goes from the start page to one person's week grid; the line's recorded hours
against the plan grow as minutes are typed, and the server's figure is the same after saving."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from billing import services
from tests.billing.factories import build_world
from tests.browser.conftest import log_in
from tests.providers.factories import component

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_week_grid_keeps_a_running_total_against_the_plan(page, kov_a, provider_user):
    world = build_world(kov_a, provider_user=provider_user)
    services.record_deliveries(
        drafts=[world.draft(component=component("L23"), date=date(2026, 4, 1), minutes=60)], by=provider_user
    )
    log_in(page, provider_user.username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("See nädal")
    person = str(world.case.person)
    # This week's card links the person's grid; the grid for April's week is one click on.
    page.get_by_role("link", name=person, exact=True).click()
    expect(page.get_by_test_id("grid-person")).to_contain_text(person)
    page.goto(f"/billing/attendance/?week=2026-04-06&case={world.case.pk}")

    row = page.get_by_test_id("grid-line").filter(has_text="L23")
    total = row.get_by_test_id("plan-progress")
    expect(total).to_have_text("1,00 / 10,00")
    row.get_by_label(f"{person} L23 06.04.2026", exact=False).fill("90")
    expect(total).to_have_text("2,50 / 10,00")
    row.get_by_label(f"{person} L23 07.04.2026", exact=False).fill("480")
    row.get_by_label(f"{person} L23 08.04.2026", exact=False).fill("180")
    expect(total).to_have_text("13,50 / 10,00")
    expect(total.locator("[data-grid-total]")).to_have_class(re.compile("text-danger"))
    page.get_by_role("button", name="Salvesta nädal").click()
    expect(page.get_by_text("Sisestatud 3 korda.")).to_be_visible()
    expect(page.get_by_test_id("grid-line").filter(has_text="L23").get_by_test_id("plan-progress")).to_have_text(
        "13,50 / 10,00"
    )
