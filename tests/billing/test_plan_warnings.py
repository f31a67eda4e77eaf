"""One "beyond plan" and one "not on plan" warning per plan line and month, not per session;
several warnings are accepted at once with one reason; a re-check does not multiply them."""

from datetime import date

import pytest

from billing import imports, services
from billing.models import Delivery, Status
from tests.billing.factories import build_world


@pytest.fixture
def world(kov_a):
    return build_world(kov_a)


def beyond(qs=None):
    qs = qs if qs is not None else Delivery.objects.all()
    return [d for d in qs.order_by("pk") if any(p["code"] == "beyond_plan" for p in d.problems)]


def nine_sessions(world, by):
    """9 × 90 min = 13,5 h of L23 against the plan's 10 h: the 7th session goes past it."""
    return services.record_deliveries(
        drafts=[world.draft(date=date(2026, 4, day), minutes=90) for day in (1, 2, 3, 6, 7, 8, 9, 10, 13)], by=by
    )


def test_nine_sessions_past_the_plan_carry_one_warning_naming_the_months_hours(world, coordinator_a):
    recorded = nine_sessions(world, coordinator_a)
    warned = beyond()
    assert [d.pk for d in warned] == [recorded[6].pk]
    assert warned[0].problems[0]["message"] == (
        "13,50 h of L23 (I) in 04.2026 is more than the plan's 10,00 h for the days it is in force."
    )
    assert Delivery.objects.filter(status=Status.WARNING).count() == 1


def test_a_recheck_does_not_multiply_the_warning_and_keeps_it_accepted(world, coordinator_a):
    nine_sessions(world, coordinator_a)
    services.recheck_month(municipality=world.kov, month=date(2026, 4, 1))
    warned = beyond()
    assert len(warned) == 1
    assert warned[0].problems[0]["message"].startswith("13,50 h of L23")
    services.accept_warning(delivery=warned[0], reason="Plaan muutub mais", by=coordinator_a)
    services.recheck_month(municipality=world.kov, month=date(2026, 4, 1))
    assert Delivery.objects.filter(status=Status.ACCEPTED).count() == 1
    assert Delivery.objects.filter(status=Status.WARNING).count() == 0


def test_more_hours_after_an_acceptance_reopen_the_months_warning(world, coordinator_a):
    nine_sessions(world, coordinator_a)
    services.recheck_month(municipality=world.kov, month=date(2026, 4, 1))
    services.accept_warning(delivery=beyond()[0], reason="Plaan muutub mais", by=coordinator_a)
    services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 14), minutes=120)], by=coordinator_a)
    warned = beyond()
    assert len(warned) == 1
    assert warned[0].status == Status.WARNING
    assert warned[0].problems[0]["message"].startswith("15,50 h of L23")


def test_deleting_the_session_that_went_past_the_plan_moves_the_warning(world, coordinator_a):
    recorded = nine_sessions(world, coordinator_a)
    services.delete_delivery(delivery=recorded[6], by=coordinator_a)
    assert [d.pk for d in beyond()] == [recorded[7].pk]


def test_several_warnings_are_accepted_at_once_with_one_reason(client, world, coordinator_a):
    first = services.record_deliveries(drafts=[
        world.draft(case=world.case, date=date(2026, 4, 1), minutes=480),
        world.draft(case=world.case, date=date(2026, 4, 2), minutes=180),
        world.draft(case=world.other_case, date=date(2026, 4, 1), minutes=480),
        world.draft(case=world.other_case, date=date(2026, 4, 2), minutes=180),
    ], by=coordinator_a)
    warned = beyond()
    assert [d.pk for d in warned] == [first[1].pk, first[3].pk]
    client.force_login(coordinator_a)
    response = client.post("/billing/warnings/accept/", {
        "month": "2026-04", "delivery": [d.pk for d in warned], "reason": "Mai plaan suurendab tunde",
    })
    assert response.status_code == 302
    accepted = Delivery.objects.filter(status=Status.ACCEPTED)
    assert sorted(accepted.values_list("pk", flat=True)) == [first[1].pk, first[3].pk]
    assert set(accepted.values_list("accepted_reason", flat=True)) == {"Mai plaan suurendab tunde"}


def test_accepting_without_a_reason_accepts_nothing(client, world, coordinator_a):
    services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 1), minutes=480),
                                       world.draft(date=date(2026, 4, 2), minutes=180)], by=coordinator_a)
    client.force_login(coordinator_a)
    client.post("/billing/warnings/accept/", {"month": "2026-04", "delivery": [d.pk for d in beyond()], "reason": " "})
    assert not Delivery.objects.filter(status=Status.ACCEPTED).exists()


# --- Not on plan: L01 is on nobody's plan in the world.


def not_on_plan(qs=None):
    qs = qs if qs is not None else Delivery.objects.all()
    return [d for d in qs.order_by("pk") if any(p["code"] == "not_on_plan" for p in d.problems)]


