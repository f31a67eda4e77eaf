from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from providers.models import Contract, Provider
from tests.providers.factories import (
    ContractFactory,
    ContractPriceFactory,
    ProviderFactory,
    component,
)

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_a_provider_with_a_valid_registry_code(client, coordinator_a):
    client.force_login(coordinator_a)
    data = {
        "name": "MTÜ Uus Tugi",
        "registry_code": "80399111",
        "type": "ngo",
        "offers_additional_support": "on",
        "works_offered": "õmblemine, koristus",
    }
    response = client.post("/providers/new/", data)
    provider = Provider.objects.get(registry_code="80399111")
    assert response.status_code == 302
    assert provider.works_offered == ["õmblemine", "koristus"]
    assert provider.added_by == coordinator_a.municipality


def test_a_wrong_registry_code_is_refused_next_to_the_field(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.post(
        "/providers/new/", {"name": "X", "registry_code": "80399112", "type": "ngo"}
    )
    assert response.status_code == 200
    assert "80399112" in response.content.decode()
    assert not Provider.objects.filter(name="X").exists()


def test_a_contract_ending_before_it_starts_shows_a_message_and_saves_nothing(
    client, coordinator_a
):
    provider = ProviderFactory()
    client.force_login(coordinator_a)
    response = client.post(
        f"/providers/{provider.pk}/contracts/new/",
        {"number": "K-9", "start": "2026-05-01", "end": "2026-04-01", "maximum_amount": "1000"},
    )
    assert response.status_code == 200
    assert not Contract.objects.filter(number="K-9").exists()


def test_the_contract_page_shows_prices_usage_and_history(client, coordinator_a):
    contract = ContractFactory(
        municipality=coordinator_a.municipality, maximum_amount=Decimal("12000")
    )
    ContractPriceFactory(contract=contract, component=component("L23"))
    client.force_login(coordinator_a)
    content = client.get(f"/providers/contracts/{contract.pk}/").content.decode()
    assert "L23" in content
    assert "12\xa0000,00\xa0€" in content
    assert "0,00\xa0€" in content


@time_machine.travel(date(2026, 12, 10))
def test_the_home_page_warns_of_contracts_ending_within_30_days_and_uncovered_components(
    client, coordinator_a
):
    ending = ContractFactory(
        municipality=coordinator_a.municipality,
        number="ENDS-SOON",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    ContractFactory(
        municipality=coordinator_a.municipality,
        number="LATER",
        start=date(2026, 1, 1),
        end=date(2027, 6, 30),
    )
    ContractPriceFactory(contract=ending, component=component("L23"))
    client.force_login(coordinator_a)
    response = client.get("/providers/")
    warnings = response.context["ending_soon"]
    assert [c.number for c in warnings] == ["ENDS-SOON"]
    uncovered = {c.code for c in response.context["uncovered"]}
    assert "L23" not in uncovered
    assert "B1" in uncovered


def test_the_ska_register_exports_providers_as_xlsx(client, ska_user, kov_a, kov_b):
    pkt = ProviderFactory(
        name="MTÜ Kaitstud Töö",
        works_offered=["õmblemine", "pakkimine"],
        target_groups="psüühilise erivajadusega täisealised",
        exclusions="nägemispuudega inimesed",
    )
    ContractPriceFactory(
        contract=ContractFactory(municipality=kov_a, provider=pkt),
        component=component("L18"),
        unit_price_individual=None,
    )
    ContractFactory(municipality=kov_b, provider=pkt)
    ProviderFactory(name="OÜ Muu")
    client.force_login(ska_user)
    response = client.get("/providers/register.xlsx", {"work": "pakki"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    values = list(rows[1])
    assert values[0] == "MTÜ Kaitstud Töö"
    assert "L18" in values[7]
    assert values[8] == "Alfa vald, Beeta linn"
    assert "nägemispuudega inimesed" in values
    assert len(row) == 12


def test_the_register_filters_by_municipality_served(client, ska_user, kov_a, kov_b):
    ContractFactory(municipality=kov_a, provider=ProviderFactory(name="A-pakkuja"))
    ContractFactory(municipality=kov_b, provider=ProviderFactory(name="B-pakkuja"))
    client.force_login(ska_user)
    response = client.get("/providers/register/", {"municipality": kov_b.pk})
    names = [r["provider"].name for r in response.context["rows"]]
    assert names == ["B-pakkuja"]


def test_the_register_page_needs_a_constant_number_of_queries(
    client, ska_user, kov_a, django_assert_max_num_queries
):
    for _n in range(5):
        ContractPriceFactory(contract=ContractFactory(municipality=kov_a))
    client.force_login(ska_user)
    with django_assert_max_num_queries(15):
        client.get("/providers/register/")


def test_the_providers_page_needs_a_constant_number_of_queries(
    client, coordinator_a, django_assert_max_num_queries
):
    for _n in range(30):
        ContractFactory(municipality=coordinator_a.municipality)
    client.force_login(coordinator_a)
    with django_assert_max_num_queries(14):
        response = client.get("/providers/")
    assert len(response.context["page"]) == 25
