"""Factories of the billing app, and one small world most billing tests start from."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import factory

from assessments.models import Plan, PlanLine, PlanStatus
from billing.models import FundingAgreement, InterimEvaluation
from billing.rules import Draft
from tests.cases.factories import EnteredCaseFactory
from tests.providers.factories import (
    ContractFactory,
    ContractPriceFactory,
    SpecialistFactory,
    component,
)


class FundingAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingAgreement

    number = factory.Sequence(lambda n: f"SKA-{n}")
    start_date = date(2026, 1, 1)
    planned_places = 10
    monthly_fee = Decimal("5000.00")
    maximum_amount = Decimal("500000.00")
    street_address = "Keskväljak 1"
    postal_code = "61234"
    city = "Alfa"
    iban = "EE382200221020145685"
    contact_name = "Kati Alfa"
    contact_email = "kati@alfa.invalid"


class InterimEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterimEvaluation

    agreement = factory.SubFactory(FundingAgreementFactory)
    date = date(2026, 4, 30)
    participants = 8


def plan_line(case, provider, code="L23", *, form="I", hours="10", start=date(2026, 1, 10), price="30.00"):
    plan = Plan.objects.filter(case=case).first() or Plan.objects.create(
        case=case, version=1, valid_from=start, status=PlanStatus.AGREED, agreed_on=start,
        made_by=case.case_manager,
    )
    return PlanLine.objects.create(
        plan=plan, component=component(code), provider=provider, form=form,
        monthly_quantity=Decimal(hours), valid_from=start, unit_price=Decimal(price),
    )


@dataclass
class World:
    kov: object
    provider: object
    contract: object
    specialist: object
    case: object
    other_case: object
    agreement: object

    def draft(self, **overrides) -> Draft:
        values = {
            "municipality": self.kov, "case": self.case, "component": component("L23"),
            "provider": self.provider, "specialist": self.specialist, "date": date(2026, 4, 6),
            "minutes": 60, "form": "I",
        }
        values.update(overrides)
        return Draft(**values)


def build_world(kov, provider_user=None, case_manager=None) -> World:
    """KOV ``kov`` with a provider (the provider_user's, if given) whose contract prices B1 at
    49 €/h and L23 at 30 €/h (group 12 €/h); a specialist; two entered cases with a plan line
    of 10 h a month of L23 (and B1); a funding agreement from 01.01.2026 (P = 10, F = 5000 €)."""
    if provider_user is not None:
        provider = provider_user.provider
        contract = provider.contracts.get(municipality=kov)
        specialist = SpecialistFactory(provider=provider, name="Pille Pakkuja", user=provider_user)
    else:
        contract = ContractFactory(municipality=kov)
        provider = contract.provider
        specialist = SpecialistFactory(provider=provider, name="Pille Pakkuja")
    contract.prices.all().delete()
    ContractPriceFactory(contract=contract, component=component("L23"))
    ContractPriceFactory(
        contract=contract, component=component("B1"), unit_price_individual=Decimal("49.00"),
        unit_price_group=None,
    )
    extra = {"case_manager": case_manager} if case_manager else {}
    case = EnteredCaseFactory(municipality=kov, **extra)
    other = EnteredCaseFactory(municipality=kov, **extra)
    for c in (case, other):
        plan_line(c, provider, "L23")
        plan_line(c, provider, "B1", price="49.00")
    agreement = FundingAgreementFactory(municipality=kov)
    return World(kov, provider, contract, specialist, case, other, agreement)
