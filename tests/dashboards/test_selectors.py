"""The figures behind the charts, against sums worked out by hand, and their query counts."""

from datetime import date
from decimal import Decimal

import pytest

from assessments import selectors as assessment_selectors
from assessments import services as assessment_services
from assessments.models import QolOccasion, QolRespondent
from billing import selectors
from billing.models import Invoice
from tests.dashboards.factories import dashboard_world, invoice, more_persons, qol_answers

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR, MAY = (date(2026, m, 1) for m in range(1, 6))
DEC = date(2025, 12, 1)
D = Decimal


@pytest.fixture
def world(kov_a, coordinator_a):
    return dashboard_world(kov_a, coordinator_a)


def test_months_ending_gives_the_months_up_to_the_chosen_one_oldest_first():
    assert selectors.months_ending(date(2026, 2, 17), 4) == [date(2025, 11, 1), DEC, JAN, FEB]


def test_the_fill_rate_counts_everyone_who_was_a_participant_at_some_time_in_the_month(world):
    rows = selectors.fill_rate_by_month(agreement=world.agreement, months=[DEC, JAN, FEB, MAR, APR, MAY])
    # Two persons from 10.01; one more 10.01–28.02; one 15.03–10.04.
    assert [r["participants"] for r in rows] == [0, 3, 3, 3, 3, 2]
    assert {r["planned_places"] for r in rows} == {10}
    assert {r["target"] for r in rows} == {D("9.00")}
    assert [r["fill_rate"] for r in rows] == [D("0.0"), D("30.0"), D("30.0"), D("30.0"), D("30.0"), D("20.0")]


def test_spend_per_component_sums_the_delivered_sessions_per_month(world):
    rows = selectors.spend_per_component_by_month(municipality=world.kov, months=[FEB, MAR, APR])
    by_code = {r["code"]: r for r in rows}
    assert by_code["L23"]["amounts"] == [D("0.00"), D("30.00"), D("75.00")]  # April: 60,00 + 15,00
    assert by_code["B1"]["amounts"] == [D("0.00"), D("73.50"), D("0.00")]
    assert by_code["L23"]["total"] == D("105.00") and by_code["B1"]["total"] == D("73.50")


def test_personal_budgets_are_summed_over_persons_and_prorated_in_the_entry_month(world):
    rows = selectors.budget_totals_by_month(municipality=world.kov, months=[DEC, JAN, MAR, APR])
    # Each person: 10 h × 30 € + 10 h × 49 € = 790,00 a month; January from the 10th = 22/31:
    # 300 × 22/31 = 212,90 and 490 × 22/31 = 347,74, so 560,64 a person.
    assert [r["planned"] for r in rows] == [D("0.00"), D("1121.28"), D("1580.00"), D("1580.00")]
    assert [r["actual"] for r in rows] == [D("0.00"), D("0.00"), D("103.50"), D("75.00")]


def test_the_bulk_budgets_equal_the_personal_budget_of_each_person(world):
    for case in (world.case, world.other_case):
        for month in (JAN, APR):
            bulk = selectors.plans.planned_budgets(cases=type(case).objects.filter(pk=case.pk), months=[month])
            assert bulk[(case.pk, month)] == assessment_selectors.planned_cost(case=case, month=month)


def test_the_per_person_table_of_a_month_compares_budget_and_actual(world):
    rows = selectors.budgets_planned_vs_actual(municipality=world.kov, month=APR)
    got = {r["case_id"]: (r["planned"], r["actual"], r["difference"], r["over"]) for r in rows}
    assert got == {
        world.case.pk: (D("790.00"), D("15.00"), D("-775.00"), False),
        world.other_case.pk: (D("790.00"), D("60.00"), D("-730.00"), False),
    }
    assert [r["person"] for r in rows] == sorted(
        [str(world.case.person), str(world.other_case.person)], key=lambda n: n.split()[-1]
    )


