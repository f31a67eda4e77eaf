"""A coordinator generates a report, watches a job's status refresh by itself, downloads the file."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from reporting import services
from tests.browser.conftest import log_in
from tests.reporting.factories import ReportJobFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_generates_the_access_log_and_downloads_it(page, coordinator_a, kov_a):
    log_in(page, coordinator_a.username)
    page.goto("/reports/jobs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Koostatud aruanded")
    form = page.locator("form[action='/reports/jobs/request/']")
    form.get_by_label("Aruanne").select_option(label="Kuu juurdepääsulogi")
    form.get_by_label("Omavalitsus").select_option(label="Alfa vald")
    form.get_by_label("Kuu").fill("2026-10")
    form.get_by_role("button", name="Koosta").click()

    expect(page).to_have_url(re.compile(r"/reports/jobs/\d+/$"))
    expect(page.get_by_test_id("job-status")).to_have_text("Valmis")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    assert download.value.suggested_filename == "ligipaasud-9101-2026-10.csv"


def test_the_status_refreshes_by_itself_until_the_job_is_done(page, coordinator_a, kov_a):
    job = ReportJobFactory(municipality=kov_a, month=date(2026, 9, 1), requested_by=coordinator_a)
    log_in(page, coordinator_a.username)
    page.goto(f"/reports/jobs/{job.pk}/")
    expect(page.get_by_test_id("job-status")).to_have_text("Järjekorras")
    expect(page.get_by_text("Ootab vaba töötlejat.")).to_be_visible()

    services.run_job(job_id=job.pk)

    expect(page.get_by_test_id("job-status")).to_have_text("Valmis", timeout=8_000)
    expect(page.get_by_test_id("download")).to_contain_text("ligipaasud-9101-2026-09.csv")
