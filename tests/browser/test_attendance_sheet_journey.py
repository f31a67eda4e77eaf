"""A provider specialist prints a person's attendance sheet for signature and uploads the
signed copy; the case manager finds it in the person's signed documents."""

from datetime import date

import pytest
from playwright.sync_api import expect

from archive.models import Attachment
from billing import services as billing
from tests.archive.files import PDF_BYTES
from tests.billing.factories import build_world
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_specialist_prints_the_sheet_and_uploads_the_signed_copy(
    page, kov_a, provider_user, coordinator_a, case_manager_a
):
    world = build_world(kov_a, provider_user=provider_user, case_manager=case_manager_a)
    billing.record_deliveries(drafts=[world.draft(date=date(2026, 4, 6))], by=coordinator_a)
    person = world.case.person
    log_in(page, provider_user.username)
    page.get_by_role("link", name="Osalemise lehed").click()
    expect(page.get_by_role("heading", name="Osalemise lehed", level=1)).to_be_visible()

    printing = page.locator("#print")
    printing.get_by_label("Isik").select_option(label=f"{person} ({world.case.number})")
    printing.get_by_label("Kuu*").fill("2026-04")
    with page.expect_download() as download:
        printing.get_by_role("button", name="Prindi osalemise leht (PDF)").click()
    assert download.value.suggested_filename == f"osalemise-leht-{world.case.number}-2026-04.pdf"

    uploading = page.locator("#upload")
    uploading.get_by_label("Isik").select_option(label=f"{person} ({world.case.number})")
    uploading.get_by_label("Kuu*").fill("2026-04")
    uploading.get_by_label("Allkirjastatud koopia").set_input_files(
        {"name": "leht-allkirjastatud.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    uploading.get_by_role("button", name="Laadi üles").click()
    expect(page.get_by_text("Allkirjastatud osalemise leht on üles laaditud.")).to_be_visible()
    expect(page.locator("#uploaded")).to_contain_text(f"{person} · 04.2026")
    assert Attachment.objects.get().month == date(2026, 4, 1)

    page.context.clear_cookies()
    log_in(page, case_manager_a.username)
    page.goto(f"/documents/case/{world.case.pk}/")
    row = page.get_by_test_id("attachments").get_by_role("row").filter(has_text="04.2026")
    expect(row).to_contain_text("Osalemise leht")
    expect(row).to_contain_text("leht-allkirjastatud.pdf")