def test_a_persons_budget_by_month_starts_at_entry(world):
    months = selectors.case_budget_months(world.case, today=date(2026, 4, 20))
    assert months == [JAN, FEB, MAR, APR]
    rows = selectors.case_budget_by_month(case=world.case, months=months)
    assert [(r["planned"], r["actual"]) for r in rows] == [
        (D("560.64"), D("0.00")), (D("790.00"), D("0.00")), (D("790.00"), D("103.50")), (D("790.00"), D("15.00")),
    ]
    assert rows[2]["difference"] == D("-686.50")


def test_spend_per_municipality_shows_ska_only_the_submitted_live_invoices(kov_a, kov_b, ska_user):
    invoice(kov_a, MAR, "1000.00")
    invoice(kov_a, APR, "250.50", state=Invoice.State.ACCEPTED)
    invoice(kov_b, APR, "400.00", state=Invoice.State.CLOSED)  # not submitted: SKA does not see it
    invoice(kov_b, MAR, "999.00", state=Invoice.State.RETURNED)  # replaced by version 2
    invoice(kov_b, MAR, "900.00", version=2)
    rows = selectors.spend_per_municipality_by_month(user=ska_user, months=[MAR, APR])
    assert [(r["name"], r["amounts"], r["total"]) for r in rows] == [
        ("Alfa vald", [D("1000.00"), D("250.50")], D("1250.50")),
        ("Beeta linn", [D("900.00"), D("0.00")], D("900.00")),
    ]


def test_a_coordinator_sees_only_their_own_municipalitys_spend(kov_a, kov_b, coordinator_b):
    invoice(kov_a, MAR, "1000.00")
    invoice(kov_b, MAR, "300.00", state=Invoice.State.ACCEPTED)
    invoice(kov_b, APR, "400.00", state=Invoice.State.CLOSED)  # not submitted: SKA does not count it
    rows = selectors.spend_per_municipality_by_month(user=coordinator_b, months=[MAR, APR])
    assert [(r["name"], r["amounts"]) for r in rows] == [("Beeta linn", [D("300.00"), D("0.00")])]


def test_the_quality_of_life_change_puts_each_surveys_rating_beside_the_others(world, case_manager_a):
    case = world.case
    instrument = assessment_selectors.qol_instrument()
    low, high = instrument.levels.order_by("value").first().value, instrument.levels.order_by("value").last().value
    for respondent, occasion, on, value in [
        (QolRespondent.PERSON, QolOccasion.YEAR, date(2027, 1, 12), lambda i: high),
        (QolRespondent.SPECIALIST, QolOccasion.ENTRY, date(2026, 1, 20), lambda i: low + i % 2),
        (QolRespondent.PERSON, QolOccasion.ENTRY, date(2026, 1, 15), lambda i: low),
    ]:
        assessment_services.record_survey(
            case=case, occasion=occasion, respondent=respondent, answered_on=on, answers=qol_answers(value),
            notes="", by=case_manager_a,
        )
    change = assessment_selectors.qol_change(case=case)
    assert [(s.respondent, s.occasion) for s in change.surveys] == [
        ("person", "entry"), ("person", "year"), ("specialist", "entry"),
    ]
    assert len(change.rows) == instrument.items.count() and change.scale_max == high
    first_item = instrument.items.order_by("order", "code").first()
    assert change.rows[0] == (first_item.name, [low, high, low])
    assert change.rows[1][1] == [low, high, low + 1]


# --- Query counts that do not grow with the number of persons


def _count_queries(django_assert_num_queries, expected, call):
    with django_assert_num_queries(expected):
        return call()


@pytest.mark.parametrize("extra_persons", [0, 6])
def test_each_figure_takes_a_fixed_number_of_queries(world, coordinator_a, django_assert_num_queries, extra_persons):
    more_persons(world, coordinator_a, extra_persons)
    months = selectors.months_ending(APR, 12)
    _count_queries(django_assert_num_queries, 1, lambda: selectors.fill_rate_by_month(agreement=world.agreement, months=months))
    # The months locked, their invoices' stored lines, the open months' deliveries.
    _count_queries(django_assert_num_queries, 2, lambda: selectors.spend_per_component_by_month(municipality=world.kov, months=months))
    _count_queries(django_assert_num_queries, 3, lambda: selectors.budget_totals_by_month(municipality=world.kov, months=months))
    rows = _count_queries(
        django_assert_num_queries, 4, lambda: selectors.budgets_planned_vs_actual(municipality=world.kov, month=APR)
    )
    assert len(rows) == 2 + extra_persons
    _count_queries(django_assert_num_queries, 2, lambda: selectors.case_budget_by_month(case=world.case, months=months))


