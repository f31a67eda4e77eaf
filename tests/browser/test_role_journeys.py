"""Each role's main journey, from the start page to the finished task, in Chromium.

Case manager, specialist, coordinator and SKA each walk their journey on the demo data, at
1 280 px (a desktop) and at 390 px (a touch-screen phone), with an Estonian browser and an
English one (whose user picks English with the switch: Tugi is Estonian until then). The
steps click links and buttons by role and accessible name, as a user would; only the login
page is typed in. Every page on the way is checked (tests/browser/journeys.py): its language,
axe-core's serious and critical violations, and on the phone the page's width and the height
of its touch targets. Screenshots of each step go to var/screenshots/journeys/; with
TUGI_SCREENSHOTS_TO_DOCS=1 the Estonian ones refresh docs/journeys/ (``make journeys``).

Each journey is a list of small step functions, so that a page that changes changes one step.

The demo is loaded once for the module and committed, and one live server serves all 16
journeys (loading the demo takes long; a transactional test would flush it after each
journey). The journeys change it, so each of the four runs of a role works on its own
record: the ``n``-th run (``Journey.run``) closes its own month, records on its own grid
line; the case manager and SKA take the first item still waiting, and the demo holds enough
of them. The database is flushed when the module ends, as after any transactional test.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import demo_live_server
from tests.browser.journeys import PHONE, WIDE, Journey, new_journey
from tugi.workdays import add_months, month_start

#: ``django_db`` so that the test database is set up; each test's own transaction stays
#: empty (the steps only read), the live server's threads commit on their own connections.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

#: The four runs of each journey, in order: (width, browser locale).
RUNS = [(WIDE["width"], "et-EE"), (PHONE["width"], "et-EE"), (WIDE["width"], "en-US"), (PHONE["width"], "en-US")]


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, committed, behind one live server for the module; flushed at the end."""
    with demo_live_server(django_db_blocker, tmp_path_factory.mktemp("journeys-media"), prepare=_more_to_do) as url:
        yield url


def _more_to_do() -> None:
    """SKA reviews four invoices (the demo submits one a KOV, these one more), and each month a
    coordinator's run closes has warnings to accept."""
    from accounts.models import Municipality, Role, User
    from billing import services

    month = add_months(month_start(timezone.localdate()), -4)
    for municipality in Municipality.objects.all():
        coordinator = User.objects.get(role=Role.COORDINATOR, municipality=municipality)
        invoice = services.close_month(municipality=municipality, month=month, by=coordinator)
        services.submit_invoice(invoice=invoice, by=coordinator)
    for municipality in Municipality.objects.all():
        for back in (-1, -3):
            over_the_plan(municipality, add_months(month_start(timezone.localdate()), back))


def over_the_plan(municipality, month) -> None:
    """Sessions of 5 h on one plan line of ``month`` until it is beyond the plan's hours: a
    warning the coordinator accepts with a reason (the demo has none in the open months)."""
    from datetime import timedelta

    from billing import rules, services
    from billing.models import Delivery, Status
    from tugi.workdays import month_end

    in_month = Delivery.objects.filter(municipality=municipality, date__gte=month, date__lte=month_end(month))
    first = in_month.order_by("pk").first()
    assert first is not None, f"no demo sessions in {month:%m.%Y} of {municipality}"
    day = month
    while not in_month.filter(status=Status.WARNING).exists() and day <= month_end(month):
        if day.weekday() < 5:
            draft = rules.Draft(
                municipality=municipality, case=first.case, component=first.component, provider=first.provider,
                specialist=first.specialist, date=day, minutes=300, form=first.form,
            )
            with contextlib.suppress(services.BillingError):  # e.g. not in the plan that day
                services.record_deliveries(drafts=[draft], by=None)
        day += timedelta(days=1)
    assert in_month.filter(status=Status.WARNING).exists(), f"no warning in {month:%m.%Y} of {municipality}"


