"""Who may record for whom: a provider's specialist reaches, by every way in, only persons their
provider serves (a base-support link or a plan line with the provider in force that month).
Anyone else gets one neutral message that tells nothing about the person."""

from datetime import date

import pytest
import time_machine

from accounts.permissions import deliverable_cases_for
from assessments.models import BaseProviderLink, PlanLine
from billing import services
from billing.models import Delivery
from tests.billing.factories import build_world, plan_line
from tests.cases.factories import EnteredCaseFactory
from tests.providers.factories import ProviderFactory

APRIL = {"start": date(2026, 4, 1), "end": date(2026, 4, 30)}


@pytest.fixture
def world(kov_a, provider_user):
    return build_world(kov_a, provider_user=provider_user)


@pytest.fixture
def stranger(world):
    """A participant of the same KOV whose plan buys from another provider only."""
    case = EnteredCaseFactory(municipality=world.kov)
    plan_line(case, ProviderFactory(), "L23")
    return case


def test_a_specialist_reaches_the_persons_their_provider_serves_that_month(world, provider_user, stranger):
    reached = set(deliverable_cases_for(provider_user, **APRIL).values_list("pk", flat=True))
    assert reached == {world.case.pk, world.other_case.pk}


def test_a_plan_line_that_ended_before_the_month_no_longer_reaches(world, provider_user):
    PlanLine.objects.filter(plan__case=world.other_case).update(valid_to=date(2026, 3, 31))
    reached = set(deliverable_cases_for(provider_user, **APRIL).values_list("pk", flat=True))
    assert reached == {world.case.pk}


def test_a_base_support_link_reaches_before_any_plan(world, provider_user, coordinator_a):
    newcomer = EnteredCaseFactory(municipality=world.kov, entry_date=date(2026, 4, 1))
    BaseProviderLink.objects.create(case=newcomer, provider=world.provider, valid_from=date(2026, 4, 1),
                                    choice_explained=True, linked_by=coordinator_a)
    assert deliverable_cases_for(provider_user, **APRIL).filter(pk=newcomer.pk).exists()
    assert not deliverable_cases_for(provider_user, start=date(2026, 3, 1), end=date(2026, 3, 31)).filter(
        pk=newcomer.pk
    ).exists()


def test_kov_staff_reach_their_own_municipalitys_persons_and_nobody_else_any(
    world, stranger, coordinator_a, case_manager_b, ska_user
):
    assert deliverable_cases_for(coordinator_a, **APRIL).filter(pk=stranger.pk).exists()
    assert not deliverable_cases_for(case_manager_b, **APRIL).exists()
    assert not deliverable_cases_for(ska_user, **APRIL).exists()


def test_a_specialist_recording_for_a_person_not_served_gets_the_neutral_message_and_nothing_is_written(
    world, provider_user, stranger
):
    with pytest.raises(services.BillingError) as refused:
        services.record_deliveries(drafts=[world.draft(case=stranger)], by=provider_user)
    assert refused.value.messages == [
        f"You cannot record deliveries for the person with the code {stranger.person.isikukood}."
    ]
    assert not Delivery.objects.exists()


def test_the_same_neutral_message_whether_the_person_left_the_programme_or_is_served_elsewhere(
    world, provider_user, stranger
):
    """A person the provider served until March: the April session is refused with the very words
    a stranger gets, not with “not a participant” (which would give away the exit date)."""
    PlanLine.objects.filter(plan__case=world.other_case).update(valid_to=date(2026, 3, 31))
    messages = []
    for case in (world.other_case, stranger):
        with pytest.raises(services.BillingError) as refused:
            services.record_deliveries(drafts=[world.draft(case=case)], by=provider_user)
        messages.append(refused.value.messages[0].replace(case.person.isikukood, "CODE"))
    assert messages[0] == messages[1]


def test_the_session_form_offers_only_the_persons_served(client, world, provider_user, stranger):
    client.force_login(provider_user)
    with time_machine.travel(date(2026, 4, 20)):
        form = client.get("/billing/deliveries/add/").context["form"]
    offered = set(form.fields["case"].queryset.values_list("pk", flat=True))
    assert stranger.pk not in offered and world.case.pk in offered
