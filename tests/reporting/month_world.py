"""A closed month of KOV A for the report tests: April 2026, two persons, two components,
deliveries whose per-line rounding matters (20 minutes of B1 at 49 €/h is 16.33 €)."""

from dataclasses import dataclass
from datetime import date, time

from billing import services
from billing.models import Invoice
from tests.billing.factories import build_world
from tests.cases.factories import PersonFactory
from tests.providers.factories import component

MONTH = date(2026, 4, 1)
CLOSED_ON = date(2026, 5, 4)


@dataclass
class ClosedMonth:
    world: object
    invoice: Invoice


def record_month(world, by) -> None:
    world.case.person = PersonFactory(first_name="Õie", last_name="Ärmpalu")
    world.case.person.save()
    world.case.save(update_fields=["person"])
    world.other_case.person = PersonFactory(first_name="Šarlota", last_name="Zõbrova")
    world.other_case.save(update_fields=["person"])
    drafts = [
        world.draft(
            component=component("B1"), minutes=20, date=date(2026, 4, 6), start_time=time(9, 0)
        ),
        world.draft(
            component=component("B1"), minutes=20, date=date(2026, 4, 7), start_time=time(9, 0)
        ),
        world.draft(
            component=component("L23"), minutes=45, date=date(2026, 4, 8), start_time=time(10, 0)
        ),
        world.draft(
            case=world.other_case,
            component=component("L23"),
            minutes=50,
            date=date(2026, 4, 9),
            start_time=time(11, 0),
        ),
        world.draft(
            case=world.other_case,
            component=component("B1"),
            minutes=35,
            date=date(2026, 4, 10),
            start_time=time(12, 0),
        ),
    ]
    services.record_deliveries(drafts=drafts, by=by)


def close(world, by, capture) -> Invoice:
    """Close the month and run what its commit starts (the reports, in-process)."""
    with capture(execute=True):
        return services.close_month(municipality=world.kov, month=MONTH, by=by, today=CLOSED_ON)


def closed_month(kov, by, capture, **world_kwargs) -> ClosedMonth:
    world = build_world(kov, **world_kwargs)
    record_month(world, by)
    return ClosedMonth(world, close(world, by, capture))