def test_a_person_who_re_entered_in_the_month_counts_once(kov_a):
    from tests.billing.factories import FundingAgreementFactory
    from tests.cases.factories import EnteredCaseFactory

    agreement = FundingAgreementFactory(municipality=kov_a)
    first = EnteredCaseFactory(
        municipality=kov_a, entry_date=date(2026, 1, 10), exit_date=date(2026, 2, 10), state="exited"
    )
    EnteredCaseFactory(municipality=kov_a, person=first.person, entry_date=date(2026, 2, 20))
    rows = selectors.fill_rate_by_month(agreement=agreement, months=[JAN, FEB, MAR])
    assert [r["participants"] for r in rows] == [1, 1, 1]


# --- A locked month's figures come from what its close stored, and equal its deliveries


def _figures(world, months):
    return (
        selectors.spend_per_component_by_month(municipality=world.kov, months=months),
        selectors.budget_totals_by_month(municipality=world.kov, months=months),
        [selectors.budgets_planned_vs_actual(municipality=world.kov, month=m) for m in months],
        selectors.contracts_invoiced(world.kov.pk),
    )


def test_closed_months_read_their_stored_totals_which_equal_the_deliveries(world, coordinator_a, django_assert_num_queries):
    import time_machine
    from django.db.models import Sum

    from billing import services
    from billing.models import Delivery, InvoiceContractTotal, InvoiceLine, InvoicePersonLine

    months = [FEB, MAR, APR]
    live = _figures(world, months)
    with time_machine.travel(date(2026, 5, 4)):
        march = services.close_month(municipality=world.kov, month=MAR, by=coordinator_a)
        april = services.close_month(municipality=world.kov, month=APR, by=coordinator_a)
        services.submit_invoice(invoice=march, by=coordinator_a)
        services.submit_invoice(invoice=april, by=coordinator_a)
    assert selectors.standing_invoices(world.kov, months) == {MAR: march.pk, APR: april.pk}
    def delivered(first, end):
        return dict(
            Delivery.objects.filter(municipality=world.kov, date__gte=first, date__lt=end)
            .values_list("contract_id").annotate(s=Sum("amount")).order_by()
        )

    in_march, in_april = delivered(MAR, APR), delivered(APR, MAY)
    assert live[3] == {}  # nothing counted before the submission
    assert _figures(world, months)[:3] == live[:3]
    assert selectors.contracts_invoiced(world.kov.pk) == delivered(MAR, MAY)
    # ... and they are read from the stored rows, in as many queries as before.
    InvoiceLine.objects.filter(invoice=april, kind="component").update(amount=D("1.00"))
    InvoicePersonLine.objects.filter(invoice=april).update(amount=D("2.00"))
    InvoiceContractTotal.objects.filter(invoice=april).update(amount=D("3.00"))
    spend, budgets, persons, contracts = _figures(world, months)
    assert {r["code"]: r["amounts"][2] for r in spend} == {"L23": D("1.00"), "B1": D("0.00")}
    assert budgets[2]["actual"] == D("1.00")
    assert {r["actual"] for r in persons[2]} == {D("2.00")}
    assert contracts == {k: in_march.get(k, D("0.00")) + (D("3.00") if k in in_april else 0)
                         for k in {*in_march, *in_april}}
    _count_queries(django_assert_num_queries, 4, lambda: selectors.budget_totals_by_month(municipality=world.kov, months=months))
    _count_queries(django_assert_num_queries, 2, lambda: selectors.actual_by_case(world.kov, APR))
