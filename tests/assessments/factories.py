"""Factories and builders of the assessments app.

The instruments come from the data migration; builders go through the services so
the tests exercise the same rules the pages do."""

from datetime import date
from decimal import Decimal

from accounts.models import Role
from assessments import selectors, services
from assessments.models import InstrumentKind
from tests.factories import UserFactory
from tests.providers.factories import (
    ContractFactory,
    ContractPriceFactory,
    ProviderFactory,
    component,
)


def _contract(municipality, provider, period):
    if period:
        return ContractFactory(municipality=municipality, provider=provider, start=period[0], end=period[1])
    return ContractFactory(municipality=municipality, provider=provider)


def base_provider_for(municipality, *, name="MTÜ Baastugi", prices=None, period=None):
    """A base-support provider with a contract with ``municipality`` (2026 unless ``period``) and its prices."""
    provider = ProviderFactory(name=name, offers_base_support=True)
    contract = _contract(municipality, provider, period)
    for code, individual, group in prices or [
        ("B1", "49.00", None), ("B2", "42.00", None), ("L01", "32.00", None), ("L23", "30.00", "12.00"),
    ]:
        ContractPriceFactory(
            contract=contract, component=component(code),
            unit_price_individual=Decimal(individual) if individual else None,
            unit_price_group=Decimal(group) if group else None,
        )
    return provider


def additional_provider_for(municipality, *, name="OÜ Lisatugi", prices=None, period=None):
    provider = ProviderFactory(name=name)
    contract = _contract(municipality, provider, period)
    for code, individual, group in prices or [("L13", "35.00", "10.00"), ("L14", "45.00", "15.00")]:
        ContractPriceFactory(
            contract=contract, component=component(code),
            unit_price_individual=Decimal(individual) if individual else None,
            unit_price_group=Decimal(group) if group else None,
        )
    return provider


def specialist_of(provider, username="baas_spets"):
    return UserFactory(username=username, role=Role.PROVIDER, municipality=None, provider=provider)


def assess(case, *, by, on=date(2026, 1, 20), level=2, summary="Vajab toetust mitmes valdkonnas."):
    """Start and finish an assessment with the same level in every domain."""
    assessment = services.start_assessment(case=case, on=on, by=by)
    levels = {lv.value: lv.pk for lv in assessment.instrument.levels.all()}
    services.save_assessment(
        assessment=assessment, assessed_on=on, background=assessment.background, summary=summary,
        ready_to_cooperate=True,
        answers=[
            services.AnswerInput(item_id=a.item_id, level_id=levels[level], notes="", sources=["person"])
            for a in assessment.answers.all()
        ],
    )
    return services.finish_assessment(assessment=assessment)


def link(case, provider, *, by, on=date(2026, 1, 21)):
    return services.link_base_provider(
        case=case, provider=provider, on=on, choice_explained=True, notes="", by=by
    )


def draft_plan(case, *, by, valid_from=date(2026, 2, 1), goal="Tuleb igapäevaeluga toime"):
    plan = services.start_plan(case=case, kind="action", valid_from=valid_from, by=by)
    domain = plan.assessment.instrument.items.get(code="daily_living")
    services.add_goal(plan=plan, domain=domain, text=goal)
    return plan


def needs_instrument():
    return selectors.current_instrument(InstrumentKind.NEEDS)
