"""The month end in steps (issue 16): the overview is the coordinator's start page and shows the
month as five steps; check, close, submit and the dashboard are pages of their own. For each
state a month can be in, every page answers, marks itself in the step indicator and the
overview names the right next step, and every link of the overview answers 200."""

import re
from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from billing import services
from tests.billing.factories import build_world

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()
MAY_4 = datetime(2026, 5, 4, 9, 0, tzinfo=TZ)
APRIL_20 = datetime(2026, 4, 20, 9, 0, tzinfo=TZ)
ET = {"HTTP_ACCEPT_LANGUAGE": "et"}
PAGES = {
    "billing:month_end": "/billing/month-end/",
    "billing:month_check": "/billing/month-end/check/",
    "billing:month_closing": "/billing/month-end/closing/",
    "billing:month_submission": "/billing/month-end/submission/",
    "billing:month_dashboard": "/billing/month-end/dashboard/",
}


@pytest.fixture
def world(kov_a, provider_user):
    return build_world(kov_a, provider_user=provider_user)


def _close(world, by):
    return services.close_month(municipality=world.kov, month=date(2026, 4, 1), by=by, today=date(2026, 5, 4))


def _open_with_warnings(world, coordinator, ska):
    # A group session where the plan buys the individual form: a warning to accept.
    services.record_deliveries(drafts=[world.draft(form="G")], by=coordinator)


def _open_clean(world, coordinator, ska):
    services.record_deliveries(drafts=[world.draft()], by=coordinator)


def _closed(world, coordinator, ska):
    _open_clean(world, coordinator, ska)
    return _close(world, coordinator)


def _submitted(world, coordinator, ska):
    invoice = _closed(world, coordinator, ska)
    services.submit_invoice(invoice=invoice, by=coordinator, now=MAY_4)
    return invoice


def _accepted(world, coordinator, ska):
    invoice = _submitted(world, coordinator, ska)
    services.review_invoice(invoice=invoice, by=ska, accept=True)


def _returned(world, coordinator, ska):
    invoice = _submitted(world, coordinator, ska)
    services.review_invoice(invoice=invoice, by=ska, accept=False, remarks="Osalejate arv ei klapi")


#: state → (how to reach it, each step's state, the next step's key or None)
STATES = {
    "open with warnings": (_open_with_warnings, ["done", "current", "blocked", "waiting", "waiting"], "check"),
    "open clean": (_open_clean, ["done", "done", "current", "waiting", "waiting"], "close"),
    "closed": (_closed, ["done", "done", "done", "current", "waiting"], "submit"),
    "submitted": (_submitted, ["done", "done", "done", "done", "waiting"], "answer"),
    "accepted": (_accepted, ["done", "done", "done", "done", "done"], None),
    "returned": (_returned, ["done", "done", "done", "done", "blocked"], "answer"),
}
STEP_KEYS = ["deliveries", "check", "close", "submit", "answer"]


