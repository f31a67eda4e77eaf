"""The personal budget (isikustatud eelarve) to the cent."""

from datetime import date
from decimal import Decimal

import pytest

from assessments import selectors, services
from tests.assessments.factories import assess, draft_plan, link
from tests.providers.factories import component


@pytest.fixture
def plan(case, case_manager_a, base_provider, specialist):
    assess(case, by=case_manager_a, on=date(2026, 1, 20))
    link(case, base_provider, by=case_manager_a, on=date(2026, 1, 21))
    return draft_plan(case, by=specialist, valid_from=date(2026, 2, 1))


def add(plan, code, provider, hours, *, form="I", start=date(2026, 2, 1), end=None):
    return services.add_line(
        plan=plan, component=component(code), provider=provider, form=form,
        monthly_quantity=Decimal(hours), valid_from=start, valid_to=end,
    )


def test_a_full_month_is_hours_times_unit_price_per_line_rounded_then_summed(plan, base_provider, other_provider, case):
    add(plan, "L01", base_provider, "3.33")  # 3.33 × 32.00 = 106.56
    add(plan, "L23", base_provider, "2.5", form="G")  # 2.5 × 12.00 = 30.00
    add(plan, "L13", other_provider, "1.5")  # 1.5 × 35.00 = 52.50
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))

    assert selectors.planned_cost(case=case, month=date(2026, 3, 1)) == Decimal("189.06")
    assert selectors.planned_cost(case=case, month=date(2026, 1, 1)) == Decimal("0.00")


def test_each_line_is_rounded_half_up_before_the_sum(plan, case, kov_a):
    from tests.assessments.factories import additional_provider_for

    cents = additional_provider_for(kov_a, name="OÜ Sendid", prices=[("L13", "35.10", None), ("L14", "35.10", None)])
    add(plan, "L13", cents, "0.15")  # 5.265 → 5.27 (half up, not to even)
    add(plan, "L14", cents, "0.15")  # 5.265 → 5.27
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))
    # The sum of rounded lines (10.54), not the rounded sum (10.53).
    assert selectors.planned_cost(case=case, month=date(2026, 4, 1)) == Decimal("10.54")


def test_a_mid_month_version_change_gives_each_version_its_days(plan, base_provider, specialist, case):
    add(plan, "L01", base_provider, "10")  # 320.00 a month
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))
    v2 = services.new_version(plan=plan, valid_from=date(2026, 3, 16), reason="Rohkem tuge", by=specialist)
    services.change_line(
        line=v2.lines.get(), form="I", monthly_quantity=Decimal("12"), valid_from=date(2026, 3, 16), valid_to=None
    )
    services.agree_plan(plan=v2, agreed_on=date(2026, 3, 10))

    # March has 31 days: v1 1–15 → 320 × 15/31 = 154.838… → 154.84;
    # v2 16–31 → 384 × 16/31 = 198.193… → 198.19.
    assert selectors.planned_cost(case=case, month=date(2026, 3, 1)) == Decimal("353.03")
    assert selectors.planned_cost(case=case, month=date(2026, 2, 1)) == Decimal("320.00")
    assert selectors.planned_cost(case=case, month=date(2026, 4, 1)) == Decimal("384.00")


def test_a_line_ending_mid_month_counts_its_days(plan, base_provider, case):
    add(plan, "L01", base_provider, "10", start=date(2026, 2, 1), end=date(2026, 2, 14))  # 320 × 14/28
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))
    assert selectors.planned_cost(case=case, month=date(2026, 2, 1)) == Decimal("160.00")


def test_a_draft_version_has_its_own_budget_but_is_not_the_personal_budget(plan, base_provider, case):
    add(plan, "L01", base_provider, "10")
    assert selectors.version_cost(plan=plan, month=date(2026, 2, 1)) == Decimal("320.00")
    assert selectors.planned_cost(case=case, month=date(2026, 2, 1)) == Decimal("0.00")
    months = selectors.budget_months(case=case, start=date(2026, 2, 10), months=2, plan=plan)
    assert [(m.month, m.amount) for m in months] == [
        (date(2026, 2, 1), Decimal("320.00")), (date(2026, 3, 1), Decimal("320.00"))
    ]


