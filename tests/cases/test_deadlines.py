"""Each deadline rule, computed from the dates on record."""

from datetime import date

import pytest

from cases import services
from cases.deadlines import Kind, deadlines_for, next_deadline, overdue_q, urgent
from cases.models import Case, CaseState, ExitQuestionnaire
from tests.cases.factories import (
    CaseFactory,
    DecisionFactory,
    EnteredCaseFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


def kinds(case, today):
    return {d.kind: d for d in deadlines_for(Case.objects.filter(pk=case.pk), today)}


def test_the_assessment_is_due_30_calendar_days_after_entry():
    case = EnteredCaseFactory(entry_date=date(2026, 1, 10))
    due = kinds(case, date(2026, 2, 9))[Kind.ASSESSMENT]
    assert due.due == date(2026, 2, 9)
    assert not due.overdue
    assert kinds(case, date(2026, 2, 10))[Kind.ASSESSMENT].overdue


def test_recording_an_assessment_replaces_it_with_the_plan_due_30_days_later():
    case = EnteredCaseFactory(entry_date=date(2026, 1, 10))
    services.record_assessment(case=case, on=date(2026, 2, 1))
    found = kinds(case, date(2026, 2, 1))
    assert Kind.ASSESSMENT not in found
    assert found[Kind.PLAN].due == date(2026, 3, 3)
    services.record_plan(case=case, on=date(2026, 2, 20))
    assert Kind.PLAN not in kinds(case, date(2026, 2, 20))
    assert Case.objects.get(pk=case.pk).state == CaseState.PLANNED


def test_reassessment_is_due_12_months_after_the_latest_assessment_or_review():
    case = EnteredCaseFactory(entry_date=date(2025, 1, 2))
    services.record_assessment(case=case, on=date(2025, 1, 31))
    assert kinds(case, date(2025, 2, 1))[Kind.REASSESSMENT].due == date(2026, 1, 31)
    services.record_plan(case=case, on=date(2025, 2, 10))
    services.record_review(case=case, on=date(2025, 9, 30))
    assert kinds(case, date(2025, 10, 1))[Kind.REASSESSMENT].due == date(2026, 9, 30)


def survey(case, occasion, respondent, on):
    return services.record_qol_survey(case=case, on=on, occasion=occasion, respondent=respondent)


def test_quality_of_life_at_entry_is_due_30_days_after_entry_for_each_respondent():
    case = EnteredCaseFactory(entry_date=date(2025, 3, 1))
    found = kinds(case, date(2025, 3, 31))
    assert found[Kind.QOL_ENTRY_PERSON].due == date(2025, 3, 31)
    assert found[Kind.QOL_ENTRY_SPECIALIST].due == date(2025, 3, 31)
    assert not found[Kind.QOL_ENTRY_PERSON].overdue
    assert kinds(case, date(2025, 4, 1))[Kind.QOL_ENTRY_PERSON].overdue


def test_one_respondent_does_not_clear_the_entry_survey_of_the_other():
    case = EnteredCaseFactory(entry_date=date(2025, 3, 1))
    survey(case, "entry", "person", date(2025, 3, 5))
    found = kinds(case, date(2025, 3, 5))
    assert Kind.QOL_ENTRY_PERSON not in found
    assert found[Kind.QOL_ENTRY_SPECIALIST].due == date(2025, 3, 31)
    assert found[Kind.QOL_YEAR_PERSON].due == date(2026, 3, 1)
    assert Kind.QOL_YEAR_SPECIALIST not in found  # due once the specialist's entry survey is done
    survey(case, "entry", "specialist", date(2025, 3, 6))
    found = kinds(case, date(2025, 3, 6))
    assert Kind.QOL_ENTRY_SPECIALIST not in found
    assert found[Kind.QOL_YEAR_SPECIALIST].due == date(2026, 3, 1)


def test_the_survey_after_a_year_is_due_12_months_after_entry_and_cleared_per_respondent():
    case = EnteredCaseFactory(entry_date=date(2025, 3, 1))
    survey(case, "entry", "person", date(2025, 3, 5))
    survey(case, "entry", "specialist", date(2025, 3, 5))
    assert not kinds(case, date(2026, 3, 1))[Kind.QOL_YEAR_PERSON].overdue
    assert kinds(case, date(2026, 3, 2))[Kind.QOL_YEAR_PERSON].overdue
    survey(case, "year", "specialist", date(2026, 2, 20))
    found = kinds(case, date(2026, 2, 20))
    assert Kind.QOL_YEAR_SPECIALIST not in found
    assert Kind.QOL_YEAR_PERSON in found


def test_the_base_support_link_is_due_30_days_after_entry_until_the_first_link():
    case = EnteredCaseFactory(entry_date=date(2026, 1, 10))
    due = kinds(case, date(2026, 2, 9))[Kind.BASE_LINK]
    assert (due.due, due.overdue) == (date(2026, 2, 9), False)
    assert kinds(case, date(2026, 2, 10))[Kind.BASE_LINK].overdue
    services.record_base_link(case=case, on=date(2026, 2, 12))
    assert Kind.BASE_LINK not in kinds(case, date(2026, 2, 12))
    case.refresh_from_db()
    assert case.base_linked_on == date(2026, 2, 12)


def test_the_deadline_page_labels_each_survey_respondent():
    case = EnteredCaseFactory(entry_date=date(2025, 3, 1))
    labels = {
        str(d.label) for d in deadlines_for(Case.objects.filter(pk=case.pk), date(2025, 3, 2))
    }
    assert "Elukvaliteedi küsitlus sisenemisel: isik" in labels
    assert "Elukvaliteedi küsitlus sisenemisel: baastoetuse spetsialist" in labels
    assert "Baastoetuse osutajaga seostamine" in labels


def test_a_network_meeting_decision_with_a_deadline_is_due_until_done():
    case = EnteredCaseFactory(entry_date=date(2026, 1, 10))
    decision = DecisionFactory(meeting=MeetingFactory(case=case), deadline=date(2026, 2, 1))
    DecisionFactory(meeting=decision.meeting, deadline=None)
    found = [
        d
        for d in deadlines_for(Case.objects.filter(pk=case.pk), date(2026, 2, 2))
        if d.kind == Kind.DECISION
    ]
    assert [(d.due, d.overdue, d.detail) for d in found] == [
        (date(2026, 2, 1), True, decision.text)
    ]
    services.complete_decision(decision=decision, on=date(2026, 2, 2))
    assert Kind.DECISION not in kinds(case, date(2026, 2, 2))


def _exit(case, on=date(2026, 3, 1)):
    services.exit_case(
        case=case,
        questionnaire=ExitQuestionnaire(exit_date=on, reason="moved_away", situation="moved_away"),
    )


def test_exit_closes_every_open_deadline_but_the_exit_surveys():
    case = EnteredCaseFactory(entry_date=date(2026, 1, 10))
    DecisionFactory(meeting=MeetingFactory(case=case))
    assert Kind.DECISION in kinds(case, date(2026, 3, 1))
    _exit(case)
    found = kinds(case, date(2026, 3, 1))
    assert set(found) == {Kind.QOL_EXIT_PERSON, Kind.QOL_EXIT_SPECIALIST}
    assert found[Kind.QOL_EXIT_PERSON].due == date(2026, 3, 1)
    assert not found[Kind.QOL_EXIT_PERSON].overdue
    assert kinds(case, date(2026, 3, 2))[Kind.QOL_EXIT_SPECIALIST].overdue


def test_the_exit_survey_is_a_survey_per_respondent_recorded_after_the_exit():
    case = EnteredCaseFactory(entry_date=date(2026, 1, 10))
    _exit(case)
    survey(case, "exit", "person", date(2026, 3, 3))
    assert set(kinds(case, date(2026, 3, 3))) == {Kind.QOL_EXIT_SPECIALIST}
    survey(case, "exit", "specialist", date(2026, 3, 4))
    assert kinds(case, date(2026, 3, 4)) == {}
    with pytest.raises(services.CaseError):  # only the exit survey follows an exit
        survey(case, "year", "person", date(2026, 3, 4))


def test_a_closed_case_of_a_person_who_did_not_enter_has_no_deadlines():
    case = CaseFactory(noticed_on=date(2026, 1, 5))
    services.close_without_entry(case=case, on=date(2026, 2, 1), reason="declined")
    assert kinds(case, date(2026, 6, 1)) == {}


def test_a_noticed_case_has_no_deadlines_yet():
    case = CaseFactory()
    assert kinds(case, date(2026, 6, 1)) == {}
    assert next_deadline(case, date(2026, 6, 1)) is None


def test_urgent_lists_overdue_first_then_those_due_within_14_days():
    late = EnteredCaseFactory(entry_date=date(2026, 1, 1))  # assessment due 31.01
    soon = EnteredCaseFactory(entry_date=date(2026, 2, 5))  # due 07.03
    far = EnteredCaseFactory(entry_date=date(2026, 3, 1))  # due 31.03
    today = date(2026, 3, 1)
    found = urgent(deadlines_for(Case.objects.all(), today), today)
    assessments = [d.case for d in found if d.kind == Kind.ASSESSMENT]
    assert assessments == [late, soon]
    assert found[0].overdue and far not in [d.case for d in found]


DONE = {
    "base_linked_on": date(2025, 1, 1),
    "qol_entry_person_on": date(2025, 1, 1),
    "qol_entry_specialist_on": date(2025, 1, 1),
}


def test_the_overdue_filter_in_the_database_agrees_with_the_computed_deadlines():
    today = date(2026, 6, 15)
    cases = [
        EnteredCaseFactory(entry_date=date(2026, 6, 1)),  # nothing overdue
        EnteredCaseFactory(entry_date=date(2026, 4, 1), **DONE),  # assessment overdue
        EnteredCaseFactory(
            entry_date=date(2025, 1, 10),
            state=CaseState.PLANNED,
            latest_assessment_date=date(2025, 2, 1),
            latest_plan_date=date(2025, 2, 20),
            **DONE,
        ),  # reassessment and QoL year overdue
        EnteredCaseFactory(
            entry_date=date(2026, 5, 1),
            state=CaseState.ASSESSED,
            latest_assessment_date=date(2026, 5, 10),
            **DONE,
        ),  # plan
        EnteredCaseFactory(
            entry_date=date(2025, 9, 1),
            state=CaseState.PLANNED,
            latest_assessment_date=date(2025, 9, 20),
            latest_plan_date=date(2025, 10, 1),
            **DONE,
        ),  # all in time but a decision
        EnteredCaseFactory(
            entry_date=date(2026, 5, 1),
            state=CaseState.ASSESSED,
            latest_assessment_date=date(2026, 5, 10),
            latest_plan_date=date(2026, 5, 20),
            base_linked_on=date(2026, 5, 20),
            qol_entry_person_on=date(2026, 5, 2),
        ),  # the specialist's entry survey overdue
        EnteredCaseFactory(
            entry_date=date(2026, 4, 1),
            state=CaseState.ASSESSED,
            latest_assessment_date=date(2026, 4, 10),
            latest_plan_date=date(2026, 4, 20),
            qol_entry_person_on=date(2026, 4, 2),
            qol_entry_specialist_on=date(2026, 4, 2),
        ),  # the base-support link overdue
        EnteredCaseFactory(
            entry_date=date(2025, 4, 1),
            state=CaseState.EXITED,
            exit_date=date(2026, 6, 1),
            qol_exit_person_on=date(2026, 6, 1),
        ),  # the specialist's exit survey overdue
        EnteredCaseFactory(
            entry_date=date(2025, 4, 1),
            state=CaseState.EXITED,
            exit_date=date(2026, 6, 1),
            qol_exit_person_on=date(2026, 6, 1),
            qol_exit_specialist_on=date(2026, 6, 2),
        ),  # exited, every survey done
        CaseFactory(
            state=CaseState.CLOSED,
            closed_on=date(2026, 2, 1),
            closure_reason="declined",
        ),  # closed: never a deadline
    ]
    DecisionFactory(meeting=MeetingFactory(case=cases[4]), deadline=date(2026, 6, 1))
    DecisionFactory(meeting=MeetingFactory(case=cases[0]), deadline=date(2026, 7, 1))
    DecisionFactory(meeting=MeetingFactory(case=cases[8]), deadline=date(2026, 5, 1))
    computed = {d.case.pk for d in deadlines_for(Case.objects.all(), today) if d.overdue}
    filtered = set(Case.objects.filter(overdue_q(today)).values_list("pk", flat=True))
    expected = {cases[i].pk for i in (1, 2, 3, 4, 5, 6, 7)}
    assert filtered == computed == expected
