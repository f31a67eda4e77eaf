"""Pages stay fast as data grows: each page's query count is the same with N and with 3 N of
everything it lists (persons, plan lines, deliveries, contracts, history records, deadlines,
invoices). A page that runs a query per row fails here at the larger size."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import Invoice
from tests.billing.factories import FundingAgreementFactory, plan_line
from tests.cases.factories import (
    CaseFactory,
    DecisionFactory,
    EnteredCaseFactory,
    MeetingFactory,
    NetworkMemberFactory,
)
from tests.dashboards.factories import dashboard_world, invoice, more_persons
from tests.factories import MunicipalityFactory
from tests.providers.factories import ContractFactory, ContractPriceFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 4)
N = 2


@pytest.fixture
def world(kov_a, coordinator_a):
    with time_machine.travel(TODAY):
        return dashboard_world(kov_a, coordinator_a)


def _grow(world, coordinator, count: int, start: int) -> None:
    """``count`` more of each kind of row the pages list, numbered from ``start``."""
    more_persons(world, coordinator, count)
    person = world.case.person
    meeting = MeetingFactory(case=world.case)
    for i in range(start, start + count):
        person.first_name = f"Nimi{i}"
        person.save()  # a history row of the person
        member = NetworkMemberFactory(case=world.case, name=f"Liige {i}")
        member.relation = "sõber"
        member.save()  # created and changed: two history rows
        DecisionFactory(meeting=meeting, text=f"Otsus {i}", deadline=TODAY + timedelta(days=i % 30 - 10))
        # The case file's plan lines, each priced for the warning of a price that ends first.
        plan_line(world.case, world.provider, ("L23", "B1")[i % 2], hours="1", start=date(2026, 2, 1) + timedelta(days=i))
        contract = ContractFactory(municipality=world.kov, number=f"KASV-{i}")
        ContractPriceFactory(contract=contract)
        month = date(2024 + i // 12, i % 12 + 1, 1)
        invoice(world.kov, month, "100.00", state=Invoice.State.ACCEPTED)
        # The case manager's task list: a noticed person and a plan awaited from the base provider.
        CaseFactory(municipality=world.kov, case_manager=world.case.case_manager)
        # (overdue since long ago, so that the plan's note is on the first page at both sizes)
        EnteredCaseFactory(
            municipality=world.kov, case_manager=world.case.case_manager, entry_date=date(2025, 11, 1),
            latest_assessment_date=date(2025, 11, 5), base_linked_on=date(2025, 11, 6),
        )
        # SKA's start page: an invoice waiting for review, and a municipality late with April.
        for code, state in ((f"{8100 + i}", Invoice.State.SUBMITTED), (f"{8300 + i}", None)):
            kov = MunicipalityFactory(name=f"Kasvuvald {code}", code=code)
            FundingAgreementFactory(municipality=kov)
            if state:
                invoice(kov, date(2026, 4, 1), "100.00", state=state)


def _queries(client, user, url: str) -> int:
    """The queries of one GET, after one uncounted GET (which fills the content-type cache)."""
    client.force_login(user)
    with time_machine.travel(TODAY):
        client.get(url)
    with time_machine.travel(TODAY), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def _pages(world, users):
    case_manager, coordinator, ska = users
    return [
        (case_manager, reverse("cases:home")),
        (case_manager, reverse("cases:home") + "?scope=kov"),
        (case_manager, reverse("cases:deadlines") + "?scope=kov"),
        (case_manager, reverse("cases:case_detail", kwargs={"pk": world.case.pk})),
        (case_manager, reverse("assessments:case", kwargs={"pk": world.case.pk})),
        (case_manager, reverse("assessments:plan_detail", kwargs={"pk": world.case.plans.get().pk})),
        (case_manager, reverse("cases:persons")),
        (coordinator, reverse("billing:month_end") + "?month=2026-04"),
        (coordinator, reverse("billing:month_check") + "?month=2026-04"),
        (coordinator, reverse("billing:month_closing") + "?month=2026-04"),
        (coordinator, reverse("billing:month_submission") + "?month=2026-04"),
        (coordinator, reverse("billing:month_dashboard") + "?month=2026-04"),
        (coordinator, reverse("billing:invoice_list")),
        (ska, reverse("billing:invoice_list")),
        (ska, reverse("reporting:home")),
    ]


def test_every_listed_pages_query_count_is_the_same_at_n_and_3n(
    client, world, case_manager_a, coordinator_a, ska_user
):
    world.case.case_manager = case_manager_a
    world.case.save()
    pages = _pages(world, (case_manager_a, coordinator_a, ska_user))
    _grow(world, coordinator_a, N, 0)
    small = [_queries(client, user, url) for user, url in pages]
    _grow(world, coordinator_a, 2 * N, N)
    large = [_queries(client, user, url) for user, url in pages]
    assert dict(zip([url for _, url in pages], large, strict=True)) == dict(
        zip([url for _, url in pages], small, strict=True)
    )


def test_the_deadlines_page_is_paged(client, world, case_manager_a):
    from cases.views import DEADLINES_PAGE

    meeting = MeetingFactory(case=world.case)
    for i in range(DEADLINES_PAGE + 5):
        DecisionFactory(meeting=meeting, text=f"Otsus {i}", deadline=TODAY - timedelta(days=1 + i % 20))
    client.force_login(case_manager_a)
    with time_machine.travel(TODAY):
        first = client.get(reverse("cases:deadlines"), {"scope": "kov"})
        second = client.get(reverse("cases:deadlines"), {"scope": "kov", "overdue": 2})
    overdue = first.context["groups"][0]
    assert overdue["param"] == "overdue"
    assert len(overdue["page"].object_list) == DEADLINES_PAGE
    assert overdue["page"].paginator.count >= DEADLINES_PAGE + 5
    html = first.content.decode()
    assert "?scope=kov&amp;overdue=2" in html
    rest = second.context["groups"][0]["page"].object_list
    assert 5 <= len(rest) < DEADLINES_PAGE
    assert {d.detail for d in rest}.isdisjoint({d.detail for d in overdue["page"].object_list})


def test_the_case_files_history_still_shows_each_change_against_the_one_before(client, world, case_manager_a):
    member = NetworkMemberFactory(case=world.case, name="Liige")
    member.relation = "sõber"
    member.save()
    member.name = "Liige Uus"
    member.save()
    client.force_login(case_manager_a)
    history = client.get(reverse("cases:case_detail", kwargs={"pk": world.case.pk})).context["history"]
    changes = [row["changes"] for row in history if row["label"] in ("Liige", "Liige Uus")]
    # newest first: the name change, the relation change, the creation (nothing to compare)
    assert [[c[0] for c in row] for row in changes] == [["ees- ja perekonnanimi"], ["seos"], []]
    assert changes[0][0][1:] == ("Liige", "Liige Uus")
    case_rows = [row for row in history if row["label"].startswith(world.case.number)]
    assert case_rows and all(str(world.case.person) in row["label"] for row in case_rows)


def test_contract_usage_of_every_contract_at_once_equals_each_contracts_own(world, coordinator_a):
    from billing import selectors
    from billing.models import BillingMonth, MonthState

    other = ContractFactory(municipality=world.kov, number="TEINE")
    ContractPriceFactory(contract=other)
    BillingMonth.objects.update_or_create(
        municipality=world.kov, month=date(2026, 3, 1), defaults={"state": MonthState.SUBMITTED}
    )
    invoice(world.kov, date(2026, 3, 1), "103.50")  # submitted: a month SKA counts
    everything = selectors.contracts_invoiced(world.kov.pk)
    for contract in (world.contract, other):
        alone = selectors.contract_invoiced(contract)
        assert everything.get(contract.pk, Decimal("0.00")) == alone
    assert everything[world.contract.pk] == Decimal("103.50")  # March: 30,00 + 73,50


def test_the_specialists_start_page_and_week_grid_query_counts_stay_the_same(client, world, coordinator_a):
    from accounts.models import Role
    from tests.factories import UserFactory

    specialist = UserFactory(username="spets_paringud", role=Role.PROVIDER, municipality=None, provider=world.provider)
    pages = [reverse("billing:specialist_home"), reverse("billing:my_attendance") + "?week=2026-04-06"]
    more_persons(world, coordinator_a, N)
    small = [_queries(client, specialist, url) for url in pages]
    more_persons(world, coordinator_a, 2 * N)
    large = [_queries(client, specialist, url) for url in pages]
    assert large == small
    client.force_login(specialist)
    with time_machine.travel(TODAY):
        home = client.get(pages[0]).content.decode()
    assert home.count('data-testid="specialist-person"') == 2 + 3 * N
