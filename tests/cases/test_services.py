"""The case lifecycle: each transition checks its preconditions and bad input changes nothing."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from cases import services
from cases.isikukood import make_isikukood
from cases.models import (
    Case,
    CaseActivity,
    CaseState,
    EntryQuestionnaire,
    ExitQuestionnaire,
    Noticing,
    Person,
)
from cases.selectors import cases_for, persons_for
from cases.services import CaseError
from tests.cases.factories import CaseFactory, EnteredCaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def a_noticing(on=date(2026, 1, 5)):
    return Noticing(
        noticer_kind="hospital", noticer_name="Haigla", noticed_on=on, channel="phone", reason="Abi"
    )


def a_questionnaire(**kwargs):
    data = dict(
        filled_on=date(2026, 2, 1),
        employment_status="unemployed",
        education_level="basic",
        household_situation="alone",
        disability_degree="severe",
        work_ability="partial",
        consent_given_on=date(2026, 2, 1),
        consent_scope="Juhtumikorralduseks",
        consent_signed_by="person",
        signer_name="Mari Maasikas",
        cooperation_agreement_signed_on=date(2026, 2, 1),
    )
    data.update(kwargs)
    return EntryQuestionnaire(**data)


def check(case, on=date(2026, 2, 1), by=None, **kwargs):
    answers = dict(primary_diagnosis="other", condition="c", concurrent_state_service=False)
    answers.update(kwargs)
    return services.check_eligibility(
        case=case, entry_date=on, by=by or case.case_manager, **answers
    )


def test_noticing_opens_a_case_numbered_per_municipality_and_year(kov_a, case_manager_a):
    first = services.notice(
        person=PersonFactory.build(),
        noticing=a_noticing(),
        municipality=kov_a,
        case_manager=case_manager_a,
    )
    second = services.notice(
        person=PersonFactory.build(),
        noticing=a_noticing(),
        municipality=kov_a,
        case_manager=case_manager_a,
    )
    assert (first.number, second.number) == ("9101-2026-0001", "9101-2026-0002")
    assert first.state == CaseState.NOTICED
    assert first.noticing.noticer_name == "Haigla"


def test_the_birth_date_and_sex_come_from_the_isikukood():
    code = make_isikukood(date(1985, 7, 3), "M", 42)
    person = Person(
        isikukood=code, birth_date=date(2000, 1, 1), first_name="Jaan", last_name="Tamm"
    )
    person.full_clean()
    assert (person.birth_date, person.sex) == (date(1985, 7, 3), "M")


def test_a_person_open_in_one_municipality_cannot_be_noticed_in_another(
    kov_a, kov_b, case_manager_b
):
    case = CaseFactory(municipality=kov_a)
    with pytest.raises(CaseError):
        services.notice(
            person=case.person,
            noticing=a_noticing(),
            municipality=kov_b,
            case_manager=case_manager_b,
        )
    assert Case.objects.count() == 1


def test_the_database_refuses_a_second_open_case_for_a_person(kov_b):
    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(person=case.person, municipality=kov_b)


def test_after_exit_the_person_can_be_noticed_again(kov_a, case_manager_a):
    case = EnteredCaseFactory(municipality=kov_a)
    services.exit_case(
        case=case,
        questionnaire=ExitQuestionnaire(
            exit_date=date(2026, 3, 1), reason="own_wish", situation="at_home"
        ),
    )
    again = services.notice(
        person=case.person,
        noticing=a_noticing(date(2026, 4, 1)),
        municipality=kov_a,
        case_manager=case_manager_a,
    )
    assert again.state == CaseState.NOTICED


def test_an_eligible_person_enters_and_the_clock_starts():
    case = CaseFactory()
    assert check(case).eligible
    services.enter(case=case, questionnaire=a_questionnaire(), entry_date=date(2026, 2, 1))
    case.refresh_from_db()
    assert (case.state, case.entry_date) == (CaseState.ENTERED, date(2026, 2, 1))


def test_an_ineligible_person_cannot_enter():
    case = CaseFactory()
    result = check(case, condition="none")
    assert not result.eligible and not result.admits
    with pytest.raises(CaseError):
        services.enter(case=case, questionnaire=a_questionnaire(), entry_date=date(2026, 2, 1))
    case.refresh_from_db()
    assert case.state == CaseState.NOTICED
    assert not EntryQuestionnaire.objects.exists()


def test_nobody_enters_without_an_eligibility_check():
    case = CaseFactory()
    with pytest.raises(CaseError):
        services.enter(case=case, questionnaire=a_questionnaire(), entry_date=date(2026, 2, 1))


def test_an_override_needs_a_justification_and_is_logged():
    case = CaseFactory()
    result = check(
        case, concurrent_state_service=True, override_justification="Üleminek riiklikult teenuselt."
    )
    assert result.overridden and result.admits
    logged = CaseActivity.objects.get(case=case)
    assert logged.comment == "Üleminek riiklikult teenuselt."
    services.enter(case=case, questionnaire=a_questionnaire(), entry_date=date(2026, 2, 1))


def test_an_entry_date_before_the_birth_date_is_refused():
    person = PersonFactory(
        isikukood=None, no_code_reason="välismaalane", birth_date=date(2026, 5, 1)
    )
    case = CaseFactory(person=person, noticed_on=date(2026, 5, 2))
    with pytest.raises(CaseError) as error:
        check(case, on=date(2026, 3, 1))
    assert error.value.field == "entry_date"
    assert not case.eligibility_checks.exists()


def test_an_exit_before_entry_is_refused_and_changes_nothing():
    case = EnteredCaseFactory(entry_date=date(2026, 1, 10))
    with pytest.raises(CaseError) as error:
        services.exit_case(
            case=case,
            questionnaire=ExitQuestionnaire(
                exit_date=date(2026, 1, 9), reason="own_wish", situation="at_home"
            ),
        )
    assert error.value.field == "exit_date"
    case.refresh_from_db()
    assert case.state == CaseState.ENTERED and case.exit_date is None
    assert not ExitQuestionnaire.objects.exists()


def test_there_is_no_plan_before_an_assessment():
    case = EnteredCaseFactory()
    with pytest.raises(CaseError):
        services.record_plan(case=case, on=date(2026, 2, 1))


def test_an_exited_case_takes_no_more_records():
    case = EnteredCaseFactory()
    services.exit_case(
        case=case,
        questionnaire=ExitQuestionnaire(
            exit_date=date(2026, 3, 1), reason="deceased", situation="deceased"
        ),
    )
    with pytest.raises(CaseError):
        services.record_assessment(case=case, on=date(2026, 3, 2))


def test_only_case_managers_and_coordinators_of_the_kov_see_its_cases(
    kov_a, case_manager_a, coordinator_a, case_manager_b, provider_user, ska_user
):
    case = CaseFactory(municipality=kov_a)
    assert list(cases_for(case_manager_a)) == [case]
    assert list(persons_for(coordinator_a)) == [case.person]
    for outsider in (case_manager_b, provider_user, ska_user):
        assert not cases_for(outsider).exists()
        assert not persons_for(outsider).exists()
