"""Each deadline rule, computed from the dates on record."""

from datetime import date

import pytest

from cases import services
from cases.deadlines import Kind, deadlines_for, next_deadline, overdue_q, urgent
from cases.models import Case, CaseState
from tests.cases.factories import DecisionFactory, EnteredCaseFactory, MeetingFactory

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


def test_quality_of_life_is_surveyed_at_entry_and_after_12_months():
    case = EnteredCaseFactory(entry_date=date(2025, 3, 1))
    assert kinds(case, date(2025, 3, 1))[Kind.QOL_ENTRY].due == date(2025, 3, 31)
    services.record_qol_survey(case=case, on=date(2025, 3, 5))
    found = kinds(case, date(2025, 3, 5))
    assert Kind.QOL_ENTRY not in found
    assert found[Kind.QOL_YEAR].due == date(2026, 3, 1)
    services.record_qol_survey(case=case, on=date(2026, 2, 20))
    assert Kind.QOL_YEAR not in kinds(case, date(2026, 2, 20))


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


def test_exit_closes_every_open_deadline():
    case = EnteredCaseFactory(entry_date=date(2026, 1, 10))
    DecisionFactory(meeting=MeetingFactory(case=case))
    assert kinds(case, date(2026, 3, 1))
    from cases.models import ExitQuestionnaire

    services.exit_case(
        case=case,
        questionnaire=ExitQuestionnaire(
            exit_date=date(2026, 3, 1), reason="moved_away", situation="moved_away"
        ),
    )
    assert kinds(case, date(2026, 3, 1)) == {}


def test_a_noticed_case_has_no_deadlines_yet():
    from tests.cases.factories import CaseFactory

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


def test_the_overdue_filter_in_the_database_agrees_with_the_computed_deadlines():
    today = date(2026, 6, 15)
    cases = [
        EnteredCaseFactory(entry_date=date(2026, 6, 1)),  # nothing overdue
        EnteredCaseFactory(entry_date=date(2026, 4, 1)),  # assessment overdue
        EnteredCaseFactory(
            entry_date=date(2025, 1, 10),
            state=CaseState.PLANNED,
            latest_assessment_date=date(2025, 2, 1),
            latest_plan_date=date(2025, 2, 20),
            latest_qol_survey_date=date(2025, 1, 20),
        ),  # reassessment and QoL year overdue
        EnteredCaseFactory(
            entry_date=date(2026, 5, 1),
            state=CaseState.ASSESSED,
            latest_assessment_date=date(2026, 5, 10),
            latest_qol_survey_date=date(2026, 5, 2),
        ),  # plan
        EnteredCaseFactory(
            entry_date=date(2025, 9, 1),
            state=CaseState.PLANNED,
            latest_assessment_date=date(2025, 9, 20),
            latest_plan_date=date(2025, 10, 1),
            latest_qol_survey_date=date(2025, 9, 2),
        ),  # all in time
    ]
    DecisionFactory(meeting=MeetingFactory(case=cases[4]), deadline=date(2026, 6, 1))
    DecisionFactory(meeting=MeetingFactory(case=cases[0]), deadline=date(2026, 7, 1))
    computed = {d.case.pk for d in deadlines_for(Case.objects.all(), today) if d.overdue}
    filtered = set(Case.objects.filter(overdue_q(today)).values_list("pk", flat=True))
    assert filtered == computed == {cases[1].pk, cases[2].pk, cases[3].pk, cases[4].pk}
