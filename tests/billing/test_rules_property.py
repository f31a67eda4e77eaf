"""The rule catalogue gives one verdict whichever way a row comes in: generated rows go through
:func:`billing.rules.check` one by one (as the form and the grid send them, earlier rows pending)
and through :func:`billing.rules.check_staged` as a set (as the import and the re-check do), and
every line gets the same problems with the same messages."""

import uuid
from datetime import date, time

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import BaseProviderLink, PlanLine
from billing import rules, services
from billing.models import BillingMonth, Delivery, MonthState
from providers.models import Qualification
from tests.billing.factories import build_world
from tests.cases.factories import EnteredCaseFactory
from tests.providers.factories import SpecialistFactory, component

DAYS = [date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 6), date(2026, 4, 10), date(2026, 4, 11),
        date(2026, 4, 16), date(2026, 4, 30), date(2026, 5, 4)]
SESSION = uuid.UUID("00000000-0000-0000-0000-000000000001")


@pytest.fixture
def scene(kov_a, kov_b, coordinator_a):
    """Every rule has a way to fire: a closed March, a person who left on 10.04, a newcomer linked
    to the provider with no plan yet (B1 planning), a line that ends mid-month, a component
    needing a qualification, a specialist of another provider, a component without a price,
    a person of another municipality, and sessions already recorded."""
    world = build_world(kov_a)
    BillingMonth.objects.create(municipality=kov_a, month=date(2026, 3, 1), state=MonthState.CLOSED)
    PlanLine.objects.filter(plan__case=world.other_case, component__code="L23").update(valid_to=date(2026, 4, 14))
    left = EnteredCaseFactory(municipality=kov_a, state="exited", exit_date=date(2026, 4, 10))
    newcomer = EnteredCaseFactory(municipality=kov_a, entry_date=date(2026, 4, 1))
    BaseProviderLink.objects.create(case=newcomer, provider=world.provider, valid_from=date(2026, 4, 1),
                                    choice_explained=True, linked_by=coordinator_a)
    stranger = EnteredCaseFactory(municipality=kov_b)
    b1 = component("B1")
    b1.required_qualification = "Tegevusjuhendaja"
    b1.save()
    Qualification.objects.create(specialist=world.specialist, name="tegevusjuhendaja ", valid_to=date(2026, 4, 20))
    colleague = SpecialistFactory(provider=world.provider, name="Kalle Kolleeg")
    outsider = SpecialistFactory(name="Võõras Välja")
    services.record_deliveries(drafts=[
        world.draft(date=date(2026, 4, 6), start_time=time(10, 0), minutes=60),
        world.draft(date=date(2026, 4, 7), minutes=300),
        world.draft(case=world.other_case, date=date(2026, 4, 2), minutes=240),
    ], by=coordinator_a)
    return {
        "world": world,
        "cases": [world.case, world.other_case, left, newcomer, stranger],
        "components": [component("L23"), b1, component("L01")],
        "specialists": [world.specialist, colleague, outsider],
    }


row = st.fixed_dictionaries({
    "case": st.integers(0, 4),
    "component": st.integers(0, 2),
    "specialist": st.integers(0, 2),
    "date": st.sampled_from(DAYS),
    "start_time": st.sampled_from([None, time(10, 0), time(10, 30), time(11, 0)]),
    "minutes": st.sampled_from([0, 30, 60, 120, 300, 480, 481]),
    "form": st.sampled_from(["I", "G", "X"]),
    "recipient_name": st.sampled_from(["", "Ema"]),
    "note": st.sampled_from(["", "x" * 501]),
    "shared_session": st.booleans(),
})


def drafts_of(scene, generated) -> list[rules.Draft]:
    world = scene["world"]
    return [
        rules.Draft(
            municipality=world.kov, case=scene["cases"][r["case"]], component=scene["components"][r["component"]],
            provider=world.provider, specialist=scene["specialists"][r["specialist"]], date=r["date"],
            start_time=r["start_time"], minutes=r["minutes"], form=r["form"], recipient_name=r["recipient_name"],
            note=r["note"], session_key=SESSION if r["shared_session"] else uuid.uuid4(),
        )
        for r in generated
    ]


def staged_verdicts(drafts, municipality_id) -> dict[int, list[rules.Problem]]:
    with transaction.atomic(), connection.cursor() as cursor:
        rules.create_staging_table(cursor, "staged_property")
        for line, d in enumerate(drafts, start=2):
            cursor.execute(
                "INSERT INTO staged_property VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [line, d.case.pk, d.component.pk, d.provider.pk, d.specialist.pk, d.date, d.start_time,
                 d.minutes, d.form, d.recipient_name, d.note, d.session_key],
            )
        try:
            return rules.check_staged(cursor=cursor, table="staged_property", municipality_id=municipality_id)
        finally:
            cursor.execute("DROP TABLE staged_property")


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(generated=st.lists(row, min_size=1, max_size=6))
def test_one_by_one_and_as_a_set_the_rows_get_the_same_verdicts(scene, generated):
    drafts = drafts_of(scene, generated)
    one_by_one = {}
    for index, draft in enumerate(drafts):
        problems = rules.check(draft, pending=drafts[:index]).problems
        if problems:
            one_by_one[index + 2] = problems
    assert staged_verdicts(drafts, scene["world"].kov.pk) == one_by_one


