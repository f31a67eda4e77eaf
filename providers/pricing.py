"""The one answer to “what does component C from provider P cost in KOV K on day D?”.

Prices come only from the contract between K and P. The KOV's default price list
is NOT a fallback: it pre-fills new contract prices, so every euro invoiced can
be traced to a price row of a signed contract (a missing price is an error to
fix, never a silent default)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from components.models import Component, Form

from .models import Contract, ContractPrice, Provider


class NoPrice(Exception):
    """There is no price; ``reason`` is one of the constants below, ``message`` says why."""

    NO_CONTRACT = "no_contract"
    CONTRACT_NOT_IN_FORCE = "contract_not_in_force"
    COMPONENT_NOT_IN_CONTRACT = "component_not_in_contract"
    NO_PRICE_ON_DATE = "no_price_on_date"
    FORM_NOT_OFFERED = "form_not_offered"
    COMPONENT_RETIRED = "component_retired"

    MESSAGES = {
        NO_CONTRACT: _("The municipality has no contract with this provider."),
        CONTRACT_NOT_IN_FORCE: _("No contract with this provider is in force on this date."),
        COMPONENT_NOT_IN_CONTRACT: _("The contract does not cover this component."),
        NO_PRICE_ON_DATE: _("The contract has no price for this component on this date."),
        FORM_NOT_OFFERED: _("This component is not priced for this form (individual or group)."),
        COMPONENT_RETIRED: _("This component was retired before this date."),
    }

    def __init__(self, reason: str):
        self.reason = reason
        self.message = self.MESSAGES[reason]
        super().__init__(str(self.message))


@dataclass(frozen=True)
class Price:
    """A unit price and where it comes from."""

    amount: Decimal
    form: str
    contract: Contract
    source: ContractPrice

    def __str__(self) -> str:
        return str(self.amount)


def price_for(
    *, municipality: Municipality, provider: Provider, component: Component, on: date, form: str
) -> Price:
    """The unit price (per participant for group work) valid on ``on``, or :class:`NoPrice`."""
    found = prices_for([PriceRequest(municipality.pk, provider.pk, component, on, form)])[0]
    if isinstance(found, NoPrice):
        raise found
    return found


@dataclass(frozen=True)
class PriceRequest:
    """One question for :func:`prices_for`: component ``component`` from provider
    ``provider_id`` in municipality ``municipality_id`` on ``on``, in form ``form``."""

    municipality_id: int
    provider_id: int
    component: Component
    on: date
    form: str


def prices_for(requests: Sequence[PriceRequest]) -> list[Price | NoPrice]:
    """Each request's price, or the :class:`NoPrice` that says why there is none, in the order
    asked; two queries however many (a page pricing each of its rows asks once). The rule, in
    order: the component retired, the form not offered, no contract between the municipality and
    the provider, none in force on the day, the component in none of those in force, no price
    of it valid on the day; else the latest contract's latest price valid on the day."""
    for request in requests:
        if request.form not in (Form.INDIVIDUAL, Form.GROUP):
            raise ValueError(f"form must be 'I' or 'G', not {request.form!r}")
    asked = [r for r in requests if not r.component.is_retired_on(r.on) and r.component.offers(r.form)]
    contracts: dict[tuple[int, int], list[Contract]] = defaultdict(list)
    prices: dict[tuple[int, int], list[ContractPrice]] = defaultdict(list)  # (contract, component)
    if asked:
        pairs = Q()
        for municipality_id, provider_id in {(r.municipality_id, r.provider_id) for r in asked}:
            pairs |= Q(municipality_id=municipality_id, provider_id=provider_id)
        for contract in Contract.objects.filter(pairs).order_by():
            contracts[contract.municipality_id, contract.provider_id].append(contract)
        loaded = {contract.pk: contract for found in contracts.values() for contract in found}
        for price in ContractPrice.objects.filter(
            contract_id__in=loaded, component_id__in={r.component.pk for r in asked}
        ).order_by():
            price.contract = loaded[price.contract_id]
            prices[price.contract_id, price.component_id].append(price)
    return [_price_of(request, contracts, prices) for request in requests]


def _price_of(request: PriceRequest, contracts, prices) -> Price | NoPrice:
    component, on, form = request.component, request.on, request.form
    if component.is_retired_on(on):
        return NoPrice(NoPrice.COMPONENT_RETIRED)
    if not component.offers(form):
        return NoPrice(NoPrice.FORM_NOT_OFFERED)
    with_provider = contracts[request.municipality_id, request.provider_id]
    if not with_provider:
        return NoPrice(NoPrice.NO_CONTRACT)
    in_force = [contract for contract in with_provider if contract.covers(on)]
    if not in_force:
        return NoPrice(NoPrice.CONTRACT_NOT_IN_FORCE)
    covering = [price for contract in in_force for price in prices[contract.pk, component.pk]]
    if not covering:
        return NoPrice(NoPrice.COMPONENT_NOT_IN_CONTRACT)
    valid = [price for price in covering if price.is_valid_on(on)]
    if not valid:
        return NoPrice(NoPrice.NO_PRICE_ON_DATE)
    chosen = max(valid, key=lambda price: (price.contract.start, price.valid_from))
    amount = chosen.price(form)
    if amount is None:
        return NoPrice(NoPrice.FORM_NOT_OFFERED)
    return Price(amount=amount, form=form, contract=chosen.contract, source=chosen)
