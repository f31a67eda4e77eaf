"""Every role's key pages pass axe-core's WCAG 2.0 / 2.1 A and AA rules, with the demo data.

The demo is loaded once, committed (the live server's thread has its own database
connection), and flushed when the test ends, as every transactional test's data is. Each
demo user signs in and opens the pages of their role: start page, persons, a case file,
deadlines, a plan, month end, the attendance grid, reports, and a form sent empty so that
its validation errors show; the login page is checked signed out. axe runs on each page and
every serious or critical violation of every page is reported at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
REPORTED_IMPACTS = {"serious", "critical"}


def audit(page, label: str) -> list[str]:
    """axe's serious and critical violations on the page now shown, one line each."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the CSP allows no inline script
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    findings = []
    for violation in result["violations"]:
        if violation["impact"] not in REPORTED_IMPACTS:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        findings.append(
            f"{label} {page.url}: {violation['id']} ({violation['impact']}) {violation['help']}"
            f" — {len(targets)} node(s), e.g. {'; '.join(targets[:3])}"
        )
    return findings


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Kasutajanimi").fill(username)
    page.get_by_label("Parool").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logi sisse").click()
    expect(page.get_by_test_id("whoami")).to_be_visible()


def sign_out(page) -> None:
    page.get_by_role("button", name="Logi välja").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def send_empty(page, path: str, form: str) -> None:
    """Open ``path`` and send its ``form`` as it is, past the browser's own checks, so the
    page comes back with the server's validation errors."""
    page.goto(path)
    with page.expect_navigation():
        page.locator(form).evaluate("form => { form.noValidate = true; form.requestSubmit(); }")
    expect(page.locator(".invalid-feedback, .errorlist, .alert-danger").first).to_be_attached()


def first_link(page, path: str, pattern: str) -> str:
    """The first link on ``path`` whose address matches ``pattern``."""
    page.goto(path)
    href = page.locator("main a[href]").evaluate_all(
        "(links, pattern) => links.map(a => a.getAttribute('href'))"
        ".find(href => new RegExp(pattern).test(href)) || null",
        pattern,
    )
    assert href, f"no link matching {pattern} on {path}"
    return href


def go(path: str):
    return lambda page: page.goto(path)


def follow(path: str, pattern: str):
    """Open the first record ``path`` links to, as a user would pick one from a list."""
    return lambda page: page.goto(first_link(page, path, pattern))


def errors_of(path: str, form: str = "main form[method=post]"):
    return lambda page: send_empty(page, path, form)


def pages_of(username: str):
    """(label, how to open it) of the key pages of ``username``'s role."""
    from accounts.models import Role, User
    from assessments.models import Plan
    from assessments.selectors import base_cases_for

    user = User.objects.get(username=username)
    if user.role == Role.PROVIDER:
        plan = Plan.objects.filter(case__in=base_cases_for(user)).order_by("pk").first()
    else:
        plan = Plan.objects.filter(case__municipality=user.municipality).order_by("pk").first()
    case_file = follow("/cases/persons/", r"^/cases/\d+/$")

    if user.role == Role.CASE_MANAGER:
        return [
            ("start", go("/")),
            ("persons", go("/cases/persons/")),
            ("case file", case_file),
            ("deadlines", go("/cases/deadlines/")),
            ("plan", go(f"/assessments/plan/{plan.pk}/")),
            ("form errors", errors_of("/cases/notice/")),
        ]
    if user.role == Role.COORDINATOR:
        return [
            ("start", go("/")),
            ("persons", go("/cases/persons/")),
            ("case file", case_file),
            ("deadlines", go("/cases/deadlines/")),
            ("plan", go(f"/assessments/plan/{plan.pk}/")),
            ("month end", go("/billing/month-end/")),
            ("month check", go("/billing/month-end/check/")),
            ("month close", go("/billing/month-end/closing/")),
            ("month submission", go("/billing/month-end/submission/")),
            ("month dashboard", go("/billing/month-end/dashboard/")),
            ("deliveries", go("/billing/deliveries/")),
            ("reports", go("/reports/")),
            ("funding agreement", follow("/billing/funding/", r"^/billing/funding/\d+/$")),
            ("form errors", errors_of("/providers/new/")),
        ]
    if user.role == Role.PROVIDER:
        return [
            ("start", go("/")),
            ("persons", go("/assessments/mine/")),
            ("case file", follow("/assessments/mine/", r"^/assessments/case/\d+/$")),
            ("plan", go(f"/assessments/plan/{plan.pk}/")),
            ("attendance grid", go("/billing/attendance/")),
            ("form errors", errors_of("/billing/deliveries/add/")),
        ]
    if user.role == Role.SKA:
        return [
            ("start", go("/")),
            ("provider register", go("/providers/register/")),
            ("invoices", go("/billing/invoices/")),
            ("invoice", follow("/billing/invoices/", r"^/billing/invoices/\d+/$")),
            ("reports", go("/reports/")),
            ("municipalities by month", go("/reports/months/")),
            ("funding agreements", go("/billing/funding/")),
            (
                "form errors",
                errors_of("/reports/jobs/", "main form[action='/reports/jobs/request/']"),
            ),
        ]
    raise AssertionError(f"no pages listed for {user.role}")


USERS = ["kj.metsakula", "koord.metsakula", "spetsialist", "ska"]
NARROW = {"width": 390, "height": 844}
#: Pages with the widest tables, checked again on a phone-sized screen.
NARROW_PAGES = {
    "kj.metsakula": ["/cases/persons/", "/cases/deadlines/"],
    "koord.metsakula": [
        "/billing/month-end/", "/billing/month-end/check/", "/billing/month-end/dashboard/",
        "/billing/deliveries/", "/reports/",
    ],
    "ska": ["/reports/months/", "/billing/invoices/", "/providers/register/"],
}


@pytest.fixture
def demo(tmp_path):
    """The demo of every app, committed; the transactional test's flush removes it."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.utils import translation

    storages = {**settings.STORAGES}
    default = storages["default"]
    storages["default"] = {**default, "OPTIONS": {**default["OPTIONS"], "location": tmp_path}}
    with override_settings(MEDIA_ROOT=tmp_path, STORAGES=storages):
        with translation.override("et"):
            for app in settings.LOCAL_APPS:
                if find_spec(f"{app}.demo"):
                    import_module(f"{app}.demo").load()
        yield


def test_every_roles_key_pages_have_no_serious_accessibility_violations(demo, page):
    findings = []
    page.goto("/accounts/login/")
    findings += audit(page, "signed out: login")
    send_empty(page, "/accounts/login/", "main form")
    findings += audit(page, "signed out: login errors")

    for username in USERS:
        sign_in(page, username)
        seen = set()
        for label, open_page in pages_of(username):
            open_page(page)
            page.wait_for_load_state("load")
            if page.url in seen:
                continue  # the start page may be one of the others: the coordinator's is month end
            seen.add(page.url)
            findings += audit(page, f"{username}: {label}")
        sign_out(page)

    # On a phone-sized screen wide tables scroll sideways: each must be reachable by keyboard.
    wide = page.viewport_size
    for username, pages in NARROW_PAGES.items():
        sign_in(page, username)
        page.set_viewport_size(NARROW)
        for path in pages:
            page.goto(path)
            page.wait_for_load_state("load")
            findings += audit(page, f"{username} ({NARROW['width']} px)")
        page.set_viewport_size(wide)
        sign_out(page)

    assert not findings, f"{len(findings)} violation(s):\n" + "\n".join(findings)
