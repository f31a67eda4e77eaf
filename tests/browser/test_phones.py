"""On a phone (390 px wide) no page the demo crawl reaches is wider than the screen.

The demo is loaded and committed once for the module, behind one live server
(tests.browser.conftest.demo_live_server); each demo user's pages are found as
tests/test_demo_crawl.py finds them (every link shown, breadth first, a few records of each
kind), then opened one by one in headless Chromium at 390 px. A page whose
``document.documentElement.scrollWidth`` exceeds the viewport is a finding; all findings are
reported at once, each with a screenshot in var/screenshots/phones/."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import demo_live_server
from tests.test_demo_crawl import USERS, crawl, route_of
from tests.test_demo_crawl import sign_in as client_sign_in

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "phones"


def sign_in(page, username: str) -> None:
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


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, committed, behind one live server for the module: its base URL."""
    with demo_live_server(django_db_blocker, tmp_path_factory.mktemp("phones-media")) as url:
        yield url


@pytest.fixture
def phone(browser, demo, django_db_blocker):
    """A page of the demo's live server. The test reads the database in autocommit, outside a
    test transaction: a sign-in through Django's test client and one through the browser both
    write the user's last login, and a test transaction would hold that row until the end."""
    context = browser.new_context(base_url=demo, locale="et-EE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    with django_db_blocker.unblock():
        yield page
    context.close()


def pages_of(username: str) -> list[str]:
    """The HTML pages the demo crawl reaches for ``username``, a few of each kind."""
    client = Client(raise_request_exception=False)
    client_sign_in(client, username)
    pages: list[str] = []
    crawl(client, username, pages)
    kinds: Counter[str] = Counter()
    chosen = []
    for url in pages:
        path = urlsplit(url).path
        kind = route_of(path) or path
        if kinds[kind] < PER_KIND:
            kinds[kind] += 1
            chosen.append(url)
    return chosen


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_no_page_any_demo_user_reaches_is_wider_than_a_phone(phone):
    page = phone
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    findings, opened, started = [], 0, time.monotonic()
    for username in USERS:
        urls = pages_of(username)
        assert len(urls) > 3, f"the crawl reached only {urls} for {username}"
        sign_in(page, username)
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


def test_at_1280_px_the_fill_rate_table_and_the_quality_of_life_chart_show_everything(phone):
    """Month end's fill-rate table keeps its last column in view; the quality-of-life chart
    labels every question (Chart.js skipped half of them)."""
    from assessments.models import QolSurvey

    page = phone
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "koord.metsakula")
    page.goto("/billing/month-end/dashboard/")
    box = page.get_by_test_id("table-fill").locator("xpath=..")
    widths = box.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert widths[0] <= widths[1], f"the fill-rate table is cut: {widths}"

    survey = QolSurvey.objects.filter(case__municipality__name="Metsaküla vald").order_by("pk").first()
    questions = survey.instrument.items.count()
    sign_in(page, "kj.metsakula")
    for width in (1280, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/cases/{survey.case_id}/")
        canvas = page.locator("canvas[data-chart='chart-qol']")
        canvas.scroll_into_view_if_needed()
        labels = canvas.evaluate("c => Chart.getChart(c).scales.y.ticks.length")
        assert labels == questions == 10, f"{labels} of {questions} questions labelled at {width} px"
        page.get_by_test_id("qol-change").screenshot(path=str(SCREENSHOTS.parent / f"qol-chart-{width}.png"))