def menu(j: Journey, label: str) -> None:
    """Follow a link of the main menu; on a phone, open the folded menu first."""
    page = j.page
    toggler = page.get_by_role("button", name=j._("Show menu"))
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("navigation", name=j._("Main menu")).get_by_role("link", name=j._(label), exact=True).click()


def home(j: Journey) -> None:
    """The Tugi name at the top left leads to the role's start page."""
    j.page.get_by_role("link", name=j._("Tugi"), exact=True).click()


# --- Case manager: a decision of a network meeting is done --------------------------------


def cm_start(j: Journey) -> None:
    j.sign_in("kj.metsakula")
    expect(j.page.get_by_role("heading", level=1)).to_have_text(j._("My persons and deadlines"))
    j.seen("start", focus=j.page.locator('[data-testid^="task-decision-"]').first)


def cm_open_a_due_decision(j: Journey) -> None:
    """The first network-meeting decision on the task list: its person is remembered."""
    task = j.page.locator('[data-testid^="task-decision-"]').first
    j.task = task.get_attribute("data-testid")
    j.tasks_before = j.page.locator(f'[data-testid="{j.task}"]').count()
    j.person = task.inner_text().split("\n")[1].strip()
    j.person = re.sub(r"\s+\S*-\d+$", "", j.person)  # the case number after the name
    task.get_by_test_id("task-link").click()
    expect(j.page.get_by_role("heading", level=1)).to_contain_text(
        j._("Network meeting no. %(number)s").split("%")[0].strip()
    )
    j.seen("meeting", focus=j.page.get_by_role("button", name=j._("Mark done")))


def cm_mark_the_decision_done(j: Journey) -> None:
    j.page.get_by_role("button", name=j._("Mark done")).first.click()
    expect(j.page.get_by_role("cell", name=f"{timezone.localdate():%d.%m.%Y}").first).to_be_visible()
    j.seen("decision-done", focus=j.page.get_by_role("cell", name=f"{timezone.localdate():%d.%m.%Y}"))


def cm_case_file(j: Journey) -> None:
    j.page.get_by_role("link", name=re.compile(rf"^← {re.escape(j.person)}")).click()
    expect(j.page.get_by_role("heading", level=1)).to_contain_text(j.person)
    j.seen("case-file", focus=j.page.locator("#meetings"))


def cm_back_on_the_start_page(j: Journey) -> None:
    home(j)
    expect(j.page.get_by_role("heading", level=1)).to_have_text(j._("My persons and deadlines"))
    expect(j.page.locator(f'[data-testid="{j.task}"]')).to_have_count(j.tasks_before - 1)
    j.seen("start-done")


# --- Specialist: a session in the week grid -------------------------------------------------


def sp_start(j: Journey) -> None:
    """The specialist starts on this week's persons and hours against their plans."""
    j.sign_in("spetsialist")
    expect(j.page.get_by_role("heading", level=1)).to_contain_text(j._("This week"))
    j.seen("start")


def sp_week_grid(j: Journey) -> None:
    menu(j, "My attendance")
    grid = j.page.get_by_test_id("week-grid")
    expect(grid).to_be_visible()
    if j.phone:  # the grid scrolls sideways; the person's name stays in view
        scrolled = grid.evaluate("""table => { const box = table.parentElement; box.scrollLeft = box.scrollWidth;
            const cell = table.querySelector('tbody th').getBoundingClientRect();
            return [box.scrollLeft, Math.round(cell.left - box.getBoundingClientRect().left)]; }""")
        assert scrolled[0] > 0 and scrolled[1] == 0, f"the person column scrolled away: {scrolled}"
        grid.evaluate("table => { table.parentElement.scrollLeft = 0; }")
    j.seen("week-grid")


