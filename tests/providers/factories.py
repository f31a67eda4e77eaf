"""Factories of the providers app (registry codes are fictional with a valid check digit)."""

from datetime import date
from decimal import Decimal

import factory
from stdnum.ee import registrikood

from components.models import Component
from providers.models import (
    Contract,
    ContractPrice,
    DefaultPrice,
    Provider,
    ProviderType,
    Specialist,
)
from tests.factories import MunicipalityFactory


def registry_code(n: int) -> str:
    base = f"{8100000 + n:07d}"
    return base + registrikood.calc_check_digit(base)


def component(code: str) -> Component:
    """Components come from the data migration; tests look them up by code."""
    return Component.objects.get(code=code)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("registry_code",)

    name = factory.Sequence(lambda n: f"MTÜ Testtugi {n}")
    registry_code = factory.Sequence(registry_code)
    type = ProviderType.NGO
    offers_additional_support = True


class SpecialistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialist

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Spetsialist {n}")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    municipality = factory.SubFactory(MunicipalityFactory)
    provider = factory.SubFactory(ProviderFactory)
    number = factory.Sequence(lambda n: f"L-{n}")
    start = date(2026, 1, 1)
    end = date(2026, 12, 31)
    maximum_amount = Decimal("50000.00")


class ContractPriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractPrice

    contract = factory.SubFactory(ContractFactory)
    component = factory.LazyFunction(lambda: component("L23"))
    unit_price_individual = Decimal("30.00")
    unit_price_group = Decimal("12.00")
    valid_from = factory.SelfAttribute("contract.start")
    valid_to = None


class DefaultPriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DefaultPrice

    municipality = factory.SubFactory(MunicipalityFactory)
    component = factory.LazyFunction(lambda: component("B1"))
    unit_price_individual = Decimal("49.00")
    valid_from = date(2026, 1, 1)