# ---------------------------------------------------------------- the budget beyond the contract prices


def test_a_line_running_past_the_contract_end_is_warned_about(plan, base_provider, other_provider):
    add(plan, "L01", base_provider, "10")  # open-ended; the 2026 contract ends on 31.12.2026
    add(plan, "L13", other_provider, "4", end=date(2026, 12, 31))  # ends with the contract: fine

    warnings = selectors.version_price_warnings(plan=plan, until=date(2027, 1, 31))

    assert [(w.line.component.code, w.price_until) for w in warnings] == [("L01", date(2026, 12, 31))]
    assert "valid until 31.12.2026" in warnings[0].message
    # A budget shown only up to the contract's end runs past nothing.
    assert selectors.version_price_warnings(plan=plan, until=date(2026, 12, 31)) == []


def test_a_line_running_past_its_price_period_is_warned_about_even_within_the_contract(plan, kov_a):
    from tests.assessments.factories import additional_provider_for
    from tests.providers.factories import ContractPriceFactory

    provider = additional_provider_for(kov_a, name="OÜ Hinnamuutus", prices=[("L14", "45.00", None)])
    contract = provider.contracts.get()
    ContractPriceFactory(
        contract=contract, component=component("L13"), unit_price_individual=Decimal("35.00"),
        unit_price_group=None, valid_from=date(2026, 1, 1), valid_to=date(2026, 6, 30),
    )
    ContractPriceFactory(
        contract=contract, component=component("L13"), unit_price_individual=Decimal("38.00"),
        unit_price_group=None, valid_from=date(2026, 7, 1), valid_to=None,
    )
    add(plan, "L13", provider, "4", end=date(2026, 9, 30))

    [warning] = selectors.version_price_warnings(plan=plan, until=date(2027, 1, 31))
    assert warning.price_until == date(2026, 6, 30)


def test_the_personal_budget_warns_only_about_agreed_lines_in_its_months(plan, base_provider, specialist, case):
    add(plan, "L01", base_provider, "10")
    assert selectors.budget_price_warnings(case=case, start=date(2026, 11, 1), until=date(2027, 4, 30)) == []
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))

    [warning] = selectors.budget_price_warnings(case=case, start=date(2026, 11, 1), until=date(2027, 4, 30))
    assert warning.price_until == date(2026, 12, 31)
    assert selectors.budget_price_warnings(case=case, start=date(2026, 5, 1), until=date(2026, 10, 31)) == []

    # A new version that ends the line with the contract clears the warning from its start on.
    v2 = services.new_version(plan=plan, valid_from=date(2026, 11, 1), reason="Leping lõpeb", by=specialist)
    services.change_line(
        line=v2.lines.get(), form="I", monthly_quantity=Decimal("10"), valid_from=date(2026, 11, 1),
        valid_to=date(2026, 12, 31),
    )
    services.agree_plan(plan=v2, agreed_on=date(2026, 10, 20))
    assert selectors.budget_price_warnings(case=case, start=date(2026, 11, 1), until=date(2027, 4, 30)) == []


def test_the_budget_pages_show_the_warning_in_estonian(client, plan, base_provider, specialist, case, case_manager_a):
    import time_machine
    from django.urls import reverse

    add(plan, "L01", base_provider, "10")
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))
    expected = "lepingujärgne hind kehtib kuni 31.12.2026"

    client.force_login(specialist)
    page = client.get(reverse("assessments:plan_detail", args=[plan.pk])).content.decode()
    assert "Eelarve ulatub lepingu hindade kehtivusest kaugemale" in page and expected in page
    with time_machine.travel(date(2026, 12, 10), tick=False):
        client.force_login(case_manager_a)
        assert expected in client.get(reverse("assessments:case", args=[case.pk])).content.decode()
        assert expected in client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    with time_machine.travel(date(2026, 6, 10), tick=False):
        client.force_login(case_manager_a)
        assert expected not in client.get(reverse("assessments:case", args=[case.pk])).content.decode()
        assert expected not in client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
