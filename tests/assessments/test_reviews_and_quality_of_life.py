"""Plan reviews (handbook B1) and quality-of-life surveys."""

from datetime import date

import pytest

from assessments import selectors, services
from assessments.models import Progress, QolOccasion, QolRespondent
from assessments.services import AssessmentError
from cases import deadlines
from tests.assessments.factories import assess, draft_plan, link


@pytest.fixture
def agreed_plan(case, case_manager_a, base_provider, specialist):
    assess(case, by=case_manager_a, on=date(2026, 1, 20))
    link(case, base_provider, by=case_manager_a, on=date(2026, 1, 21))
    plan = draft_plan(case, by=specialist)
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))
    return plan


def review(plan, by, progress, on=date(2026, 7, 1)):
    return services.add_review(
        plan=plan, kind="interim", period_start=date(2026, 2, 1), period_end=date(2026, 6, 30),
        overall="Edeneb", recommendations="Jätkata", reviewed_on=on, progress=progress, by=by,
    )


def test_a_review_assesses_every_goal_and_restarts_the_yearly_clock(agreed_plan, specialist):
    goal = agreed_plan.goals.get()
    with pytest.raises(AssessmentError, match="every goal"):
        review(agreed_plan, specialist, {})

    saved = review(agreed_plan, specialist, {goal.pk: (Progress.PARTLY, "Käib poes üksi")})

    assert saved.sequence == 1
    assert saved.progress.get().get_progress_display() == "partly achieved"
    case = agreed_plan.case
    case.refresh_from_db()
    assert case.latest_review_date == date(2026, 7, 1)
    due = {d.kind: d.due for d in deadlines.deadlines_for(type(case).objects.filter(pk=case.pk), date(2026, 7, 2))}
    assert due[deadlines.Kind.REASSESSMENT] == date(2027, 7, 1)


def test_only_an_agreed_plan_is_reviewed(case, case_manager_a, base_provider, specialist):
    assess(case, by=case_manager_a)
    link(case, base_provider, by=case_manager_a)
    plan = draft_plan(case, by=specialist)
    with pytest.raises(AssessmentError, match="Only an agreed plan"):
        review(plan, specialist, {plan.goals.get().pk: (Progress.ACHIEVED, "")})


def _answers(value):
    instrument = selectors.qol_instrument()
    level = instrument.levels.get(value=value)
    return {item.pk: level.pk for item in instrument.items.all()}


def test_surveys_by_the_person_and_the_specialist_are_kept_apart_and_compared_per_item(case, case_manager_a, specialist):
    entry = services.record_survey(
        case=case, occasion=QolOccasion.ENTRY, respondent=QolRespondent.PERSON, answered_on=date(2026, 1, 15),
        answers=_answers(2), notes="", by=case_manager_a,
    )
    services.record_survey(
        case=case, occasion=QolOccasion.ENTRY, respondent=QolRespondent.SPECIALIST,
        answered_on=date(2026, 1, 25), answers=_answers(3), notes="", by=specialist,
    )
    year = services.record_survey(
        case=case, occasion=QolOccasion.YEAR, respondent=QolRespondent.PERSON, answered_on=date(2027, 1, 12),
        answers=_answers(4), notes="", by=case_manager_a,
    )

    before, rows = selectors.survey_rows(year)
    assert before == entry  # the person's own earlier answers, not the specialist's
    assert len(rows) == 10 and all(row.change == 2 for row in rows)
    case.refresh_from_db()
    assert case.latest_qol_survey_date == date(2027, 1, 12)


def test_a_survey_needs_every_answer_and_is_recorded_once_per_occasion(case, case_manager_a):
    answers = _answers(3)
    answers.pop(next(iter(answers)))
    with pytest.raises(AssessmentError, match="Answer every question"):
        services.record_survey(
            case=case, occasion="entry", respondent="person", answered_on=date(2026, 1, 15),
            answers=answers, notes="", by=case_manager_a,
        )
    services.record_survey(
        case=case, occasion="entry", respondent="person", answered_on=date(2026, 1, 15),
        answers=_answers(3), notes="", by=case_manager_a,
    )
    with pytest.raises(AssessmentError, match="already been recorded"):
        services.record_survey(
            case=case, occasion="entry", respondent="person", answered_on=date(2026, 1, 16),
            answers=_answers(3), notes="", by=case_manager_a,
        )


def test_a_survey_is_not_compared_with_another_municipalitys_survey(case, case_manager_a, kov_b, case_manager_b):
    from cases.models import Case, CaseState
    from tests.cases.factories import EnteredCaseFactory

    services.record_survey(
        case=case, occasion=QolOccasion.ENTRY, respondent=QolRespondent.PERSON, answered_on=date(2026, 1, 15),
        answers=_answers(2), notes="", by=case_manager_a,
    )
    Case.objects.filter(pk=case.pk).update(state=CaseState.EXITED, exit_date=date(2026, 3, 31))
    elsewhere = EnteredCaseFactory(
        person=case.person, municipality=kov_b, case_manager=case_manager_b, entry_date=date(2026, 4, 10)
    )
    entry_b = services.record_survey(
        case=elsewhere, occasion=QolOccasion.ENTRY, respondent=QolRespondent.PERSON, answered_on=date(2026, 4, 15),
        answers=_answers(4), notes="", by=case_manager_b,
    )

    before, rows = selectors.survey_rows(entry_b)
    assert before is None
    assert all(row.previous_level is None for row in rows)