def sp_enter_and_save(j: Journey) -> None:
    """An hour today, on the grid's first line (the second on the second run, ...)."""
    today = f"{timezone.localdate():%d.%m.%Y}"
    cell = j.page.get_by_test_id("grid-line").nth(j.run).get_by_role("spinbutton", name=re.compile(re.escape(today)))
    j.cell_label = cell.get_attribute("aria-label")
    cell.fill("60")
    j.page.get_by_role("button", name=j._("Save the week")).click()
    saved = j.page.get_by_role("spinbutton", name=j.cell_label, exact=True).locator("xpath=..")
    expect(saved).to_contain_text("60 min")
    j.seen("week-saved", focus=saved)


def sp_sessions(j: Journey) -> None:
    j.page.get_by_role("link", name=j._("Sessions"), exact=True).click()
    person = j.cell_label.split(" ")[:2]
    expect(j.page.get_by_role("row").filter(has_text=f"{timezone.localdate():%d.%m.%Y}").filter(
        has_text=" ".join(person)).first).to_be_visible()
    j.seen("sessions")


def sp_session_form(j: Journey) -> None:
    j.page.get_by_role("link", name=j._("Record a session"), exact=True).click()
    expect(j.page.get_by_role("button", name=j._("Save"), exact=True)).to_be_visible()
    # Choosing the person whose cell was saved puts their plan's components first.
    components = j.page.locator("select[name=component]")
    expect(components.locator("optgroup")).to_have_count(0)
    person = " ".join(j.cell_label.split(" ")[:2])
    case = j.page.locator("select[name=case] option").filter(has_text=person).first.get_attribute("value")
    j.page.locator("select[name=case]").select_option(case)
    expect(components.locator("optgroup").first).to_have_attribute("label", j._("In the plan"))
    j.seen("session-form")


# --- Coordinator: last month checked, closed and submitted to SKA ---------------------------


def co_start(j: Journey) -> None:
    """Runs 1 and 3 are Järveranna's: each run closes a month of its own."""
    j.sign_in("koord.metsakula" if j.run % 2 == 0 else "koord.jarveranna")
    expect(j.page.get_by_role("heading", level=1)).to_contain_text(j._("Month end"))
    j.seen("month-end")


def co_month_to_close(j: Journey) -> None:
    """Last month (runs 0 and 1: the start page shows it) or three months back (runs 2 and 3,
    two clicks back), still open; the month before last is the demo's, submitted. The start
    page shows the month as steps; its check step leads to the check page."""
    target = add_months(month_start(timezone.localdate()), -1 if j.run < 2 else -3)
    heading = j.page.get_by_role("heading", level=1)
    for _click in range(4):
        if f"{target:%m.%Y}" in heading.inner_text():
            break
        j.page.get_by_role("link", name=re.compile(re.escape(j._("Previous month")))).click()
    expect(heading).to_contain_text(f"{target:%m.%Y}")
    expect(j.page.get_by_test_id("month-steps")).to_be_visible()
    if j.run >= 2:
        j.seen("month-to-close")
    j.page.get_by_test_id("step-check").get_by_role("link", name=j._("Check the month")).click()
    expect(heading).to_contain_text(f"{target:%m.%Y}")


def co_accept_warnings(j: Journey) -> None:
    """One warning accepted with its own reason, the rest ticked and accepted with one."""
    page = j.page
    problems = page.get_by_test_id("problems")
    expect(problems.get_by_role("textbox", name=j._("Reason for accepting")).first).to_be_visible()
    problems.get_by_role("textbox", name=j._("Reason for accepting")).first.fill("Plaan uueneb järgmisel kuul")
    problems.get_by_role("button", name=j._("Accept"), exact=True).first.click()
    expect(page.get_by_role("status")).to_be_visible()
    j.seen("warning-accepted", focus=page.get_by_test_id("problems"))
    boxes = page.get_by_test_id("problems").get_by_role("checkbox")
    if boxes.count():
        for index in range(boxes.count()):
            boxes.nth(index).check()
        page.get_by_label(j._("One reason for all ticked warnings")).fill("Kokku lepitud SKA-ga")
        page.get_by_role("button", name=j._("Accept the ticked warnings")).click()
    expect(page.get_by_test_id("blockers-none")).to_be_visible()
    j.seen("warnings-handled", focus=page.get_by_test_id("blockers-none"))