def _steps(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-testid="step-(\w+)" data-state="(\w+)"', html))


@pytest.mark.parametrize("name", list(STATES))
def test_each_month_state_shows_its_steps_and_the_next_one(client, world, coordinator_a, ska_user, name):
    reach, expected, following = STATES[name]
    reach(world, coordinator_a, ska_user)
    client.force_login(coordinator_a)
    with time_machine.travel(MAY_4):
        response = client.get("/billing/month-end/?month=2026-04", **ET)
    html = response.content.decode()
    assert _steps(html) == dict(zip(STEP_KEYS, expected, strict=True))
    if following:
        assert response.context["next_step"].key == following
        assert f'data-testid="step-{following}" data-state="{expected[STEP_KEYS.index(following)]}" aria-current="step"' in html
    else:
        assert response.context["next_step"] is None
        assert "Kõik selle kuu sammud on tehtud." in html


@pytest.mark.parametrize("name", list(STATES))
def test_every_page_of_every_month_state_answers_and_marks_itself(client, world, coordinator_a, ska_user, name):
    STATES[name][0](world, coordinator_a, ska_user)
    client.force_login(coordinator_a)
    with time_machine.travel(MAY_4):
        overview = client.get("/billing/month-end/?month=2026-04", **ET).content.decode()
        links = set(re.findall(r'href="(/billing/[^"#]+)"', overview))
        for link in sorted(links):
            assert client.get(link.replace("&amp;", "&")).status_code == 200, link
        for index, path in enumerate(PAGES.values()):
            html = client.get(f"{path}?month=2026-04", **ET).content.decode()
            indicator = html.split('data-testid="month-steps-nav"')[1].split("</nav>")[0]
            current = re.findall(r'href="([^"]+)" aria-current="page"', indicator)
            assert current == [f"{path}?month=2026-04"], (path, current)
            pager = html.split('data-testid="step-pager"')[1]
            assert ('rel="prev"' in pager) == (index > 0)
            assert ('rel="next"' in pager) == (index < len(PAGES) - 1)


def test_the_check_page_offers_the_warning_to_accept_and_says_what_blocks(client, world, coordinator_a, ska_user):
    _open_with_warnings(world, coordinator_a, ska_user)
    client.force_login(coordinator_a)
    with time_machine.travel(MAY_4):
        html = client.get("/billing/month-end/check/?month=2026-04", **ET).content.decode()
    assert 'data-testid="blockers"' in html and "1 hoiatus on aktsepteerimata." in html
    assert 'data-testid="accept-many"' in html and "/warnings/accept/" in html
    assert "/billing/month-end/recheck/" in html
    # accepting the warning leads back to the check page, and the month is then ready to close
    delivery = world.case.deliveries.get()
    with time_machine.travel(MAY_4):
        response = client.post("/billing/warnings/accept/", {"month": "2026-04", "delivery": delivery.pk, "reason": "Grupp oli kokku lepitud"})
        assert response["Location"] == "/billing/month-end/check/?month=2026-04"
        html = client.get("/billing/month-end/?month=2026-04").content.decode()
    assert _steps(html)["check"] == "done" and _steps(html)["close"] == "current"


def test_a_month_not_yet_ended_waits_for_its_sessions(client, world, coordinator_a):
    client.force_login(coordinator_a)
    with time_machine.travel(APRIL_20):
        html = client.get("/billing/month-end/?month=2026-04", **ET).content.decode()
    assert _steps(html) == {"deliveries": "current", "check": "done", "close": "waiting", "submit": "waiting", "answer": "waiting"}
    assert "30.04.2026" in html.split('data-testid="step-deliveries"')[1].split("</li>")[0]


def test_a_closed_month_is_submitted_from_the_submission_page(client, world, coordinator_a, ska_user):
    invoice = _closed(world, coordinator_a, ska_user)
    client.force_login(coordinator_a)
    with time_machine.travel(MAY_4):
        closing = client.get("/billing/month-end/closing/?month=2026-04", **ET).content.decode()
        html = client.get("/billing/month-end/submission/?month=2026-04", **ET).content.decode()
    assert invoice.number in closing.split('data-testid="closed-note"')[1] and "/billing/month-end/close/" not in closing
    form = html[html.index(f"/billing/invoices/{invoice.pk}/submit/"):]
    assert "data-confirm=" in form[: form.index("</button>")] and "Esita SKA-le" in form[: form.index("</button>")]
    assert f"/billing/invoices/{invoice.pk}/e-invoice.xml" in html
    assert 'id="invoice-files"' in html and 'id="month-reports"' in html


def test_a_returned_month_says_the_remarks_and_offers_the_reopen(client, world, coordinator_a, ska_user):
    _returned(world, coordinator_a, ska_user)
    client.force_login(coordinator_a)
    with time_machine.travel(MAY_4):
        overview = client.get("/billing/month-end/?month=2026-04", **ET).content.decode()
        submission = client.get("/billing/month-end/submission/?month=2026-04", **ET).content.decode()
    answer = overview.split('data-testid="step-answer"')[1].split("</li>")[0]
    assert "Osalejate arv ei klapi" in answer
    assert 'data-testid="returned-invoices"' in overview
    assert "/billing/month-end/reopen/" in submission and "data-confirm=" in submission