def four_off_plan_sessions(world, by):
    from tests.providers.factories import ContractPriceFactory, component

    ContractPriceFactory(contract=world.contract, component=component("L01"))
    return services.record_deliveries(
        drafts=[world.draft(component=component("L01"), date=date(2026, 4, day), minutes=45) for day in (1, 2, 7, 8)],
        by=by,
    )


def test_a_months_sessions_on_no_plan_carry_one_warning_naming_the_months_hours(world, coordinator_a):
    recorded = four_off_plan_sessions(world, coordinator_a)
    warned = not_on_plan()
    assert [d.pk for d in warned] == [recorded[0].pk]
    assert warned[0].problems == [{"code": "not_on_plan", "level": "warning", "message": (
        "3,00 h of L01 (I) in 04.2026 is not on the person's plan from this provider (the first session on 01.04.2026)."
    )}]
    assert Delivery.objects.filter(status=Status.WARNING).count() == 1
    # The re-check (a set, in SQL) keeps the one warning word for word, and with it an acceptance.
    services.accept_warning(delivery=warned[0], reason="Plaan tehakse mais", by=coordinator_a)
    services.recheck_month(municipality=world.kov, month=date(2026, 4, 1))
    assert [(d.pk, d.status) for d in not_on_plan()] == [(recorded[0].pk, Status.ACCEPTED)]
    assert Delivery.objects.filter(status=Status.WARNING).count() == 0


def test_more_sessions_on_no_plan_reopen_the_accepted_warning_by_every_way_in(world, coordinator_a):
    from tests.providers.factories import component

    recorded = four_off_plan_sessions(world, coordinator_a)
    services.accept_warning(delivery=not_on_plan()[0], reason="Plaan tehakse mais", by=coordinator_a)
    content = "\n".join([
        "isikukood;kuupaev;komponent;teenuseosutaja;minutid;vorm;spetsialist;saaja",
        f"{world.case.person.isikukood};09.04.2026;L01;{world.provider.registry_code};60;I;Pille Pakkuja;",
    ]).encode()
    imports.import_attendance(content=content, filename="a.csv", municipality=world.kov, by=coordinator_a)
    warned = not_on_plan()
    assert [(d.pk, d.status) for d in warned] == [(recorded[0].pk, Status.WARNING)]
    assert warned[0].problems[0]["message"].startswith("4,00 h of L01 (I) in 04.2026 is not on")
    # Deleting the session holding it moves it to the next one, naming the hours left.
    services.delete_delivery(delivery=recorded[0], by=coordinator_a)
    warned = not_on_plan()
    assert [d.pk for d in warned] == [recorded[1].pk]
    assert warned[0].problems[0]["message"] == (
        "3,25 h of L01 (I) in 04.2026 is not on the person's plan from this provider (the first session on 02.04.2026)."
    )
    assert not_on_plan(Delivery.objects.filter(component=component("L01"), case=world.other_case)) == []


def test_the_not_on_plan_warnings_of_several_lines_are_accepted_at_once(client, world, coordinator_a):
    from tests.providers.factories import ContractPriceFactory, component

    ContractPriceFactory(contract=world.contract, component=component("L01"))
    services.record_deliveries(drafts=[
        world.draft(case=c, component=component("L01"), date=date(2026, 4, day), minutes=60)
        for c in (world.case, world.other_case) for day in (1, 2, 3)
    ], by=coordinator_a)
    warned = not_on_plan()
    assert len(warned) == 2  # one per person, not six
    client.force_login(coordinator_a)
    client.post("/billing/warnings/accept/", {
        "month": "2026-04", "delivery": [d.pk for d in warned], "reason": "Plaan tehakse mais",
    })
    assert Delivery.objects.filter(status=Status.ACCEPTED).count() == 2
    assert Delivery.objects.filter(status=Status.WARNING).count() == 0


def test_deleting_in_the_admin_moves_the_warning_too(client, world, coordinator_a, admin_user):
    recorded = four_off_plan_sessions(world, coordinator_a)
    client.force_login(admin_user)
    client.post(f"/admin/billing/delivery/{recorded[0].pk}/delete/", {"post": "yes"})
    assert not Delivery.objects.filter(pk=recorded[0].pk).exists()
    warned = not_on_plan()
    assert [d.pk for d in warned] == [recorded[1].pk]
    assert warned[0].problems[0]["message"].startswith("2,25 h komponenti L01 (I) kuus 04.2026")  # the admin speaks et
    # Several at once (the list's delete action): the rest go, and no warning is left behind.
    client.post("/admin/billing/delivery/", {"action": "delete_selected", "post": "yes",
                                             "_selected_action": [d.pk for d in recorded[1:]]})
    assert not Delivery.objects.exists()
