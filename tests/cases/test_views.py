"""The case manager's pages: Estonian messages for bad input, the access log, the persons list."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AccessLog
from cases import services
from cases.isikukood import make_isikukood
from cases.models import Case, CaseState, Person
from tests.access.table import ROUTES, World
from tests.cases.factories import (
    CaseFactory,
    DecisionFactory,
    EnteredCaseFactory,
    MeetingFactory,
    NoticingFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


@pytest.fixture
def kj(client, case_manager_a):
    client.force_login(case_manager_a)
    return client


def notice_data(**person):
    data = {
        "person-isikukood": make_isikukood(date(1990, 1, 2), "F", 7),
        "person-first_name": "Mari",
        "person-last_name": "Maasikas",
        "person-language": "et",
        "person-disability_degree": "none",
        "person-work_ability": "not_assessed",
        "noticing-noticed_on": "2026-03-01",
        "noticing-noticer_kind": "hospital",
        "noticing-noticer_name": "Metsaküla haigla",
        "noticing-channel": "phone",
        "noticing-reason": "Vajab tuge igapäevaelus",
    }
    data.update({f"person-{k}": v for k, v in person.items()})
    return data


def test_noticing_in_the_browser_opens_a_case_file(kj, case_manager_a):
    response = kj.post(
        reverse("cases:notice"), notice_data() | {"noticing-case_manager": case_manager_a.pk}
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", kwargs={"pk": case.pk})
    assert case.person.birth_date == date(1990, 1, 2)


def test_an_invalid_isikukood_gets_an_estonian_message_and_changes_nothing(kj, case_manager_a):
    data = notice_data(isikukood="49001020001") | {"noticing-case_manager": case_manager_a.pk}
    code = data["person-isikukood"]
    assert code != make_isikukood(date(1990, 1, 2), "F", 0)
    response = kj.post(reverse("cases:notice"), data)
    assert response.status_code == 200
    assert "Isikukoodi kontrollnumber ei klapi" in response.content.decode()
    assert not Person.objects.exists() and not Case.objects.exists()


def test_a_person_with_an_open_case_gets_an_estonian_message_and_changes_nothing(
    kj, case_manager_a, kov_a
):
    existing = CaseFactory(municipality=kov_a)
    data = notice_data(isikukood=existing.person.isikukood) | {
        "noticing-case_manager": case_manager_a.pk
    }
    response = kj.post(reverse("cases:notice"), data)
    assert "Sellel isikul on juba avatud toimik." in response.content.decode()
    assert Person.objects.count() == 1 and Case.objects.count() == 1


def test_a_birth_date_after_the_entry_date_gets_an_estonian_message(kj, case_manager_a, kov_a):
    person_born = date(2026, 2, 20)
    case = CaseFactory(
        municipality=kov_a,
        case_manager=case_manager_a,
        noticed_on=date(2026, 2, 25),
        person__isikukood=None,
        person__no_code_reason="välismaa kodanik",
        person__birth_date=person_born,
    )
    response = kj.post(
        reverse("cases:eligibility", kwargs={"pk": case.pk}),
        {"entry_date": "2026-01-15", "primary_diagnosis": "other", "condition": "c"},
    )
    assert "Sisenemise kuupäev on enne isiku sünniaega (20.02.2026)." in response.content.decode()
    assert not case.eligibility_checks.exists()


def test_an_ineligible_person_is_refused_with_the_reason(kj, case_manager_a, kov_a):
    case = CaseFactory(
        municipality=kov_a,
        case_manager=case_manager_a,
        person__birth_date=date(2010, 6, 1),
        person__isikukood=make_isikukood(date(2010, 6, 1), "M", 3),
    )
    response = kj.post(
        reverse("cases:eligibility", kwargs={"pk": case.pk}),
        {"entry_date": "2026-03-01", "primary_diagnosis": "other", "condition": "c"},
    )
    page = response.content.decode()
    assert "Isik ei sobi sihtrühma ega saa siseneda." in page
    assert "Isik saab 16-aastaseks alles 01.06.2026." in page
    assert Case.objects.get(pk=case.pk).state == CaseState.NOTICED


def test_an_exit_before_entry_gets_an_estonian_message_and_changes_nothing(
    kj, case_manager_a, kov_a
):
    case = EnteredCaseFactory(
        municipality=kov_a, case_manager=case_manager_a, entry_date=date(2026, 1, 10)
    )
    response = kj.post(
        reverse("cases:exit", kwargs={"pk": case.pk}),
        {"exit_date": "2026-01-09", "reason": "own_wish", "situation": "at_home"},
    )
    assert (
        "Väljumise kuupäev ei saa olla enne sisenemist (10.01.2026)." in response.content.decode()
    )
    case.refresh_from_db()
    assert case.state == CaseState.ENTERED


CASE_ROUTES = [r for r in ROUTES if r.name.startswith("cases:") and r.kwargs and r.method == "get"]


@pytest.mark.parametrize("route", CASE_ROUTES, ids=lambda r: r.name)
def test_every_look_at_a_case_file_is_written_to_the_access_log(
    kj, route, kov_a, kov_b, case_manager_a
):
    world = World(kov_a=kov_a, kov_b=kov_b, users={"case_manager_a": case_manager_a})
    url = reverse(route.name, kwargs=route.kwargs(world))
    before = AccessLog.objects.count()
    assert kj.get(url).status_code == 200
    row = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    case = Case.objects.get(municipality=kov_a)
    assert (row.user, row.subject, row.municipality, row.path) == (
        case_manager_a,
        case.person,
        kov_a,
        url,
    )


def test_another_kovs_case_is_not_found_and_not_logged(client, case_manager_b, kov_a):
    case = CaseFactory(municipality=kov_a)
    client.force_login(case_manager_b)
    assert client.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).status_code == 404
    assert not AccessLog.objects.exists()


def _persons(n, kov):
    for i in range(n):
        case = EnteredCaseFactory(municipality=kov, entry_date=TODAY - timedelta(days=i))
        NoticingFactory(case=case)


def test_the_persons_list_query_count_does_not_grow_with_the_page(kj, kov_a):
    _persons(3, kov_a)
    with CaptureQueriesContext(connection) as few:
        assert kj.get(reverse("cases:persons")).status_code == 200
    _persons(30, kov_a)
    from pytest_django.asserts import assertNumQueries

    with assertNumQueries(len(few.captured_queries)):
        response = kj.get(reverse("cases:persons"))
    assert len(response.context["rows"]) == 25


def test_the_persons_list_searches_by_name_and_code_and_filters(kj, kov_a, kov_b):
    EnteredCaseFactory(
        municipality=kov_a,
        person__first_name="Mari",
        person__last_name="Kuusk",
        entry_date=TODAY - timedelta(days=40),
    )
    jaan = CaseFactory(municipality=kov_a, person__first_name="Jaan", person__last_name="Saar")
    CaseFactory(municipality=kov_b, person__first_name="Mari", person__last_name="Teine")
    url = reverse("cases:persons")

    def names(**params):
        return [c.person.last_name for c, _ in kj.get(url, params).context["rows"]]

    assert names(q="mari") == ["Kuusk"]
    assert names(q="kuusk mari") == ["Kuusk"]
    assert names(q=jaan.person.isikukood) == ["Saar"]
    assert names(state="noticed") == ["Saar"]
    assert names(overdue="on") == ["Kuusk"]
    assert names(case_manager=jaan.case_manager.pk) == ["Saar"]


@time_machine.travel(TODAY)
def test_the_start_page_shows_overdue_deadlines_first_then_the_next_14_days(
    kj, kov_a, case_manager_a
):
    late = EnteredCaseFactory(
        municipality=kov_a,
        case_manager=case_manager_a,
        entry_date=TODAY - timedelta(days=45),
        person__last_name="Hilinenud",
    )
    soon = EnteredCaseFactory(
        municipality=kov_a,
        case_manager=case_manager_a,
        entry_date=TODAY - timedelta(days=25),
        person__last_name="Varsti",
    )
    EnteredCaseFactory(
        municipality=kov_a,
        case_manager=case_manager_a,
        entry_date=TODAY,
        person__last_name="Hiljem",
    )
    other = EnteredCaseFactory(
        municipality=kov_a, entry_date=TODAY - timedelta(days=50), person__last_name="Teise"
    )
    DecisionFactory(
        meeting=MeetingFactory(case=soon), deadline=TODAY + timedelta(days=3), text="Helista"
    )
    mine = kj.get(reverse("cases:home")).context["page"]
    # each: assessment, base-support link, the two entry surveys; soon also the decision
    assert [d.case for d in mine] == [late] * 4 + [soon] * 5
    assert mine[0].overdue and not mine[4].overdue
    kov = kj.get(reverse("cases:home"), {"scope": "kov"}).context["page"]
    assert other in [d.case for d in kov]
    page = kj.get(reverse("cases:deadlines")).content.decode()
    assert (TODAY - timedelta(days=15)).strftime("%d.%m.%Y") in page


def test_the_history_shows_who_changed_what(kj, kov_a, case_manager_a):
    case = EnteredCaseFactory(municipality=kov_a, case_manager=case_manager_a)
    kj.post(
        reverse("cases:person_edit", kwargs={"pk": case.pk}),
        {
            "isikukood": case.person.isikukood,
            "first_name": "Maria",
            "last_name": case.person.last_name,
            "language": "et",
            "disability_degree": "severe",
            "work_ability": "partial",
        },
    )
    page = kj.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).content.decode()
    assert "Maria" in page
    history = page[page.index('id="history"') :]
    assert "eesnimi: Mari → Maria" in history
    assert "puude raskusaste: puudub → raske" in history
    assert "muudetud" in history
    assert "Anu Alfa" in history


def test_services_seam_moves_the_state_and_the_page_shows_the_plan_deadline(
    kj, kov_a, case_manager_a
):
    case = EnteredCaseFactory(
        municipality=kov_a, case_manager=case_manager_a, entry_date=date(2026, 1, 10)
    )
    services.record_assessment(case=case, on=date(2026, 2, 1))
    page = kj.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).content.decode()
    assert "hinnatud" in page
    assert "03.03.2026 — Tegevusplaan" in page


def test_a_person_without_a_code_needs_a_birth_date_and_a_reason(kj, case_manager_a):
    data = notice_data(isikukood="") | {"noticing-case_manager": case_manager_a.pk}
    page = kj.post(reverse("cases:notice"), data).content.decode()
    assert "Sisestage isikukoodita isiku sünniaeg." in page
    assert "Sisestage põhjus, miks isikul pole isikukoodi." in page
    assert not Person.objects.exists()
    data |= {"person-birth_date": "1988-04-02", "person-no_code_reason": "Ukraina kodanik"}
    assert kj.post(reverse("cases:notice"), data).status_code == 302
    person = Person.objects.get()
    assert (person.isikukood, person.birth_date) == (None, date(1988, 4, 2))
