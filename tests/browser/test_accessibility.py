"""Every page of the demo, in Chromium: accessible, and no wider than a phone.

The demo is loaded and committed once for the module, behind one live server
(tests.browser.conftest.demo_live_server), for both checks:

- **axe-core.** Every role's key pages pass axe-core's WCAG 2.0 / 2.1 A and AA rules. Each demo
  user signs in and opens the pages of their role: start page, persons, a case file,
  deadlines, a plan, month end, the attendance grid, reports, and a form sent empty so that
  its validation errors show; the login page is checked signed out. axe runs on each page and
  every serious or critical violation of every page is reported at once.
- **Phones.** On a phone (390 px wide) no page the demo crawl reaches is wider than the
  screen: each demo user's pages are found as tests/test_demo_crawl.py finds them (every link
  shown, breadth first, one record of each kind), then opened one by one at 390 px (a kind of
  page already opened for the other municipality's user of the same role is not opened again). A page
  whose ``document.documentElement.scrollWidth`` exceeds the viewport is a finding; all
  findings are reported at once, each with a screenshot in var/screenshots/phones/."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import demo_live_server
from tests.test_demo_crawl import USERS as CRAWLED_USERS
from tests.test_demo_crawl import crawl, route_of
from tests.test_demo_crawl import sign_in as client_sign_in

pytestmark = [pytest.mark.browser]

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


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, committed, behind one live server for the module: its base URL."""
    with demo_live_server(django_db_blocker, tmp_path_factory.mktemp("demo-media")) as url:
        yield url


@pytest.fixture
def on_demo(browser, demo, django_db_blocker):
    """A page of the demo's live server. The test reads the database in autocommit, outside a
    test transaction: a sign-in through Django's test client and one through the browser both
    write the user's last login, and a test transaction would hold that row until the end."""
    context = browser.new_context(base_url=demo, locale="et-EE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    with django_db_blocker.unblock():
        yield page
    context.close()


def test_every_roles_key_pages_have_no_serious_accessibility_violations(on_demo):
    page = on_demo
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


# --- Phones: no page wider than the screen ------------------------------------------------

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "phones"


def sign_in_on_phone(page, username: str) -> None:
    """Sign in on the login page; at 390 px the menu (and who is signed in) is folded away."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Kasutajanimi").fill(username)
    page.get_by_label("Parool").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logi sisse").click()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


#: Each kind of page (route, and path with a query) is opened this many times per user: the
#: crawl reaches up to four records of each kind, which share their template.
PER_KIND = 1


def crawled_pages(username: str) -> list[tuple[str, str]]:
    """(kind, URL) of the HTML pages the demo crawl reaches for ``username``, a few of each kind."""
    client = Client(raise_request_exception=False)
    client_sign_in(client, username)
    pages: list[str] = []
    crawl(client, username, pages, records_per_route=PER_KIND, query_variants=PER_KIND)
    kinds: Counter[str] = Counter()
    chosen = []
    for url in pages:
        path = urlsplit(url).path
        kind = route_of(path) or path
        if kinds[kind] < PER_KIND:
            kinds[kind] += 1
            chosen.append((kind, url))
    return chosen


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_no_page_any_demo_user_reaches_is_wider_than_a_phone(on_demo):
    page = on_demo
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    findings, opened, started = [], 0, time.monotonic()
    # The second municipality's case manager and coordinator see the same kinds of page as the
    # first's: only the kinds their crawl reaches that the first one's did not are opened again.
    kinds_opened: dict[str, set[str]] = {}
    for username in CRAWLED_USERS:
        pages = crawled_pages(username)
        assert len(pages) > 3, f"the crawl reached only {pages} for {username}"
        opened_for_role = kinds_opened.setdefault(username.split(".")[0], set())
        urls = [url for kind, url in pages if kind not in opened_for_role]
        opened_for_role.update(kind for kind, _url in pages)
        sign_in_on_phone(page, username)
        for url in urls:
            page.goto(url, wait_until="load")
            opened += 1
            name = re.sub(r"[^a-z0-9]+", "-", f"{username}{url}".lower()).strip("-")
            if (extra := overflow(page)) > 0:
                page.screenshot(path=str(SCREENSHOTS / f"too-wide-{name}.png"), full_page=True)
                findings.append(f"{username} {url}: {extra} px wider than {PHONE['width']} px")
    assert opened > 50
    print(f"{opened} pages opened at {PHONE['width']} px in {time.monotonic() - started:.0f} s")
    assert not findings, f"{len(findings)} of {opened} pages too wide:\n" + "\n".join(findings)


@pytest.mark.django_db(transaction=True)
def test_the_width_check_sees_a_page_wider_than_the_screen(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    assert overflow(page) == 0
    page.evaluate("() => { const d = document.createElement('div'); d.style.width = '800px';"
                  " d.textContent = 'x'; document.querySelector('main').append(d); }")
    assert overflow(page) > 0


def test_at_1280_px_the_fill_rate_table_and_the_quality_of_life_chart_show_everything(on_demo):
    """Month end's fill-rate table keeps its last column in view; the quality-of-life chart
    labels every question (Chart.js skipped half of them)."""
    from assessments.models import QolSurvey

    page = on_demo
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_on_phone(page, "koord.metsakula")
    page.goto("/billing/month-end/dashboard/")
    box = page.get_by_test_id("table-fill").locator("xpath=..")
    widths = box.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert widths[0] <= widths[1], f"the fill-rate table is cut: {widths}"

    survey = QolSurvey.objects.filter(case__municipality__name="Metsaküla vald").order_by("pk").first()
    questions = survey.instrument.items.count()
    sign_in_on_phone(page, "kj.metsakula")
    for width in (1280, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/cases/{survey.case_id}/")
        canvas = page.locator("canvas[data-chart='chart-qol']")
        canvas.scroll_into_view_if_needed()
        labels = canvas.evaluate("c => Chart.getChart(c).scales.y.ticks.length")
        assert labels == questions == 10, f"{labels} of {questions} questions labelled at {width} px"
        page.get_by_test_id("qol-change").screenshot(path=str(SCREENSHOTS.parent / f"qol-chart-{width}.png"))
