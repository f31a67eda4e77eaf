"""A case manager generates the case documentation form from the case file and downloads it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.reporting.factories import full_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_manager_generates_the_case_documentation_form_and_downloads_it(
    page, case_manager_a, kov_a
):
    case = full_case(municipality=kov_a, case_manager=case_manager_a)
    log_in(page, case_manager_a.username)
    page.goto(f"/cases/{case.pk}/")
    documents = page.locator("#documents")
    expect(documents.get_by_role("heading", name="Dokumendid")).to_be_visible()
    row = documents.get_by_test_id("document-case_documentation_form")
    expect(row).to_contain_text("Pole veel koostatud.")
    row.get_by_role("button", name=re.compile(r"^Koosta\b")).click()

    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/#documents$"))
    expect(page.get_by_text("Dokument on tellitud.")).to_be_visible()
    row = page.get_by_test_id("document-case_documentation_form")
    page.screenshot(path="/tmp/rep/case_documents.png", full_page=True)
    with page.expect_download() as download:
        row.get_by_test_id("document-download").click()
    assert download.value.suggested_filename == "juhtumi-dokumenteerimise-vorm-9101-2026-0007.pdf"