def co_close(j: Journey) -> None:
    """The next step's page closes the month: it asks first, then shows the month's invoice
    with its documents (PDF, XLSX)."""
    j.page.get_by_test_id("step-next").click()
    expect(j.page.get_by_test_id("close-step")).to_be_visible()
    _confirmed(j, "Close the month", "closed, not submitted", step="closed", act="closing the month")


def co_submit(j: Journey) -> None:
    _confirmed(j, "Submit to SKA", "submitted", step="submitted", act="submitting")


def _confirmed(j: Journey, button: str, state: str, *, step: str, act: str) -> None:
    """Press ``button``, which asks first; the invoice is then in ``state``."""
    asked = j.confirm_next_dialog()
    j.page.get_by_role("button", name=j._(button)).click()
    expect(j.page.get_by_test_id("invoice-state")).to_have_text(j._(state))
    assert asked, f"{act} did not ask first"
    j.seen(step, focus=j.page.get_by_test_id("invoice-state"))


# --- SKA: an invoice waiting for review is accepted -----------------------------------------


def ska_start(j: Journey) -> None:
    j.sign_in("ska")
    j.seen("start")


def ska_invoices(j: Journey) -> None:
    menu(j, "Consolidated invoices")
    expect(j.page.get_by_role("heading", level=1)).to_have_text(j._("Consolidated invoices"))
    j.seen("invoices")


def ska_open_a_submitted_invoice(j: Journey) -> None:
    page = j.page
    # (on a phone the rows are stacked and a cell's name starts with its column's)
    state = page.get_by_role("cell", name=re.compile(rf"(^|\s){re.escape(j._('submitted'))}$"))
    row = page.get_by_role("row").filter(has=state).first
    j.invoice = row.get_by_role("link").first.inner_text().strip()
    row.get_by_role("link", name=j.invoice).click()
    expect(page.get_by_test_id("invoice-state")).to_have_text(j._("submitted"))
    j.seen("invoice", focus=page.get_by_role("button", name=j._("Save the review")))


def ska_accept(j: Journey) -> None:
    j.page.get_by_role("radio", name=j._("Accept"), exact=True).check()
    j.page.get_by_role("button", name=j._("Save the review")).click()
    expect(j.page.get_by_test_id("invoice-state")).to_have_text(j._("accepted"))
    j.seen("accepted", focus=j.page.get_by_test_id("invoice-state"))


def ska_back_to_the_list(j: Journey) -> None:
    menu(j, "Consolidated invoices")
    row = j.page.get_by_role("row").filter(has=j.page.get_by_role("link", name=j.invoice, exact=True))
    expect(row).to_contain_text(j._("accepted"))
    j.seen("invoices-after")


JOURNEYS = {
    # The coordinator first: SKA may then review the invoices submitted.
    "coordinator": [co_start, co_month_to_close, co_accept_warnings, co_close, co_submit],
    "ska": [ska_start, ska_invoices, ska_open_a_submitted_invoice, ska_accept, ska_back_to_the_list],
    "case-manager": [cm_start, cm_open_a_due_decision, cm_mark_the_decision_done, cm_case_file,
                     cm_back_on_the_start_page],
    "specialist": [sp_start, sp_week_grid, sp_enter_and_save, sp_sessions, sp_session_form],
}


@pytest.mark.parametrize(("width", "locale"), RUNS, ids=[f"{w}-{loc}" for w, loc in RUNS])
@pytest.mark.parametrize("role", list(JOURNEYS))
def test_each_role_walks_its_journey(server, browser, role, width, locale):
    journey = new_journey(browser, server, role, width, locale)
    journey.run = RUNS.index((width, locale))
    try:
        for step in JOURNEYS[role]:
            step(journey)
    except Exception:
        journey.screenshot(f"failed-after-{journey.step:02d}")
        raise
    finally:
        journey.page.context.close()
    journey.finish()
