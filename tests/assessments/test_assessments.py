"""Support-needs assessments and the base-support provider link."""

from datetime import date, timedelta

import pytest

from accounts.models import Role
from assessments import selectors, services
from assessments.models import AssessmentStatus
from assessments.services import AssessmentError
from cases import deadlines
from cases.models import CaseState
from tests.assessments.factories import assess, link
from tests.providers.factories import ContractFactory, ProviderFactory


def test_finishing_an_assessment_makes_the_case_assessed_and_starts_the_plan_deadline(case, case_manager_a):
    assess(case, by=case_manager_a, on=date(2026, 1, 20))

    case.refresh_from_db()
    assert case.state == CaseState.ASSESSED
    assert case.latest_assessment_date == date(2026, 1, 20)
    due = {d.kind: d.due for d in deadlines.deadlines_for(type(case).objects.filter(pk=case.pk), date(2026, 1, 21))}
    assert due[deadlines.Kind.PLAN] == date(2026, 2, 19)
    assert due[deadlines.Kind.REASSESSMENT] == date(2027, 1, 20)


def test_an_assessment_is_prefilled_from_known_data_and_the_previous_assessment(case, case_manager_a):
    case.disability_degree = "severe"  # what this case file knows about the person
    case.earlier_assessments = "Rehabilitatsiooniplaan 2025"
    case.save()
    first = assess(case, by=case_manager_a, level=3)
    answer = first.answers.get(item__code="housing")
    answer.notes = "Elab üksi üürikorteris"
    answer.save()

    second = services.start_assessment(case=case, on=date(2026, 6, 1), by=case_manager_a)

    assert "raske" in second.background or "severe" in second.background
    assert "Rehabilitatsiooniplaan 2025" in second.background
    assert second.previous == first
    housing = second.answers.get(item__code="housing")
    assert housing.level.value == 3 and housing.notes == "Elab üksi üürikorteris"
    assert housing.sources == ["person"]


def test_finishing_refuses_a_domain_without_a_level(case, case_manager_a):
    assessment = services.start_assessment(case=case, on=date(2026, 1, 20), by=case_manager_a)
    assessment.summary = "Kokkuvõte"
    assessment.save()
    with pytest.raises(AssessmentError, match="Missing: Igapäevaelu toimingud"):
        services.finish_assessment(assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    case.refresh_from_db()
    assert case.state == CaseState.ENTERED


def test_an_assessment_cannot_be_before_entry(case, case_manager_a):
    with pytest.raises(AssessmentError, match="before the entry date"):
        services.start_assessment(case=case, on=case.entry_date - timedelta(days=1), by=case_manager_a)


def test_a_finished_assessment_is_not_changed(case, case_manager_a):
    assessment = assess(case, by=case_manager_a)
    with pytest.raises(AssessmentError, match="start a reassessment"):
        services.save_assessment(
            assessment=assessment, assessed_on=assessment.assessed_on, background="", summary="uus",
            ready_to_cooperate=True, answers=[],
        )


def test_a_reassessment_shows_the_change_per_domain(case, case_manager_a):
    assess(case, by=case_manager_a, level=3)
    second = assess(case, by=case_manager_a, on=date(2026, 7, 1), level=1)
    rows = selectors.assessment_rows(second)
    assert len(rows) == 10
    assert all(row.change == -2 for row in rows)


def test_linking_needs_the_choice_explained_and_a_contracted_base_provider(case, case_manager_a, base_provider, other_provider):
    with pytest.raises(AssessmentError, match="Explain"):
        services.link_base_provider(
            case=case, provider=base_provider, on=date(2026, 1, 21), choice_explained=False, notes="",
            by=case_manager_a,
        )
    with pytest.raises(AssessmentError, match="not a base-support provider"):
        link(case, other_provider, by=case_manager_a)
    elsewhere = ProviderFactory(offers_base_support=True)
    ContractFactory(provider=elsewhere)  # another municipality's contract
    with pytest.raises(AssessmentError, match="not a base-support provider"):
        link(case, elsewhere, by=case_manager_a)
    assert not case.base_provider_links.exists()


def test_a_new_base_provider_ends_the_previous_link_the_day_before(case, case_manager_a, base_provider, kov_a):
    from tests.assessments.factories import base_provider_for

    first = link(case, base_provider, by=case_manager_a, on=date(2026, 1, 21))
    second_provider = base_provider_for(kov_a, name="MTÜ Teine Baastugi")
    link(case, second_provider, by=case_manager_a, on=date(2026, 5, 1))

    first.refresh_from_db()
    assert first.valid_to == date(2026, 4, 30)
    assert selectors.base_provider_on(case, date(2026, 4, 30)) == base_provider
    assert selectors.base_provider_on(case, date(2026, 5, 1)) == second_provider
    assert first.history.count() == 2


def test_linking_gives_the_providers_specialists_the_person(case, case_manager_a, base_provider, specialist):
    assert not selectors.base_cases_for(specialist).exists()
    link(case, base_provider, by=case_manager_a)
    assert list(selectors.base_cases_for(specialist)) == [case]
    assert selectors.is_base_specialist(specialist, case)
    assert specialist.role == Role.PROVIDER


def _moved_to_kov_b(case, kov_b, case_manager_b):
    """The person exits in KOV A and enters again in KOV B, with a new case file there."""
    from cases.models import Case
    from tests.cases.factories import EnteredCaseFactory

    Case.objects.filter(pk=case.pk).update(state=CaseState.EXITED, exit_date=date(2026, 3, 31))
    return EnteredCaseFactory(
        person=case.person, municipality=kov_b, case_manager=case_manager_b, entry_date=date(2026, 4, 10)
    )


def test_another_municipalitys_assessment_is_neither_copied_nor_compared(case, case_manager_a, kov_b, case_manager_b):
    first = assess(case, by=case_manager_a, level=3)
    answer = first.answers.get(item__code="housing")
    answer.notes = "Elab üksi üürikorteris"
    answer.save()
    elsewhere = _moved_to_kov_b(case, kov_b, case_manager_b)

    assessment = services.start_assessment(case=elsewhere, on=date(2026, 4, 20), by=case_manager_b)

    assert assessment.previous is None
    housing = assessment.answers.get(item__code="housing")
    assert housing.level is None and housing.notes == "" and housing.sources == []
