"""Data for the dashboard tests: a KOV A world with sessions in March and April 2026, and
invoices as SKA sees them."""

from datetime import date
from decimal import Decimal

from assessments.selectors import qol_instrument
from billing import services
from billing.models import BillingMonth, Invoice
from tests.billing.factories import World, build_world, plan_line
from tests.cases.factories import EnteredCaseFactory
from tests.providers.factories import component


def record(world: World, by, *, case=None, code="L23", on=date(2026, 4, 6), minutes=60):
    return services.record_deliveries(
        drafts=[world.draft(case=case or world.case, component=component(code), date=on, minutes=minutes)], by=by
    )[0]


def dashboard_world(kov, by) -> World:
    """``build_world`` (two persons entered 10.01.2026, each with L23 10 h × 30 € and B1 10 h × 49 €
    a month; P = 10 from 01.01.2026) plus:

    - sessions: March  L23 60 min (30,00) and B1 90 min (73,50) of the first person;
      April  L23 120 min (60,00) of the second and L23 30 min (15,00) of the first;
    - a third person entered 15.03.2026 who exited 10.04.2026 (no plan);
    - a fourth entered 10.01.2026 who exited 28.02.2026 (no plan).
    """
    world = build_world(kov)
    record(world, by, on=date(2026, 3, 2), minutes=60)
    record(world, by, code="B1", on=date(2026, 3, 3), minutes=90)
    record(world, by, case=world.other_case, on=date(2026, 4, 6), minutes=120)
    record(world, by, on=date(2026, 4, 7), minutes=30)
    EnteredCaseFactory(municipality=kov, entry_date=date(2026, 3, 15), exit_date=date(2026, 4, 10), state="exited")
    EnteredCaseFactory(municipality=kov, entry_date=date(2026, 1, 10), exit_date=date(2026, 2, 28), state="exited")
    return world


def more_persons(world: World, by, count: int) -> None:
    """``count`` more persons with a plan and an April session each (for query counts)."""
    for _ in range(count):
        case = EnteredCaseFactory(municipality=world.kov)
        plan_line(case, world.provider, "L23")
        record(world, by, case=case, on=date(2026, 4, 8), minutes=60)


def invoice(kov, month: date, total: str, state=Invoice.State.SUBMITTED, version=1) -> Invoice:
    billing_month, _ = BillingMonth.objects.get_or_create(municipality=kov, month=month, defaults={"state": "closed"})
    amount = Decimal(total)
    made = Invoice.objects.create(
        billing_month=billing_month, municipality=kov, month=month, version=version,
        number=f"{kov.code}-{month:%Y%m}-{version}", due_date=date(month.year, month.month, 28), state=state,
        case_management_fee=Decimal("0.00"), components_total=amount, adjustments_total=Decimal("0.00"), total=amount,
    )
    services.store_contract_totals(made)  # what the close stores beside its lines
    return made


def qol_answers(value_of_item) -> dict[int, int]:
    """Answers to every question of the current quality-of-life questionnaire: the level whose
    value is ``value_of_item(i)`` for the i-th question (in question order)."""
    instrument = qol_instrument()
    items = instrument.items.order_by("order", "code")
    return {item.pk: instrument.levels.get(value=value_of_item(i)).pk for i, item in enumerate(items)}
