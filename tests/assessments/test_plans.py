"""Plans: made after an assessment by the base-support specialist, lines priced from the
contract, agreed with the person, changed by new versions from a date."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from assessments import selectors, services
from assessments.models import Plan, PlanStatus
from assessments.services import AssessmentError
from cases.models import CaseState
from tests.assessments.factories import assess, draft_plan, link
from tests.providers.factories import ContractPriceFactory, component


@pytest.fixture
def ready_case(case, case_manager_a, base_provider):
    assess(case, by=case_manager_a, on=date(2026, 1, 20))
    link(case, base_provider, by=case_manager_a, on=date(2026, 1, 21))
    return case


def line(plan, code, provider, *, form="I", hours="10", start=date(2026, 2, 1), end=None):
    return services.add_line(
        plan=plan, component=component(code), provider=provider, form=form,
        monthly_quantity=Decimal(hours), valid_from=start, valid_to=end,
    )


def test_a_plan_cannot_be_made_before_an_assessment(case, case_manager_a, base_provider, specialist):
    link(case, base_provider, by=case_manager_a)
    with pytest.raises(AssessmentError, match="before an assessment"):
        services.start_plan(case=case, kind="action", valid_from=date(2026, 2, 1), by=specialist)
    assert not Plan.objects.exists()


def test_a_plan_needs_a_base_support_provider(case, case_manager_a, specialist):
    assess(case, by=case_manager_a)
    with pytest.raises(AssessmentError, match="Link the person to a base-support provider"):
        services.start_plan(case=case, kind="action", valid_from=date(2026, 2, 1), by=specialist)


def test_a_line_takes_the_unit_price_of_the_contract_on_its_start(ready_case, specialist, base_provider):
    contract = base_provider.contracts.get()
    price = contract.prices.get(component__code="L01")
    price.valid_to = date(2026, 5, 31)
    price.save()
    ContractPriceFactory(
        contract=contract, component=component("L01"), unit_price_individual=Decimal("36.50"),
        unit_price_group=None, valid_from=date(2026, 6, 1),
    )
    plan = draft_plan(ready_case, by=specialist)
    assert line(plan, "L01", base_provider).unit_price == Decimal("32.00")
    assert line(plan, "L01", base_provider, start=date(2026, 6, 1)).unit_price == Decimal("36.50")
    assert line(plan, "L23", base_provider, form="G").unit_price == Decimal("12.00")


def test_a_line_with_no_valid_price_is_refused(ready_case, specialist, base_provider):
    plan = draft_plan(ready_case, by=specialist)
    with pytest.raises(AssessmentError, match="no valid price for L01") as error:
        line(plan, "L01", base_provider, form="G")  # L01 is individual only
    assert error.value.field == "form"
    price = base_provider.contracts.get().prices.get(component__code="L23")
    price.valid_from = date(2026, 3, 1)
    price.save()
    with pytest.raises(AssessmentError, match="no valid price for L23"):
        line(plan, "L23", base_provider, start=date(2026, 2, 1))
    assert not plan.lines.exists()


def test_a_provider_without_a_contract_for_the_component_is_refused(ready_case, specialist, other_provider):
    plan = draft_plan(ready_case, by=specialist)
    with pytest.raises(AssessmentError, match="has no contract for L17") as error:
        line(plan, "L17", other_provider)
    assert error.value.field == "provider"
    assert not plan.lines.exists()
    with translation.override("et"), pytest.raises(AssessmentError) as estonian:
        line(plan, "L17", other_provider)
    # The reason is its own sentence: no capital letter after a colon in Estonian.
    assert re.search(r"lepingut komponendile L17\. [A-ZÕÄÖÜ]", str(estonian.value)), str(estonian.value)


def test_a_base_component_from_another_provider_is_refused(ready_case, specialist, kov_a):
    from tests.assessments.factories import additional_provider_for

    stranger = additional_provider_for(kov_a, name="MTÜ Võõras", prices=[("B2", "40.00", None)])
    plan = draft_plan(ready_case, by=specialist)
    with pytest.raises(AssessmentError, match="B2 is base support: only the person's base-support provider"):
        line(plan, "B2", stranger)
    assert not plan.lines.exists()


def test_a_line_ending_before_it_starts_is_refused(ready_case, specialist, base_provider):
    plan = draft_plan(ready_case, by=specialist)
    with pytest.raises(AssessmentError, match="cannot end before it starts") as error:
        line(plan, "L01", base_provider, start=date(2026, 3, 1), end=date(2026, 2, 28))
    assert error.value.field == "valid_to"
    with pytest.raises(AssessmentError, match="within the plan's period"):
        line(plan, "L01", base_provider, start=date(2026, 1, 15))


def test_postgresql_refuses_a_line_ending_before_it_starts(ready_case, specialist, base_provider):
    plan = draft_plan(ready_case, by=specialist)
    saved = line(plan, "L01", base_provider)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(saved).objects.filter(pk=saved.pk).update(valid_to=date(2026, 1, 1))


def test_goals_are_tied_to_the_domains_of_the_assessment(ready_case, specialist):
    from assessments.models import Instrument, InstrumentItem

    plan = draft_plan(ready_case, by=specialist)
    other = Instrument.objects.create(kind="needs", version=9, name="Mustand")
    foreign = InstrumentItem.objects.create(instrument=other, code="housing", name="Eluase")
    with pytest.raises(AssessmentError, match="domain of the assessment"):
        services.add_goal(plan=plan, domain=foreign, text="Eesmärk")


def test_agreeing_the_plan_records_it_on_the_case(ready_case, specialist, base_provider):
    plan = draft_plan(ready_case, by=specialist)
    line(plan, "L01", base_provider)
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))

    plan.refresh_from_db()
    ready_case.refresh_from_db()
    assert plan.status == PlanStatus.AGREED and plan.agreed_on == date(2026, 1, 30)
    assert ready_case.state == CaseState.PLANNED
    assert ready_case.latest_plan_date == date(2026, 1, 30)
    with pytest.raises(AssessmentError, match="make a new version"):
        line(plan, "L23", base_provider)


def test_a_plan_needs_a_goal_before_it_is_agreed(ready_case, specialist):
    plan = services.start_plan(case=ready_case, kind="support", valid_from=date(2026, 2, 1), by=specialist)
    with pytest.raises(AssessmentError, match="at least one goal"):
        services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))


def test_a_new_version_from_a_date_ends_the_previous_one_the_day_before(ready_case, specialist, base_provider, other_provider):
    v1 = draft_plan(ready_case, by=specialist)
    services.add_subgoal(goal=v1.goals.get(), text="Käib poes", measure="2 korda nädalas", target_date=None)
    line(v1, "L01", base_provider, hours="10")
    line(v1, "L13", other_provider, hours="4", end=date(2026, 3, 31))
    services.agree_plan(plan=v1, agreed_on=date(2026, 1, 30))

    v2 = services.new_version(plan=v1, valid_from=date(2026, 5, 1), reason="Rohkem tuge", by=specialist)
    assert v2.version == 2 and v2.is_draft and v2.previous == v1
    # L13 ended before the new version; L01 is copied from the new version's start.
    copied = list(v2.lines.all())
    assert [(c.component.code, c.valid_from, c.monthly_quantity) for c in copied] == [
        ("L01", date(2026, 5, 1), Decimal("10.00"))
    ]
    assert v2.goals.get().subgoals.get().text == "Käib poes"
    services.change_line(
        line=copied[0], form="I", monthly_quantity=Decimal("14"), valid_from=date(2026, 5, 1), valid_to=None
    )
    # Until agreed, the old version alone is in force.
    assert [ln.monthly_quantity for ln in selectors.plan_lines_on(case=ready_case, day=date(2026, 6, 1))] == [
        Decimal("10.00")
    ]
    services.agree_plan(plan=v2, agreed_on=date(2026, 4, 20))

    v1.refresh_from_db()
    assert v1.valid_to == date(2026, 4, 30)
    assert v1.lines.get(component__code="L01").monthly_quantity == Decimal("10.00")  # old versions stay
    on_april_30 = selectors.plan_lines_on(case=ready_case, day=date(2026, 4, 30))
    on_may_1 = selectors.plan_lines_on(case=ready_case, day=date(2026, 5, 1))
    assert [(ln.plan.version, ln.monthly_quantity) for ln in on_april_30] == [(1, Decimal("10.00"))]
    assert [(ln.plan.version, ln.monthly_quantity) for ln in on_may_1] == [(2, Decimal("14.00"))]


def test_a_new_version_must_start_after_the_current_one(ready_case, specialist):
    v1 = draft_plan(ready_case, by=specialist)
    services.agree_plan(plan=v1, agreed_on=date(2026, 1, 30))
    with pytest.raises(AssessmentError, match="must start after"):
        services.new_version(plan=v1, valid_from=date(2026, 2, 1), reason="x", by=specialist)
    services.new_version(plan=v1, valid_from=date(2026, 3, 1), reason="x", by=specialist)
    with pytest.raises(AssessmentError, match="newer version"):
        services.new_version(plan=v1, valid_from=date(2026, 4, 1), reason="x", by=specialist)


def test_agreed_versions_never_overlap_in_postgresql(ready_case, specialist):
    v1 = draft_plan(ready_case, by=specialist)
    services.agree_plan(plan=v1, agreed_on=date(2026, 1, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            case=ready_case, version=2, valid_from=date(2026, 6, 1), made_by=specialist,
            status=PlanStatus.AGREED, agreed_on=date(2026, 5, 1),
        )


def test_a_new_version_leaves_out_lines_with_no_price_on_its_start_and_names_them(
    ready_case, specialist, base_provider, kov_a
):
    from tests.assessments.factories import additional_provider_for

    longer = additional_provider_for(kov_a, name="OÜ Pikk leping", period=(date(2026, 1, 1), date(2027, 12, 31)))
    v1 = draft_plan(ready_case, by=specialist)
    line(v1, "L01", base_provider, hours="10")  # the base provider's contract ends on 31.12.2026
    line(v1, "L13", longer, hours="4")
    services.agree_plan(plan=v1, agreed_on=date(2026, 1, 30))

    v2 = services.new_version(plan=v1, valid_from=date(2027, 1, 1), reason="Uus aasta", by=specialist)

    assert [(ln.component.code, ln.valid_from) for ln in v2.lines.all()] == [("L13", date(2027, 1, 1))]
    assert [ln.component.code for ln in v2.lines_left_out] == ["L01"]
    assert v2.goals.count() == 1
