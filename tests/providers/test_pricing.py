"""The one price lookup: boundaries, forms and every reason for “no price”."""

from datetime import date
from decimal import Decimal

import pytest

from providers.pricing import NoPrice, price_for
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


@pytest.fixture
def l23_price(contract):
    """L23 costs 30 € individually and 12 € per group participant from 1.3 to 30.6."""
    return ContractPriceFactory(
        contract=contract,
        component=component("L23"),
        unit_price_individual=Decimal("30.00"),
        unit_price_group=Decimal("12.00"),
        valid_from=date(2026, 3, 1),
        valid_to=date(2026, 6, 30),
    )


def lookup(contract, code="L23", on=date(2026, 4, 1), form="I"):
    return price_for(
        municipality=contract.municipality,
        provider=contract.provider,
        component=component(code),
        on=on,
        form=form,
    )


def reason(contract, **kwargs) -> str:
    with pytest.raises(NoPrice) as exc:
        lookup(contract, **kwargs)
    return exc.value.reason


def test_the_price_applies_on_its_first_valid_day(contract, l23_price):
    assert lookup(contract, on=date(2026, 3, 1)).amount == Decimal("30.00")


def test_the_price_applies_on_its_last_valid_day(contract, l23_price):
    assert lookup(contract, on=date(2026, 6, 30)).amount == Decimal("30.00")


def test_there_is_no_price_the_day_after_it_ends(contract, l23_price):
    assert reason(contract, on=date(2026, 7, 1)) == NoPrice.NO_PRICE_ON_DATE


def test_there_is_no_price_the_day_before_it_starts(contract, l23_price):
    assert reason(contract, on=date(2026, 2, 28)) == NoPrice.NO_PRICE_ON_DATE


def test_group_work_is_priced_per_participant_at_the_group_price(contract, l23_price):
    quote = lookup(contract, form="G")
    assert quote.amount == Decimal("12.00")
    assert quote.source == l23_price
    assert quote.contract == contract


def test_an_open_ended_price_runs_to_the_contract_end_and_not_beyond(contract):
    ContractPriceFactory(contract=contract, valid_from=date(2026, 1, 1), valid_to=None)
    assert lookup(contract, on=date(2026, 12, 31)).amount == Decimal("30.00")
    assert reason(contract, on=date(2027, 1, 1)) == NoPrice.CONTRACT_NOT_IN_FORCE


def test_the_price_changed_from_a_date_gives_the_old_price_the_day_before(contract, l23_price):
    from providers.services import change_price_from

    change_price_from(
        price=l23_price,
        from_date=date(2026, 5, 1),
        unit_price_individual=Decimal("33.00"),
        unit_price_group=Decimal("13.00"),
    )
    assert lookup(contract, on=date(2026, 4, 30)).amount == Decimal("30.00")
    assert lookup(contract, on=date(2026, 5, 1)).amount == Decimal("33.00")
    assert lookup(contract, on=date(2026, 6, 30), form="G").amount == Decimal("13.00")


def test_no_contract_with_this_provider_is_a_reason(kov_a):
    ContractFactory(municipality=kov_a)  # a contract with someone else does not count
    with pytest.raises(NoPrice) as exc:
        price_for(
            municipality=kov_a,
            provider=ProviderFactory(),
            component=component("L23"),
            on=date(2026, 4, 1),
            form="I",
        )
    assert exc.value.reason == NoPrice.NO_CONTRACT


def test_a_contract_of_another_municipality_does_not_count(contract, l23_price, kov_b):
    with pytest.raises(NoPrice) as exc:
        price_for(
            municipality=kov_b,
            provider=contract.provider,
            component=component("L23"),
            on=date(2026, 4, 1),
            form="I",
        )
    assert exc.value.reason == NoPrice.NO_CONTRACT


def test_a_contract_not_in_force_on_the_date_is_a_reason(contract, l23_price):
    assert reason(contract, on=date(2025, 12, 31)) == NoPrice.CONTRACT_NOT_IN_FORCE


def test_a_component_outside_the_contract_is_a_reason(contract, l23_price):
    assert reason(contract, code="L21") == NoPrice.COMPONENT_NOT_IN_CONTRACT


