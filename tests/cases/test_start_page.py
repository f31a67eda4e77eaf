"""The case manager's start page as a task list: one test per state of a case file, each
asserting the task's link goes to the page where that step is done, and that page answers."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from accounts.models import AccessLog
from cases.models import CaseState
from tests.assessments.factories import assess, base_provider_for, draft_plan, link, specialist_of
from tests.cases.factories import CaseFactory, EnteredCaseFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 4)
DONE = date(2026, 4, 15)  # a survey answered


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def kj(client, case_manager_a):
    client.force_login(case_manager_a)
    return client


def _tasks(client, **params):
    response = client.get(reverse("cases:home"), params)
    assert response.status_code == 200
    return response, {(task.kind, task.case): (task, note) for task, note in response.context["tasks"]}


def _opens(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _mine(kov, cm, **fields):
    return EnteredCaseFactory(municipality=kov, case_manager=cm, **fields)


def test_a_noticed_person_awaits_the_decision_and_leads_to_the_eligibility_check(kj, kov_a, case_manager_a):
    case = CaseFactory(municipality=kov_a, case_manager=case_manager_a, noticed_on=date(2026, 4, 20))
    response, tasks = _tasks(kj)
    (task, note), = [v for (kind, c), v in tasks.items() if c == case]
    assert task.kind == "noticed" and task.due is None and not task.overdue
    assert task.since == date(2026, 4, 20)
    assert task.url == reverse("cases:eligibility", args=[case.pk])
    assert "20.04.2026" in response.content.decode()
    _opens(kj, task.url)


def test_entered_without_an_assessment_the_assessment_is_due_on_the_assessments_page(kj, kov_a, case_manager_a):
    case = _mine(kov_a, case_manager_a, entry_date=date(2026, 3, 20))  # due 19.04: overdue
    _, tasks = _tasks(kj)
    task, _ = tasks["assessment", case]
    assert task.overdue and task.due == date(2026, 4, 19)
    assert task.url == reverse("assessments:case", args=[case.pk])
    page = _opens(kj, task.url).content.decode()
    assert reverse("assessments:assessment_start", args=[case.pk]) in page
    # the same case's other steps are on the list too, each with its own page
    assert tasks["base_link", case][0].url == reverse("assessments:link_provider", args=[case.pk])


def test_assessed_without_a_link_the_link_is_due_on_the_linking_page(kj, kov_a, case_manager_a):
    case = _mine(
        kov_a, case_manager_a, entry_date=date(2026, 4, 10), qol_entry_person_on=DONE, qol_entry_specialist_on=DONE
    )
    assess(case, by=case_manager_a, on=date(2026, 4, 25))
    _, tasks = _tasks(kj)
    assert [kind for kind, c in tasks if c == case] == ["base_link"]
    task, _ = tasks["base_link", case]
    assert task.due == date(2026, 5, 10) and not task.overdue
    assert task.url == reverse("assessments:link_provider", args=[case.pk])
    _opens(kj, task.url)


def test_linked_without_a_plan_says_who_makes_the_plan_and_since_when(kj, kov_a, case_manager_a):
    provider = base_provider_for(kov_a)
    case = _mine(
        kov_a, case_manager_a, entry_date=date(2026, 3, 1), qol_entry_person_on=DONE, qol_entry_specialist_on=DONE
    )
    assess(case, by=case_manager_a, on=date(2026, 3, 20))
    link(case, provider, by=case_manager_a, on=date(2026, 3, 25))
    response, tasks = _tasks(kj)
    assert [kind for kind, c in tasks if c == case] == ["plan"]
    task, note = tasks["plan", case]
    assert task.overdue and task.due == date(2026, 4, 19) and task.since == date(2026, 3, 20)
    assert note == "Plaani koostab baastoetuse osutaja MTÜ Baastugi spetsialist. Mustandit pole veel alustatud."
    html = response.content.decode()
    assert "20.03.2026" in html and "MTÜ Baastugi" in html
    assert task.url == reverse("assessments:case", args=[case.pk])
    _opens(kj, task.url)
    # once the specialist begins a draft, the note says since when
    draft_plan(case, by=specialist_of(provider), valid_from=date(2026, 5, 1))
    _, tasks = _tasks(kj)
    assert tasks["plan", case][1].endswith("Mustandit alustati 04.05.2026.")


def test_a_plan_without_a_base_provider_says_to_link_one_first(kj, kov_a, case_manager_a):
    case = _mine(
        kov_a, case_manager_a, entry_date=date(2026, 3, 1), base_linked_on=date(2026, 3, 2),
        latest_assessment_date=date(2026, 3, 20), qol_entry_person_on=DONE, qol_entry_specialist_on=DONE,
    )
    _, tasks = _tasks(kj)
    assert tasks["plan", case][1] == "Plaani koostab baastoetuse osutaja: seostage isik esmalt baastoetuse osutajaga."


def test_an_agreed_plan_due_for_review_leads_to_the_assessments_page(kj, kov_a, case_manager_a):
    case = _mine(
        kov_a, case_manager_a, state=CaseState.PLANNED, entry_date=date(2025, 4, 1),
        latest_assessment_date=date(2025, 5, 10), latest_plan_date=date(2025, 5, 20),
        base_linked_on=date(2025, 4, 20), qol_entry_person_on=date(2025, 4, 15),
        qol_entry_specialist_on=date(2025, 4, 15), qol_year_person_on=DONE, qol_year_specialist_on=DONE,
    )
    _, tasks = _tasks(kj)
    assert [kind for kind, c in tasks if c == case] == ["reassessment"]
    task, _ = tasks["reassessment", case]
    assert task.due == date(2026, 5, 10) and not task.overdue
    assert task.url == reverse("assessments:case", args=[case.pk])
    _opens(kj, task.url)


def test_a_quality_of_life_survey_due_opens_its_form_with_occasion_and_respondent_chosen(kj, kov_a, case_manager_a):
    case = _mine(
        kov_a, case_manager_a, state=CaseState.PLANNED, entry_date=date(2026, 4, 10),
        latest_assessment_date=date(2026, 4, 20), latest_plan_date=date(2026, 4, 28),
        base_linked_on=date(2026, 4, 21), qol_entry_specialist_on=DONE,
    )
    _, tasks = _tasks(kj)
    assert [kind for kind, c in tasks if c == case] == ["qol_entry_person"]
    task, _ = tasks["qol_entry_person", case]
    assert task.url == reverse("assessments:survey_add", args=[case.pk]) + "?occasion=entry&respondent=person"
    form = _opens(kj, task.url).context["form"]
    assert (form["occasion"].value(), form["respondent"].value()) == ("entry", "person")


def test_exited_and_closed_case_files_are_not_listed(kj, kov_a, case_manager_a):
    exited = _mine(
        kov_a, case_manager_a, state=CaseState.EXITED, entry_date=date(2025, 4, 1), exit_date=date(2026, 4, 1),
        qol_exit_person_on=DONE, qol_exit_specialist_on=DONE,
    )
    closed = CaseFactory(
        municipality=kov_a, case_manager=case_manager_a, state=CaseState.CLOSED, closed_on=date(2026, 4, 1),
        closure_reason="declined",
    )
    response, tasks = _tasks(kj)
    assert not [c for _, c in tasks if c in (exited, closed)]
    assert "Teie järgmist sammu ei oota midagi" in response.content.decode()


def test_overdue_first_then_noticed_then_due_soon_and_only_mine_unless_asked(
    kj, kov_a, case_manager_a, coordinator_a
):
    soon = _mine(kov_a, case_manager_a, entry_date=date(2026, 4, 10), person__last_name="Varsti")
    noticed = CaseFactory(municipality=kov_a, case_manager=case_manager_a, person__last_name="Märgatud")
    late = _mine(kov_a, case_manager_a, entry_date=date(2026, 3, 1), person__last_name="Hiline")
    others = CaseFactory(municipality=kov_a, case_manager=coordinator_a, person__last_name="Teise")
    response, _ = _tasks(kj)
    order = [task.case for task, _ in response.context["tasks"]]
    assert order == [late] * 4 + [noticed] + [soon] * 4
    assert others not in order
    _, kov_tasks = _tasks(kj, scope="kov")
    assert ("noticed", others) in kov_tasks
    # search by name keeps the order and drops the rest
    response, _ = _tasks(kj, q="Varsti")
    assert {task.case for task, _ in response.context["tasks"]} == {soon}
    response, _ = _tasks(kj, q="Keegi")
    assert "Otsingule vastavatel isikutel järgmisi samme ei ole." in response.content.decode()


def test_each_person_shown_is_written_to_the_access_log(kj, kov_a, case_manager_a):
    noticed = CaseFactory(municipality=kov_a, case_manager=case_manager_a)
    late = _mine(kov_a, case_manager_a, entry_date=date(2026, 3, 1))  # four tasks, one row
    _tasks(kj)
    assert AccessLog.objects.filter(person_id=noticed.person_id).count() == 1
    assert AccessLog.objects.filter(person_id=late.person_id).count() == 1
