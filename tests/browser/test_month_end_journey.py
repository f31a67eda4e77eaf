"""Month end from attendance to SKA's acceptance, in the browser, in Estonian.

A provider specialist enters a week of sessions; the coordinator imports a file, sees the
validation report, accepts a warning, closes and submits the month; SKA returns it with a
remark; the coordinator reopens, corrects and resubmits; SKA accepts the second version."""

import re
from datetime import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import Delivery, Invoice
from tests.billing.factories import build_world
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAY_4 = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.get_default_timezone())


def log_out(page):
    page.get_by_role("button", name="Logi välja").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_a_month_goes_from_attendance_to_skas_acceptance(page, kov_a, provider_user, coordinator_a, ska_user):
    from components import catalogue
    from components.models import Component

    catalogue.load(Component)  # transactional tests flush every table, the migrated catalogue too
    world = build_world(kov_a, provider_user=provider_user, case_manager=None)
    line = world.case.plans.first().lines.get(component__code="L23")
    traveller = time_machine.travel(MAY_4, tick=True)
    traveller.start()
    try:
        # 1. The provider specialist fills in a week of the grid.
        log_in(page, provider_user.username)
        page.goto("/billing/attendance/?week=2026-04-06")
        for day in ("06", "07", "08", "09", "10"):
            page.locator(f'input[name="c-{line.pk}-2026-04-{day}"]').fill("60")
        page.get_by_role("button", name="Salvesta nädal").click()
        expect(page.get_by_text("Sisestatud 5 korda.")).to_be_visible()
        assert Delivery.objects.filter(source="grid").count() == 5
        log_out(page)

        # 2. The coordinator imports a paper sheet typed into a file.
        log_in(page, coordinator_a.username)
        page.goto("/billing/import/")
        code = world.other_case.person.isikukood
        reg = world.provider.registry_code
        sheet = (
            "isikukood;kuupaev;komponent;teenuseosutaja;minutid;vorm;spetsialist;saaja\n"
            f"{code};13.04.2026;L23;{reg};45;I;Pille Pakkuja;\n"
            f"{code};14.04.2026;L23;{reg};45;I;Pille Pakkuja;Ema Test\n"
            f"{code};15.04.2026;B1;{reg};330;I;Pille Pakkuja;\n"
            f"{code};16.04.2026;B1;{reg};330;I;Pille Pakkuja;\n"
        ).encode()
        page.get_by_label("Osalemise fail").set_input_files(
            files=[{"name": "osalemine.csv", "mimeType": "text/csv", "buffer": sheet}]
        )
        page.get_by_role("button", name="Impordi").click()
        expect(page.get_by_text("Imporditud 4 korda.")).to_be_visible()
        expect(page).to_have_url(re.compile(r"/billing/deliveries/\?month=2026-04$"))

        # 3. The overview names the next step; the check page's validation report: 11 h of B1 is
        #    beyond the plan's 10 h; accept it with a reason.
        page.goto("/billing/month-end/?month=2026-04")
        expect(page.get_by_test_id("next-step")).to_contain_text("1 aktsepteerimata hoiatus.")
        expect(page.get_by_test_id("step-close")).to_contain_text("1 hoiatus on aktsepteerimata.")
        page.get_by_test_id("next-step").get_by_role("link", name="Kontrolli kuud").click()
        expect(page).to_have_url(re.compile(r"/billing/month-end/check/\?month=2026-04$"))
        expect(page.get_by_test_id("blockers")).to_contain_text("1 hoiatus on aktsepteerimata.")
        expect(page.get_by_test_id("problems")).to_contain_text("rohkem kui plaani")
        page.get_by_label("Aktsepteerimise põhjus").fill("Kriisiperiood, plaan muutub")
        page.get_by_role("button", name="Kinnita").click()
        expect(page.get_by_test_id("blockers-none")).to_be_visible()

        # 4. On to the close page, close, and submit.
        page.get_by_test_id("step-next").click()
        expect(page).to_have_url(re.compile(r"/billing/month-end/closing/\?month=2026-04$"))
        expect(page.get_by_test_id("preview")).to_contain_text("5\xa0734,00\xa0€")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Sulge kuu").click()
        expect(page.get_by_test_id("invoice-state")).to_have_text("suletud, esitamata")
        expect(page.get_by_test_id("due-date")).to_have_text("12.05.2026")
        # 5000 fee + 5 h + 1.5 h of L23 at 30 € + 11 h of B1 at 49 € = 5000 + 195 + 539
        expect(page.get_by_test_id("invoice-total")).to_have_text("5\xa0734,00\xa0€")
        expect(page.get_by_test_id("checks")).not_to_contain_text("✘")
        asked = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
        page.get_by_role("button", name="Esita SKA-le").click()
        expect(page.get_by_test_id("invoice-state")).to_have_text("esitatud")
        assert asked and "SKA-le" in asked[0]  # submitting asks first, like closing and reopening
        log_out(page)

        # 5. SKA returns it with a remark.
        first = Invoice.objects.get()
        log_in(page, ska_user.username)
        page.goto("/billing/invoices/")
        page.get_by_role("link", name=first.number).click()
        page.get_by_label("Tagasta märkustega").check()
        page.get_by_label("Märkused").fill("B1 tunnid ületavad plaani, palun parandage")
        page.get_by_role("button", name="Salvesta otsus").click()
        expect(page.get_by_test_id("invoice-state")).to_have_text("tagastatud")
        log_out(page)

        # 6. The coordinator reopens the month, corrects the B1 session and resubmits.
        log_in(page, coordinator_a.username)
        page.goto(f"/billing/invoices/{first.pk}/")
        expect(page.get_by_test_id("remarks")).to_contain_text("B1 tunnid ületavad plaani")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Ava kuu uuesti").click()
        expect(page.get_by_text("Kuu avati uuesti")).to_be_visible()
        page.goto("/billing/deliveries/?month=2026-04")
        # (a session lasts at most a working day: 11 h of B1 came as 2 × 330 min; 330 + 270 = 10 h)
        page.locator("tr", has_text="16.04.2026").filter(has_text="B1").get_by_role("link", name="Muuda").click()
        page.get_by_label("Kestus (min)").fill("270")
        page.get_by_role("button", name="Salvesta").click()
        expect(page.get_by_text("Kord salvestatud.")).to_be_visible()
        page.goto("/billing/month-end/closing/?month=2026-04")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Sulge kuu").click()
        expect(page.get_by_test_id("invoice-total")).to_have_text("5\xa0685,00\xa0€")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Esita SKA-le").click()
        expect(page.get_by_test_id("invoice-state")).to_have_text("esitatud")
        log_out(page)

        # 7. SKA accepts the second version; the first stays as it was.
        second = Invoice.objects.get(version=2)
        log_in(page, ska_user.username)
        page.goto(f"/billing/invoices/{second.pk}/")
        page.get_by_label("Kinnita").check()
        page.get_by_role("button", name="Salvesta otsus").click()
        expect(page.get_by_test_id("invoice-state")).to_have_text("kinnitatud")
        expect(page.get_by_role("link", name=first.number)).to_be_visible()
    finally:
        traveller.stop()
    first.refresh_from_db()
    assert (first.state, first.total) == (Invoice.State.RETURNED, 5734)
