from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from accounts.permissions import can_edit_provider, provider_municipalities, visible_municipalities
from providers.models import Contract, ContractPrice
from providers.services import (
    ProviderError,
    add_price,
    change_price_from,
    create_contract,
    update_contract,
)
from tests.factories import UserFactory
from tests.providers.factories import (
    ContractFactory,
    ContractPriceFactory,
    ProviderFactory,
    component,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(kov_a):
    return ContractFactory(municipality=kov_a, start=date(2026, 1, 1), end=date(2026, 12, 31))


def test_overlapping_prices_of_one_component_are_refused_with_a_message(contract):
    add_price(
        contract=contract,
        component=component("L23"),
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 6, 30),
        unit_price_individual=Decimal("30"),
    )
    with pytest.raises(ProviderError) as exc:
        add_price(
            contract=contract,
            component=component("L23"),
            valid_from=date(2026, 6, 30),
            unit_price_individual=Decimal("31"),
        )
    assert "ei tohi kattuda" in str(exc.value.message)
    assert contract.prices.count() == 1


def test_the_database_itself_refuses_overlapping_prices(contract):
    ContractPriceFactory(contract=contract, valid_from=date(2026, 1, 1), valid_to=date(2026, 6, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractPrice.objects.create(
            contract=contract,
            component=component("L23"),
            valid_from=date(2026, 6, 1),
            unit_price_individual=Decimal("1"),
        )


def test_adjacent_prices_do_not_overlap(contract):
    ContractPriceFactory(contract=contract, valid_from=date(2026, 1, 1), valid_to=date(2026, 6, 30))
    add_price(
        contract=contract,
        component=component("L23"),
        valid_from=date(2026, 7, 1),
        unit_price_individual=Decimal("32"),
    )
    assert contract.prices.count() == 2


def test_the_same_period_for_another_component_is_fine(contract):
    ContractPriceFactory(contract=contract, valid_from=date(2026, 1, 1))
    add_price(
        contract=contract,
        component=component("L21"),
        valid_from=date(2026, 1, 1),
        unit_price_group=Decimal("8"),
    )
    assert contract.prices.count() == 2


def test_a_price_outside_the_contract_period_is_refused(contract):
    with pytest.raises(ProviderError) as exc:
        add_price(
            contract=contract,
            component=component("L23"),
            valid_from=date(2025, 12, 1),
            unit_price_individual=Decimal("30"),
        )
    assert "lepingu perioodi sisse" in str(exc.value.message)
    with pytest.raises(ProviderError):
        add_price(
            contract=contract,
            component=component("L23"),
            valid_from=date(2026, 12, 1),
            valid_to=date(2027, 1, 31),
            unit_price_individual=Decimal("30"),
        )
    assert not contract.prices.exists()


def test_a_negative_price_is_refused(contract):
    with pytest.raises(ProviderError):
        add_price(
            contract=contract,
            component=component("L23"),
            valid_from=date(2026, 1, 1),
            unit_price_individual=Decimal("-1"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractPrice.objects.create(
            contract=contract,
            component=component("L23"),
            valid_from=date(2026, 1, 1),
            unit_price_group=Decimal("-1"),
        )


def test_a_group_price_for_an_individual_only_component_is_refused(contract):
    with pytest.raises(ProviderError) as exc:
        add_price(
            contract=contract,
            component=component("B1"),
            valid_from=date(2026, 1, 1),
            unit_price_individual=Decimal("49"),
            unit_price_group=Decimal("20"),
        )
    assert "unit_price_group" in exc.value.errors


def test_a_contract_ending_before_it_starts_is_refused(kov_a):
    provider = ProviderFactory()
    with pytest.raises(ProviderError) as exc:
        create_contract(
            municipality=kov_a,
            provider=provider,
            number="X-1",
            start=date(2026, 5, 1),
            end=date(2026, 4, 30),
            maximum_amount=Decimal("1000"),
        )
    assert "ei saa lõppeda enne" in str(exc.value.message)
    assert not Contract.objects.filter(number="X-1").exists()


def test_contract_numbers_are_unique_per_municipality(kov_a, kov_b, contract):
    with pytest.raises(ProviderError):
        create_contract(
            municipality=kov_a,
            provider=ProviderFactory(),
            number=contract.number,
            start=date(2026, 1, 1),
            end=date(2026, 2, 1),
            maximum_amount=Decimal("1"),
        )
    create_contract(
        municipality=kov_b,
        provider=ProviderFactory(),
        number=contract.number,
        start=date(2026, 1, 1),
        end=date(2026, 2, 1),
        maximum_amount=Decimal("1"),
    )


def test_changing_a_price_from_a_date_closes_the_old_period_the_day_before(contract):
    old = ContractPriceFactory(contract=contract, valid_from=date(2026, 1, 1), valid_to=None)
    new = change_price_from(
        price=old,
        from_date=date(2026, 9, 1),
        unit_price_individual=Decimal("35"),
        unit_price_group=Decimal("14"),
    )
    old.refresh_from_db()
    assert old.valid_to == date(2026, 8, 31)
    assert (new.valid_from, new.valid_to) == (date(2026, 9, 1), None)
    assert new.unit_price_individual == Decimal("35.00")


def test_changing_a_price_from_its_own_first_day_is_refused(contract):
    old = ContractPriceFactory(contract=contract, valid_from=date(2026, 1, 1))
    with pytest.raises(ProviderError):
        change_price_from(price=old, from_date=date(2026, 1, 1), unit_price_individual=Decimal("1"))
    old.refresh_from_db()
    assert old.valid_to is None


def test_a_failed_price_change_changes_nothing(contract):
    old = ContractPriceFactory(contract=contract, valid_from=date(2026, 1, 1))
    with pytest.raises(ProviderError):
        change_price_from(
            price=old, from_date=date(2026, 3, 1), unit_price_individual=Decimal("-5")
        )
    old.refresh_from_db()
    assert old.valid_to is None
    assert contract.prices.count() == 1


def test_a_provider_specialist_sees_the_municipalities_their_provider_has_contracts_with(
    provider_user, kov_a, kov_b
):
    assert list(provider_municipalities(provider_user)) == [kov_a]
    assert list(visible_municipalities(provider_user)) == [kov_a]


def test_a_provider_user_must_have_a_provider_and_others_must_not():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="p1", role=Role.PROVIDER)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="s1", role=Role.SKA, provider=ProviderFactory())


def test_coordinators_edit_providers_their_kov_contracts_with(
    provider_user, coordinator_a, coordinator_b, admin_user, ska_user
):
    provider = provider_user.provider
    assert can_edit_provider(coordinator_a, provider)
    assert not can_edit_provider(coordinator_b, provider)
    assert can_edit_provider(admin_user, provider)
    assert not can_edit_provider(ska_user, provider)


def test_a_contract_cannot_be_shortened_past_its_prices(contract):
    ContractPriceFactory(
        contract=contract, valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31)
    )
    with pytest.raises(ProviderError):
        update_contract(
            contract=contract,
            number=contract.number,
            start=date(2026, 1, 1),
            end=date(2026, 6, 30),
            maximum_amount=Decimal("1"),
        )
    contract.refresh_from_db()
    assert contract.end == date(2026, 12, 31)


def test_a_specialist_is_qualified_only_while_the_required_qualification_is_valid():
    from providers.models import Qualification
    from tests.providers.factories import SpecialistFactory

    l14 = component("L14")
    l14.required_qualification = "füsioterapeut"
    specialist = SpecialistFactory()
    assert not specialist.is_qualified_for(l14, date(2026, 5, 1))
    Qualification.objects.create(
        specialist=specialist,
        name="Füsioterapeut",
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 6, 30),
    )
    assert specialist.is_qualified_for(l14, date(2026, 6, 30))
    assert not specialist.is_qualified_for(l14, date(2026, 7, 1))
    assert specialist.is_qualified_for(component("L23"), date(2030, 1, 1))
