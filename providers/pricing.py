"""The one answer to “what does component C from provider P cost in KOV K on day D?”.

Prices come only from the contract between K and P. The KOV's default price list
is NOT a fallback: it pre-fills new contract prices, so every euro invoiced can
be traced to a price row of a signed contract (a missing price is an error to
fix, never a silent default)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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
    if form not in (Form.INDIVIDUAL, Form.GROUP):
        raise ValueError(f"form must be 'I' or 'G', not {form!r}")
    if component.is_retired_on(on):
        raise NoPrice(NoPrice.COMPONENT_RETIRED)
    if not component.offers(form):
        raise NoPrice(NoPrice.FORM_NOT_OFFERED)
    contracts = Contract.objects.filter(municipality=municipality, provider=provider)
    if not contracts.exists():
        raise NoPrice(NoPrice.NO_CONTRACT)
    in_force = contracts.in_force_on(on)
    if not in_force.exists():
        raise NoPrice(NoPrice.CONTRACT_NOT_IN_FORCE)
    prices = ContractPrice.objects.filter(contract__in=in_force, component=component)
    if not prices.exists():
        raise NoPrice(NoPrice.COMPONENT_NOT_IN_CONTRACT)
    valid = (
        prices.filter(valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .select_related("contract")
        .order_by("-contract__start", "-valid_from")
        .first()
    )
    if valid is None:
        raise NoPrice(NoPrice.NO_PRICE_ON_DATE)
    amount = valid.price(form)
    if amount is None:
        raise NoPrice(NoPrice.FORM_NOT_OFFERED)
    return Price(amount=amount, form=form, contract=valid.contract, source=valid)
