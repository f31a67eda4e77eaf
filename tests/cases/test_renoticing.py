"""A person already on record gets a new case file: after exit, in the same or another KOV.

The noticing form never tells one municipality that another knows the person."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from cases import services
from cases.isikukood import make_isikukood
from cases.models import Case, CaseState, ExitQuestionnaire, Person, Relative
from cases.services import CaseError, OpenCaseError
from tests.cases.factories import CaseFactory, EnteredCaseFactory, PersonFactory
from tests.cases.test_services import a_noticing
from tests.cases.test_views import notice_data

pytestmark = pytest.mark.django_db

CODE = make_isikukood(date(1990, 1, 2), "F", 7)
NEUTRAL = "Sellele isikule ei saa praegu toimikut avada. Pöörduge SKA juhtumikorraldaja poole."


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def exit_(case, on=date(2026, 4, 1)):
    return services.exit_case(
        case=case,
        questionnaire=ExitQuestionnaire(exit_date=on, reason="moved_away", situation="moved_away"),
    )


def notice_form(user, **person):
    data = notice_data(**person) | {"noticing-case_manager": user.pk}
    return client_for(user).post(reverse("cases:notice"), data)


def test_a_person_who_exited_in_one_kov_is_noticed_in_another_with_the_same_person_row(
    kov_a, kov_b, case_manager_b
):
    old = EnteredCaseFactory(municipality=kov_a, phone="5550 0000")
    exit_(old)
    entered = PersonFactory.build(isikukood=old.person.isikukood)
    case = services.notice(
        person=entered,
        noticing=a_noticing(date(2026, 5, 4)),
        municipality=kov_b,
        case_manager=case_manager_b,
        details={"phone": "5550 0001"},
    )
    assert case.person_id == old.person_id and case.municipality == kov_b
    assert Person.objects.count() == 1
    case.refresh_from_db()
    old.refresh_from_db()
    assert (case.phone, old.phone) == ("5550 0001", "5550 0000")


def test_a_new_case_at_another_kov_starts_from_the_identity_only(
    kov_a, kov_b, case_manager_a, case_manager_b
):
    old = EnteredCaseFactory(
        municipality=kov_a,
        case_manager=case_manager_a,
        person__first_name="Mari",
        phone="5550 0002",
        email="mari@example.ee",
        notes="Märkus Alfast",
        actual_address="Alfa küla 1",
        disability_degree="severe",
        citizenship="other",
        citizenship_other="Läti",
        marital_status="married",
    )
    services.add_record(
        case=old, record=Relative(kind="household_member", name="Ema Alfast", contact="5550 1111")
    )
    exit_(old)
    entered = PersonFactory.build(isikukood=old.person.isikukood, first_name="Maria")
    new = services.notice(
        person=entered,
        noticing=a_noticing(date(2026, 5, 4)),
        municipality=kov_b,
        case_manager=case_manager_b,
    )
    new.refresh_from_db()
    assert (new.person.first_name, new.person.isikukood) == ("Mari", old.person.isikukood)
    assert new.person.birth_date == old.person.birth_date
    for field in ("phone", "email", "notes", "actual_address", "citizenship_other"):
        assert getattr(new, field) == ""
    assert (new.disability_degree, new.citizenship, new.marital_status) == ("none", "", "")
    assert list(new.relatives.all()) == []
    assert [r.name for r in old.relatives.all()] == ["Ema Alfast"]

    page = client_for(case_manager_b).get(reverse("cases:case_detail", kwargs={"pk": new.pk}))
    text = page.content.decode()
    for leak in (
        "5550 0002",
        "mari@example.ee",
        "Märkus Alfast",
        "Alfa küla 1",
        "Läti",
        "Ema Alfast",
    ):
        assert leak not in text
    hidden = client_for(case_manager_b).get(reverse("cases:case_detail", kwargs={"pk": old.pk}))
    assert hidden.status_code == 404


def test_editing_the_new_case_does_not_change_what_the_old_case_recorded(
    kov_a, kov_b, case_manager_b
):
    old = EnteredCaseFactory(municipality=kov_a, phone="5550 0002", notes="Alfa")
    exit_(old)
    assert notice_form(case_manager_b, phone="5550 0003").status_code == 302
    new = Case.objects.get(municipality=kov_b)
    response = client_for(case_manager_b).post(
        reverse("cases:person_edit", kwargs={"pk": new.pk}),
        {
            "isikukood": new.person.isikukood,
            "first_name": "Mari",
            "last_name": "Maasikas",
            "language": "et",
            "disability_degree": "none",
            "work_ability": "not_assessed",
            "phone": "5550 0004",
            "notes": "Beeta",
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    new.refresh_from_db()
    assert (new.phone, new.notes) == ("5550 0004", "Beeta")
    assert (old.phone, old.notes) == ("5550 0002", "Alfa")


def test_an_open_case_in_the_same_kov_is_refused_and_named(kov_a, case_manager_a):
    open_case = CaseFactory(municipality=kov_a)
    with pytest.raises(OpenCaseError) as refused:
        services.notice(
            person=PersonFactory.build(isikukood=open_case.person.isikukood),
            noticing=a_noticing(),
            municipality=kov_a,
            case_manager=case_manager_a,
        )
    assert refused.value.case == open_case
    assert Case.objects.count() == 1


def test_an_open_case_in_another_kov_is_refused_without_naming_it(kov_a, kov_b, case_manager_b):
    open_case = CaseFactory(municipality=kov_a)
    with pytest.raises(CaseError) as refused:
        services.notice(
            person=PersonFactory.build(isikukood=open_case.person.isikukood),
            noticing=a_noticing(),
            municipality=kov_b,
            case_manager=case_manager_b,
        )
    assert not isinstance(refused.value, OpenCaseError)
    assert refused.value.field == "isikukood"
    assert Case.objects.count() == 1


def test_the_notice_page_opens_a_case_for_a_person_who_exited_in_another_kov(
    kov_a, kov_b, case_manager_b
):
    old = EnteredCaseFactory(municipality=kov_a, person__isikukood=CODE)
    exit_(old)
    response = notice_form(case_manager_b)
    assert response.status_code == 302
    case = Case.objects.get(municipality=kov_b)
    assert case.person_id == old.person_id and case.state == CaseState.NOTICED


def test_the_notice_page_links_to_the_open_case_of_the_same_kov(kov_a, case_manager_a):
    open_case = CaseFactory(municipality=kov_a, person__isikukood=CODE)
    page = notice_form(case_manager_a).content.decode()
    assert page.count("Sellel isikul on juba avatud toimik.") == 2  # in the error summary and at the field
    assert f"Ava toimik {open_case.number}" in page
    assert reverse("cases:case_detail", kwargs={"pk": open_case.pk}) in page
    assert "juba olemas" not in page
    assert Case.objects.count() == 1


def test_the_notice_page_tells_another_kov_nothing_about_an_open_case(kov_a, kov_b, case_manager_b):
    open_case = EnteredCaseFactory(municipality=kov_a, person__isikukood=CODE)
    page = notice_form(case_manager_b).content.decode()
    assert NEUTRAL in page
    for leak in ("juba olemas", "avatud toimik", "Alfa vald", open_case.number, "sisenenud"):
        assert leak not in page
    assert Case.objects.count() == 1


def test_the_new_kovs_case_page_shows_only_its_own_case_and_history(
    kov_a, kov_b, case_manager_a, case_manager_b
):
    assert notice_form(case_manager_a).status_code == 302
    old = Case.objects.get()
    kj_a = client_for(case_manager_a)
    kj_a.post(
        reverse("cases:person_edit", kwargs={"pk": old.pk}),
        {
            "isikukood": CODE,
            "first_name": "Mari",
            "last_name": "Maasikas",
            "language": "et",
            "disability_degree": "none",
            "work_ability": "not_assessed",
            "notes": "Märkus Alfast",
        },
    )
    services.close_without_entry(case=old, on=date(2026, 4, 1), reason="declined")
    assert notice_form(case_manager_b, phone="5550 0003").status_code == 302
    new = Case.objects.get(municipality=kov_b)

    page = client_for(case_manager_b).get(reverse("cases:case_detail", kwargs={"pk": new.pk}))
    history = page.content.decode().split('id="history"')[1]
    assert "Anu Alfa" not in history and "Märkus Alfast" not in history
    assert old.number not in page.content.decode()
    assert "Metsaküla haigla" in history  # its own noticing
    assert "5550 0003" in page.content.decode()  # what this KOV filled in
    # and KOV A's closed case file does not show what KOV B did afterwards
    old_page = kj_a.get(reverse("cases:case_detail", kwargs={"pk": old.pk})).content.decode()
    old_history = old_page.split('id="history"')[1]
    assert "Märkus Alfast" in old_history and "5550 0003" not in old_history
    assert "Berit Beeta" not in old_history


def test_personal_data_cannot_be_changed_through_a_closed_case_file(kov_a, case_manager_a):
    case = EnteredCaseFactory(municipality=kov_a, case_manager=case_manager_a)
    exit_(case)
    response = client_for(case_manager_a).post(
        reverse("cases:person_edit", kwargs={"pk": case.pk}),
        {
            "isikukood": case.person.isikukood,
            "first_name": "Muudetud",
            "last_name": case.person.last_name,
            "language": "et",
            "disability_degree": "none",
            "work_ability": "not_assessed",
        },
    )
    assert "Toimik on suletud" in response.content.decode()
    assert Person.objects.get().first_name == "Mari"
