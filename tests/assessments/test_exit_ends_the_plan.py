"""Exit ends the plan, its lines, the personal budget, its warnings and the base-support
link on the exit date (cases.signals.case_exited, answered by assessments.receivers)."""

from datetime import date
from decimal import Decimal

import pytest

from assessments import selectors, services
from assessments.models import BaseProviderLink, PlanLine
from cases import services as case_services
from cases.models import CaseState, ExitQuestionnaire
from tests.assessments.factories import assess, draft_plan, link
from tests.providers.factories import component


@pytest.fixture
def agreed(case, case_manager_a, base_provider, specialist):
    assess(case, by=case_manager_a, on=date(2026, 1, 20))
    link(case, base_provider, by=case_manager_a, on=date(2026, 1, 21))
    plan = draft_plan(case, by=specialist, valid_from=date(2026, 2, 1))
    services.add_line(
        plan=plan, component=component("L01"), provider=base_provider, form="I",
        monthly_quantity=Decimal("10"), valid_from=date(2026, 2, 1), valid_to=None,
    )
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))
    return plan


def exit_on(case, day):
    return case_services.exit_case(
        case=case,
        questionnaire=ExitQuestionnaire(exit_date=day, reason="own_wish", situation="at_home"),
    )


def test_exit_ends_the_plan_its_lines_and_the_base_support_link_on_the_exit_date(agreed, case):
    exit_on(case, date(2026, 5, 15))
    agreed.refresh_from_db()
    assert agreed.valid_to == date(2026, 5, 15)
    assert [line.valid_to for line in PlanLine.objects.filter(plan=agreed)] == [date(2026, 5, 15)]
    assert [lk.valid_to for lk in BaseProviderLink.objects.filter(case=case)] == [date(2026, 5, 15)]


def test_after_exit_the_personal_budget_is_empty_and_its_warnings_are_gone(agreed, case):
    full = selectors.planned_cost(case=case, month=date(2026, 6, 1))
    assert full > 0
    assert selectors.budget_price_warnings(case=case, start=date(2026, 11, 1), until=date(2027, 4, 30))
    exit_on(case, date(2026, 5, 15))
    assert selectors.planned_cost(case=case, month=date(2026, 6, 1)) == 0
    assert selectors.planned_cost(case=case, month=date(2026, 4, 1)) == full
    may = selectors.planned_cost(case=case, month=date(2026, 5, 1))
    assert 0 < may < full  # the days up to the exit date only
    assert selectors.budget_price_warnings(case=case, start=date(2026, 11, 1), until=date(2027, 4, 30)) == []
    assert selectors.planned_costs(cases=type(case).objects.filter(pk=case.pk), months=[date(2026, 6, 1)]).get(
        (case.pk, date(2026, 6, 1)), 0
    ) == 0


def test_an_exit_before_an_agreed_later_version_is_refused_and_changes_nothing(agreed, case, specialist):
    services.new_version(plan=agreed, valid_from=date(2026, 7, 1), reason="Muutus", by=specialist)
    v2 = agreed.next_versions.get()
    services.agree_plan(plan=v2, agreed_on=date(2026, 6, 20))
    with pytest.raises(services.AssessmentError, match="starts after the exit date"):
        exit_on(case, date(2026, 6, 15))
    case.refresh_from_db()
    agreed.refresh_from_db()
    assert case.state == CaseState.PLANNED and case.exit_date is None
    assert agreed.valid_to == date(2026, 6, 30)
    assert not ExitQuestionnaire.objects.filter(case=case).exists()
