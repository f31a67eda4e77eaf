"""axe-core on the signed-documents pages: no serious or critical WCAG 2.1 AA violation, also
with the form's errors shown and on a phone-sized screen."""

from datetime import date

import pytest

from archive import services
from tests.archive.files import pdf
from tests.billing.factories import build_world
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import NARROW, audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_signed_documents_pages_pass_axe(page, kov_a, case_manager_a, provider_user):
    world = build_world(kov_a, provider_user=provider_user, case_manager=case_manager_a)
    services.add_attachment(
        case=world.case, kind="consent", document_date=date(2026, 3, 2), upload=pdf(), by=case_manager_a
    )
    findings = []
    log_in(page, case_manager_a.username)
    url = f"/documents/case/{world.case.pk}/"
    page.goto(url)
    findings += audit(page, "signed documents")
    page.locator("#upload button[type=submit]").click()
    page.wait_for_selector(".invalid-feedback, .is-invalid")
    findings += audit(page, "signed documents, errors")
    page.set_viewport_size(NARROW)
    page.goto(url)
    findings += audit(page, "signed documents, narrow")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, provider_user.username)
    page.goto("/documents/attendance/")
    findings += audit(page, "attendance sheets")
    assert findings == []
