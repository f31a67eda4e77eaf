"""A case manager attaches the person's signed consent to the case file and finds it there."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.models import AccessLog
from archive.models import Attachment
from tests.archive.files import PDF_BYTES
from tests.browser.conftest import log_in
from tests.cases.factories import EnteredCaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_manager_attaches_a_signed_consent_and_finds_it_in_the_file(
    page, case_manager_a, kov_a
):
    case = EnteredCaseFactory(municipality=kov_a, case_manager=case_manager_a)
    log_in(page, case_manager_a.username)
    page.goto(f"/cases/{case.pk}/")
    section = page.locator("#signed-documents")
    expect(section.get_by_role("heading", name="Allkirjastatud dokumendid")).to_be_visible()
    section.get_by_test_id("signed-documents").click()

    expect(page.get_by_role("heading", name="Allkirjastatud dokumendid", level=1)).to_be_visible()
    expect(page.get_by_text("Allkirjastatud dokumente veel ei ole.")).to_be_visible()
    page.get_by_label("Dokument*").select_option(label="isikuandmete töötlemise nõusolek")
    page.get_by_label("Dokumendi kuupäev").fill("2026-03-02")
    page.get_by_label("Fail*").set_input_files(
        {"name": "nousolek-allkirjastatud.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Laadi üles").click()

    expect(page.get_by_text("Dokument on toimikus.")).to_be_visible()
    row = page.get_by_test_id("attachments").get_by_role("row").filter(has_text="nõusolek")
    expect(row).to_contain_text("Isikuandmete töötlemise nõusolek")
    expect(row).to_contain_text("02.03.2026")
    expect(page.locator("#documents-history")).to_contain_text("laaditi üles")

    with page.expect_download() as download:
        row.get_by_role("link", name="nousolek-allkirjastatud.pdf").click()
    assert download.value.suggested_filename == f"{case.number}-consent-2026-03-02.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == PDF_BYTES

    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.document_date) == ("consent", date(2026, 3, 2))
    assert AccessLog.objects.filter(
        user=case_manager_a, action="download", person_id=case.person_id
    ).exists()
    expect(page).to_have_url(re.compile(rf"/documents/case/{case.pk}/$"))