def test_every_rule_of_a_delivery_fires_in_the_scene_both_ways(scene):
    """The scene is rich enough for the property test to mean something: these rows between
    them break every delivery rule, and both ways name the same lines and rules."""
    world = scene["world"]
    cases, components, specialists = scene["cases"], scene["components"], scene["specialists"]
    l23, b1, l01 = components
    drafts = [
        world.draft(case=cases[3], minutes=481),                                 # 2 minutes_invalid
        world.draft(note="x" * 501, date=date(2026, 4, 8)),                      # 3 text_too_long
        world.draft(case=cases[4], date=date(2026, 4, 9)),                       # 4 other_municipality ...
        world.draft(date=date(2026, 3, 31)),                                     # 5 locked
        world.draft(case=cases[2], date=date(2026, 4, 16)),                      # 6 not_participant
        world.draft(specialist=specialists[2], date=date(2026, 4, 10)),          # 7 specialist_other_provider
        world.draft(component=b1, specialist=specialists[1], date=date(2026, 4, 13)),  # 8 not_qualified
        world.draft(form="X", date=date(2026, 4, 14)),                           # 9 form_invalid
        world.draft(component=l01, date=date(2026, 4, 21)),                      # 10 no_price + not_on_plan
        world.draft(date=date(2026, 4, 6), start_time=time(10, 0)),              # 11 already_recorded
        world.draft(date=date(2026, 4, 6), start_time=time(10, 30), minutes=30),  # 12 overlap
        world.draft(form="G", date=date(2026, 4, 20)),                           # 13 form_not_on_plan
        world.draft(case=cases[1], date=date(2026, 4, 3), minutes=60),           # 14 beyond_plan (4,67 h to 14.04)
        world.draft(case=cases[3], component=b1, date=date(2026, 4, 2)),         # 15 B1 planning: on plan
    ]
    expected = {
        2: {"minutes_invalid"}, 3: {"text_too_long"}, 4: {"other_municipality", "not_on_plan"}, 5: {"locked"},
        6: {"not_participant", "not_on_plan"}, 7: {"specialist_other_provider"}, 8: {"not_qualified"},
        9: {"form_invalid"}, 10: {"no_price", "not_on_plan"}, 11: {"already_recorded", "overlap"}, 12: {"overlap"},
        13: {"form_not_on_plan"}, 14: {"beyond_plan"},
    }
    one_by_one = {i + 2: rules.check(d, pending=drafts[:i]).problems for i, d in enumerate(drafts)}
    one_by_one = {line: found for line, found in one_by_one.items() if found}
    assert {line: {p.code for p in found} for line, found in one_by_one.items()} == expected
    assert staged_verdicts(drafts, world.kov.pk) == one_by_one
    beyond = one_by_one[14][0].message
    assert beyond == "5,00 h of L23 (I) in 04.2026 is more than the plan's 4,67 h for the days it is in force."


def test_the_months_recheck_as_a_set_gives_every_session_the_verdict_check_gives_it(scene, coordinator_a):
    world = scene["world"]
    cases, components = scene["cases"], scene["components"]
    services.record_deliveries(drafts=[
        world.draft(case=world.other_case, date=date(2026, 4, 3), minutes=90),
        world.draft(case=world.other_case, date=date(2026, 4, 13), minutes=60),
        world.draft(case=cases[3], component=components[1], date=date(2026, 4, 2), minutes=60),
        world.draft(date=date(2026, 4, 9), minutes=480),
        world.draft(date=date(2026, 4, 10), minutes=120, form="G"),
    ], by=coordinator_a)
    # Facts change after recording: the person leaves on 07.04 and the qualification ends earlier.
    type(world.case).objects.filter(pk=world.case.pk).update(exit_date=date(2026, 4, 7), state="exited")
    world.specialist.qualifications.update(valid_to=date(2026, 4, 1))
    services.recheck_month(municipality=world.kov, month=date(2026, 4, 1))
    recorded = Delivery.objects.filter(date__gte=date(2026, 4, 1), date__lte=date(2026, 4, 30)).order_by("pk")
    assert {p["code"] for d in recorded for p in d.problems} >= {"not_participant", "beyond_plan", "not_qualified"}
    for delivery in recorded:
        assert delivery.problems == [p.as_dict() for p in rules.check(rules.draft_of(delivery)).problems]
