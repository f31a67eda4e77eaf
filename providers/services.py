"""Changing providers, contracts and prices. Every rule is here once; views, the demo
and the admin's future imports all call these functions."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from components.models import Component
from tugi.errors import DomainError

from .models import Contract, ContractPrice, Provider, Qualification, Specialist
from .signals import prices_changed


class ProviderError(DomainError):
    """A change to a provider, contract or price was refused; ``message`` says why,
    ``errors`` (when set) maps form fields to messages."""

    def __init__(self, message, *, errors: dict | None = None):
        super().__init__(message)
        self.errors = errors or {}


def _save(obj, *, exclude=None):
    """full_clean then save; turn validation and database refusals into ProviderError."""
    try:
        obj.full_clean(exclude=exclude)
        obj.save()
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        first = next(iter(errors.values()))[0]
        raise ProviderError(first, errors=errors) from exc
    except IntegrityError as exc:
        raise ProviderError(
            _("The change conflicts with existing data and was not saved.")
        ) from exc
    return obj


@transaction.atomic
def save_provider(*, provider: Provider, added_by: Municipality | None = None) -> Provider:
    if provider.pk is None and added_by is not None:
        provider.added_by = added_by
    return _save(provider)


@transaction.atomic
def add_specialist(
    *,
    provider: Provider,
    name: str,
    qualification: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Specialist:
    specialist = _save(Specialist(provider=provider, name=name))
    if qualification:
        _save(
            Qualification(
                specialist=specialist, name=qualification, valid_from=valid_from, valid_to=valid_to
            )
        )
    return specialist


@transaction.atomic
def create_contract(
    *,
    municipality: Municipality,
    provider: Provider,
    number: str,
    start: date,
    end: date,
    maximum_amount: Decimal,
    procurement_reference: str = "",
) -> Contract:
    contract = Contract(
        municipality=municipality,
        provider=provider,
        number=number,
        start=start,
        end=end,
        maximum_amount=maximum_amount,
        procurement_reference=procurement_reference,
    )
    return _save(contract)


@transaction.atomic
def update_contract(
    *,
    contract: Contract,
    number: str,
    start: date,
    end: date,
    maximum_amount: Decimal,
    procurement_reference: str = "",
) -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    contract.number, contract.start, contract.end = number, start, end
    contract.maximum_amount, contract.procurement_reference = maximum_amount, procurement_reference
    outside = contract.prices.filter(valid_from__lt=start) | contract.prices.filter(
        valid_to__gt=end
    )
    if outside.exists() or contract.prices.filter(valid_from__gt=end).exists():
        raise ProviderError(
            _("Some prices lie outside the new contract period; change them first.")
        )
    before = Contract.objects.get(pk=contract.pk)
    contract = _save(contract)
    contract.repriced = _prices_changed(
        contract, component_id=None, start=min(before.start, start), end=max(before.end, end)
    )
    return contract


@transaction.atomic
def add_price(
    *,
    contract: Contract,
    component: Component,
    valid_from: date,
    valid_to: date | None = None,
    unit_price_individual: Decimal | None = None,
    unit_price_group: Decimal | None = None,
) -> ContractPrice:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if component.is_retired_on(valid_from):
        raise ProviderError(_("This component is retired and cannot be given new prices."))
    price = ContractPrice(
        contract=contract,
        component=component,
        valid_from=valid_from,
        valid_to=valid_to,
        unit_price_individual=unit_price_individual,
        unit_price_group=unit_price_group,
    )
    price = _save(price)
    price.repriced = _prices_changed(contract, component_id=component.pk, start=valid_from, end=valid_to)
    return price


@transaction.atomic
def change_price_from(
    *,
    price: ContractPrice,
    from_date: date,
    unit_price_individual: Decimal | None = None,
    unit_price_group: Decimal | None = None,
) -> ContractPrice:
    """Close ``price`` the day before ``from_date`` and open a new price from that day to
    the old price's end. Deliveries before ``from_date`` keep the old price."""
    Contract.objects.select_for_update().get(pk=price.contract_id)
    price = ContractPrice.objects.select_for_update().get(pk=price.pk)
    if from_date <= price.valid_from:
        raise ProviderError(
            _("The new price must start after the current one (%(date)s).")
            % {"date": f"{price.valid_from:%d.%m.%Y}"},
            errors={"from_date": [_("Choose a later date.")]},
        )
    if price.valid_to is not None and from_date > price.valid_to:
        raise ProviderError(
            _("The current price ends on %(date)s; add a new price instead.")
            % {"date": f"{price.valid_to:%d.%m.%Y}"},
            errors={"from_date": [_("Choose a date within the current price's period.")]},
        )
    old_end = price.valid_to
    price.valid_to = from_date - timedelta(days=1)
    _save(price)
    new = ContractPrice(
        contract=price.contract,
        component=price.component,
        valid_from=from_date,
        valid_to=old_end,
        unit_price_individual=unit_price_individual,
        unit_price_group=unit_price_group,
    )
    new = _save(new)
    new.repriced = _prices_changed(price.contract, component_id=price.component_id, start=from_date, end=old_end)
    return new


def _prices_changed(contract: Contract, *, component_id: int | None, start: date, end: date | None) -> list:
    """Tell billing (it re-prices the recorded deliveries of open months in this transaction);
    returns its answers (``billing.services.Repriced``) for the page to show."""
    responses = prices_changed.send(
        sender=Contract, municipality_id=contract.municipality_id, provider_id=contract.provider_id,
        component_id=component_id, start=start, end=end,
    )
    return [answer for _receiver, answer in responses if answer is not None]
