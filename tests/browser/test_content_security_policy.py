"""The Content-Security-Policy in a real browser: the pages with charts, htmx and confirm
questions run with no policy violation, and a question answered "no" sends nothing."""

import re
from datetime import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import BillingMonth, Invoice
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAY_4 = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.get_default_timezone())


def test_month_end_runs_under_the_policy_and_a_declined_close_sends_nothing(page, coordinator_a):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    with time_machine.travel(MAY_4, tick=True):
        log_in(page, coordinator_a.username)
        expect(page).to_have_url(re.compile(r"/billing/month-end/"))
        page.get_by_test_id("month-steps-nav").get_by_role("link", name="Sulgemine").click()
        expect(page).to_have_url(re.compile(r"/billing/month-end/closing/\?month=2026-04"))
        asked = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        page.get_by_role("button", name="Sulge kuu").click()
        page.wait_for_timeout(300)
        assert asked and "sulgeda kuu" in asked[0]
        assert not Invoice.objects.exists()
        assert not BillingMonth.objects.filter(state="closed").exists()
        page.goto("/billing/month-end/dashboard/")
        page.goto("/cases/")
    assert page.evaluate("typeof window.htmx") == "object"
    assert not violations, violations