def test_a_form_the_component_does_not_have_is_a_reason(contract):
    ContractPriceFactory(
        contract=contract,
        component=component("L11"),
        unit_price_individual=Decimal("40"),
        unit_price_group=None,
    )
    assert lookup(contract, code="L11").amount == Decimal("40.00")
    assert reason(contract, code="L11", form="G") == NoPrice.FORM_NOT_OFFERED


def test_a_form_the_contract_does_not_price_is_a_reason(contract):
    ContractPriceFactory(
        contract=contract, unit_price_individual=Decimal("30"), unit_price_group=None
    )
    assert reason(contract, form="G") == NoPrice.FORM_NOT_OFFERED


def test_a_retired_component_is_a_reason_from_its_retirement_day(contract, l23_price):
    l23 = component("L23")
    l23.retired_on = date(2026, 5, 1)
    l23.save()
    assert lookup(contract, on=date(2026, 4, 30)).amount == Decimal("30.00")
    assert reason(contract, on=date(2026, 5, 1)) == NoPrice.COMPONENT_RETIRED


def test_each_reason_has_an_estonian_message(contract, l23_price):
    from django.utils import translation

    with pytest.raises(NoPrice) as exc:
        lookup(contract, on=date(2027, 1, 1))
    with translation.override("et"):
        assert str(exc.value.message) != "No contract with this provider is in force on this date."


def test_many_lookups_at_once_answer_as_one_by_one_in_two_queries(contract, l23_price, kov_b, django_assert_num_queries):
    """A page pricing each of its rows asks :func:`prices_for` once: every answer, price or
    reason, is what :func:`price_for` gives for that row alone."""
    from providers.pricing import PriceRequest, prices_for

    later = ContractFactory(  # a later contract with the same provider wins from its start
        municipality=contract.municipality, provider=contract.provider, number="L-2",
        start=date(2026, 5, 1), end=date(2026, 12, 31),
    )
    ContractPriceFactory(contract=later, component=component("L23"), unit_price_individual=Decimal("33.00"),
                         unit_price_group=None, valid_from=date(2026, 5, 1), valid_to=None)
    other = ProviderFactory()
    asked = [
        (contract.municipality, contract.provider, "L23", date(2026, 4, 1), "I"),  # 30,00
        (contract.municipality, contract.provider, "L23", date(2026, 5, 2), "I"),  # the later contract: 33,00
        (contract.municipality, contract.provider, "L23", date(2026, 5, 2), "G"),  # the later one has no group price
        (contract.municipality, contract.provider, "L23", date(2026, 4, 1), "G"),  # 12,00
        (contract.municipality, contract.provider, "L23", date(2026, 2, 1), "I"),  # before the price
        (contract.municipality, contract.provider, "L23", date(2025, 12, 31), "I"),  # no contract in force
        (contract.municipality, contract.provider, "L21", date(2026, 4, 1), "I"),  # not in the contract
        (contract.municipality, other, "L23", date(2026, 4, 1), "I"),  # no contract with this provider
        (kov_b, contract.provider, "L23", date(2026, 4, 1), "I"),  # another municipality's contract
    ]

    def alone(municipality, provider, code, on, form):
        try:
            found = price_for(municipality=municipality, provider=provider, component=component(code), on=on, form=form)
        except NoPrice as exc:
            return exc.reason
        return found.amount, found.contract.pk, found.source.pk

    expected = [alone(*row) for row in asked]
    requests = [PriceRequest(m.pk, p.pk, component(code), on, form) for m, p, code, on, form in asked]
    with django_assert_num_queries(2):
        answers = prices_for(requests)
    got = [a.reason if isinstance(a, NoPrice) else (a.amount, a.contract.pk, a.source.pk) for a in answers]
    assert got == expected
    assert [e if isinstance(e, str) else e[0] for e in expected] == [
        Decimal("30.00"), Decimal("33.00"), NoPrice.FORM_NOT_OFFERED, Decimal("12.00"), NoPrice.NO_PRICE_ON_DATE,
        NoPrice.CONTRACT_NOT_IN_FORCE, NoPrice.COMPONENT_NOT_IN_CONTRACT, NoPrice.NO_CONTRACT, NoPrice.NO_CONTRACT,
    ]
