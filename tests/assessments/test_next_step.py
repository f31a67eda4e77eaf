"""The case file's next step follows the case's state, and the plan section says who makes the
plan and how far it is; the case manager reads the draft."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from accounts.models import AccessLog
from assessments import services
from cases import deadlines
from cases.models import Case
from tests.assessments.factories import assess, draft_plan, link
from tests.cases.factories import CaseFactory
from tests.providers.factories import component

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 1, 25)):
        yield


def _detail(client, case) -> str:
    with translation.override("et"):
        return client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()


def _next_step(page) -> str:
    """The primary button: an <a> or a <form> around a <button>."""
    actions = page.split('data-testid="case-actions"', 1)[1].split("</div>", 1)[0]
    return actions


def _test_id(page, name) -> str:
    return re.search(rf'data-testid="{name}"[^>]*>(.*?)</dd>', page, re.S).group(1)


def test_a_noticed_persons_next_step_is_the_decision_on_entry(client, kov_a, case_manager_a):
    case = CaseFactory(municipality=kov_a, case_manager=case_manager_a)
    client.force_login(case_manager_a)
    actions = _next_step(_detail(client, case))
    assert f'class="btn btn-primary btn-sm" data-testid="next-step" href="{reverse("cases:eligibility", args=[case.pk])}"' in actions
    assert "Otsusta sisenemine" in actions
    assert reverse("cases:close", args=[case.pk]) in actions and "btn-outline-danger" not in actions
    step = deadlines.next_step(case, [])
    assert (step.kind, step.since, step.due) == (deadlines.Kind.NOTICED, case.noticed_on, None)


def test_after_entry_the_next_step_starts_the_assessment_and_exit_is_secondary(client, case, case_manager_a):
    client.force_login(case_manager_a)
    actions = _next_step(_detail(client, case))
    start = reverse("assessments:assessment_start", args=[case.pk])
    assert re.search(rf'<form method="post" action="{start}">.*Hinda toetusvajadust</button>', actions, re.S)
    exit_button = re.search(r'<a class="([^"]*)" data-testid="exit"', actions).group(1)
    assert exit_button == "btn btn-outline-secondary btn-sm"
    response = client.post(start)
    draft = case.assessments.get()
    assert response.url == reverse("assessments:assessment_edit", args=[draft.pk])
    # The assessment in progress: the same step goes on with the draft.
    assert f'data-testid="next-step" href="{response.url}"' in _next_step(_detail(client, case))


def test_after_the_assessment_the_next_step_links_base_support_then_follows_the_plan(
    client, case, case_manager_a, base_provider, specialist
):
    client.force_login(case_manager_a)
    assess(case, by=case_manager_a, on=date(2026, 1, 20))
    page = _detail(client, case)
    assert f'href="{reverse("assessments:link_provider", args=[case.pk])}"' in _next_step(page)
    assert "siduge isik esmalt" in _test_id(page, "plan-maker").lower()

    link(case, base_provider, by=case_manager_a, on=date(2026, 1, 21))
    page = _detail(client, case)
    assert f'href="{reverse("cases:case_detail", args=[case.pk])}#plan"' in _next_step(page)
    assert "MTÜ Baastugi" in _test_id(page, "plan-maker")
    assert "alustamata" in _test_id(page, "plan-state")

    with time_machine.travel(date(2026, 1, 23)):
        plan = draft_plan(case, by=specialist)
    page = _detail(client, case)
    draft_url = reverse("assessments:plan_detail", args=[plan.pk])
    assert f'href="{draft_url}"' in _next_step(page)
    assert "Vaata plaani kavandit" in _next_step(page)
    state = _test_id(page, "plan-state")
    assert "kavand alates 23.01.2026" in state and draft_url in state


def test_the_case_manager_reads_the_draft_plan_and_the_look_is_logged(client, case, case_manager_a, base_provider, specialist):
    assess(case, by=case_manager_a, on=date(2026, 1, 20))
    link(case, base_provider, by=case_manager_a, on=date(2026, 1, 21))
    plan = draft_plan(case, by=specialist)
    client.force_login(case_manager_a)
    before = AccessLog.objects.count()
    with translation.override("et"):
        response = client.get(reverse("assessments:plan_detail", args=[plan.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="plan-read-only"' in page
    assert reverse("assessments:plan_agree", args=[plan.pk]) not in page
    assert reverse("assessments:goal_add", args=[plan.pk]) not in page
    row = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    assert (row.user, row.subject) == (case_manager_a, case.person)
    # The specialist who makes it sees no read-only note and may edit.
    client.force_login(specialist)
    page = client.get(reverse("assessments:plan_detail", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-read-only"' not in page
    assert reverse("assessments:plan_agree", args=[plan.pk]) in page


def test_with_an_agreed_plan_the_next_step_is_the_entry_survey_with_its_respondent(
    client, case, case_manager_a, base_provider, specialist
):
    assess(case, by=case_manager_a, on=date(2026, 1, 20))
    link(case, base_provider, by=case_manager_a, on=date(2026, 1, 21))
    plan = draft_plan(case, by=specialist)
    services.add_line(
        plan=plan, component=component("L01"), provider=base_provider, form="I",
        monthly_quantity=Decimal("10"), valid_from=date(2026, 2, 1),
    )
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 24))
    client.force_login(case_manager_a)
    page = _detail(client, case)
    assert "kokku lepitud 24.01.2026" in _test_id(page, "plan-state")
    survey = reverse("assessments:survey_add", args=[case.pk])
    url = re.search(r'data-testid="next-step" href="([^"]+)"', _next_step(page)).group(1).replace("&amp;", "&")
    assert url == f"{survey}?occasion=entry&respondent=person"
    form = client.get(url).content.decode()
    assert re.search(r'<option value="entry" selected>', form)
    assert re.search(r'<option value="person" selected>', form)


def test_the_next_step_follows_the_life_of_the_case_before_the_due_dates(case, case_manager_a):
    """The base-support link comes before the plan even when the plan is due first."""
    case.entry_date = date(2026, 1, 15)  # link due 14.02
    case.latest_assessment_date = date(2026, 1, 11)  # plan due 10.02
    case.save()
    case = Case.objects.get(pk=case.pk)
    found = deadlines.deadlines_for(Case.objects.filter(pk=case.pk), date(2026, 1, 25))
    plan_due = next(d.due for d in found if d.kind == deadlines.Kind.PLAN)
    link_due = next(d.due for d in found if d.kind == deadlines.Kind.BASE_LINK)
    assert plan_due < link_due
    assert deadlines.next_step(case, found).kind == deadlines.Kind.BASE_LINK
