import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from assessments import demo, selectors
from assessments.models import Assessment, Plan, PlanStatus, QolSurvey
from cases import demo as cases_demo
from cases.models import Case, CaseState
from providers import demo as providers_demo

pytestmark = pytest.mark.django_db


def test_the_demo_assesses_and_plans_the_assessed_and_planned_persons_and_can_run_twice():
    accounts_demo.load()
    providers_demo.load()
    cases_demo.load()
    demo.load()
    demo.load()

    for case in Case.objects.filter(state__in=[CaseState.ASSESSED, CaseState.PLANNED]):
        assert case.assessments.filter(status="finished").count() == 1
    planned = Case.objects.filter(state=CaseState.PLANNED)
    assert planned.exists()
    for case in planned:
        plan = case.plans.get()
        assert plan.status == PlanStatus.AGREED and plan.lines.count() >= 3 and plan.goals.exists()
        assert selectors.plan_lines_on(case=case, day=plan.valid_from).exists()
    assert Plan.objects.count() == planned.count()
    assert QolSurvey.objects.filter(respondent="specialist").exists()
    spetsialist = User.objects.get(username="spetsialist")
    assert selectors.base_cases_for(spetsialist).filter(state=CaseState.PLANNED).exists()
    assert Assessment.objects.filter(status="draft").count() == 0
