"""The coordinator closes a month: its cost report and invoice appear on the month page by
themselves; SKA staff find them in the municipalities × months table and download them."""

import re
from datetime import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.reporting.month_world import record_month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAY_4 = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.get_default_timezone())


def test_the_month_close_produces_the_reports_and_ska_downloads_them(
    page, kov_a, coordinator_a, ska_user
):
    from tests.billing.factories import build_world

    world = build_world(kov_a)
    record_month(world, coordinator_a)
    traveller = time_machine.travel(MAY_4, tick=True)
    traveller.start()
    try:
        log_in(page, coordinator_a.username)
        page.goto("/billing/month-end/submission/?month=2026-04")
        reports = page.locator("#month-reports")
        expect(reports.get_by_test_id("report-cost_report")).to_contain_text("Pole veel koostatud.")
        page.goto("/billing/month-end/closing/?month=2026-04")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Sulge kuu").click()
        expect(page).to_have_url(re.compile(r"/billing/invoices/\d+/"))

        page.goto("/billing/month-end/submission/?month=2026-04")
        row = page.locator("#month-reports").get_by_test_id("report-cost_report")
        expect(row.get_by_test_id("report-download")).to_have_text(
            f"KOV_Teenuskomponentide_andmekogu-{kov_a.code}-2026-04.xlsx"
        )
        expect(
            page.locator("#month-reports").get_by_test_id("report-invoice_pdf").get_by_test_id("report-download")
        ).to_be_visible()
        page.screenshot(path="/tmp/rep/month_reports.png", full_page=True)
        page.get_by_role("button", name="Logi välja").click()

        log_in(page, ska_user.username)
        page.get_by_role("link", name="Omavalitsused kuude kaupa").first.click()
        page.get_by_label("Viimane näidatav kuu").fill("2026-04")
        page.locator("main").get_by_role("button", name="Näita", exact=True).click()
        cell = page.get_by_test_id(f"cell-{kov_a.code}-2026-04")
        expect(cell).to_contain_text("suletud")
        page.screenshot(path="/tmp/rep/months_table.png", full_page=True)
        with page.expect_download() as cost:
            cell.get_by_role("link", name=re.compile("Kuu kuluaruanne")).click()
        assert cost.value.suggested_filename == f"KOV_Teenuskomponentide_andmekogu-{kov_a.code}-2026-04.xlsx"
        with page.expect_download() as invoice:
            cell.get_by_role("link", name="Koondarve (PDF)").click()
        assert invoice.value.suggested_filename.startswith("koondarve-")
    finally:
        traveller.stop()
