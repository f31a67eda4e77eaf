"""Reading billing data for a user, already scoped (accounts.permissions) and with joins chosen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from accounts.models import KOV_ROLES, Municipality, Role
from accounts.permissions import has_role, scope
from cases.models import Case
from providers.models import Contract
from tugi.money import ZERO
from tugi.workdays import month_end, month_start

from . import plans
from .models import (
    LOCKED_STATES,
    Adjustment,
    BillingMonth,
    Delivery,
    FundingAgreement,
    Invoice,
    Status,
)

WARN_SHARE = Decimal("0.90")


def deliveries_for(user) -> QuerySet[Delivery]:
    """KOV staff: their municipality's deliveries; provider specialists: their provider's only;
    SKA and administrators see invoices and reports, not attendance rows of case files."""
    qs = Delivery.objects.select_related("case__person", "component", "provider", "specialist")
    if has_role(user, Role.PROVIDER):
        return qs.filter(provider_id=user.provider_id)
    return scope(qs, user, roles=KOV_ROLES)


def cases_for_attendance(user) -> QuerySet[Case]:
    """Whose attendance a user may record: KOV staff their KOV's entered cases; providers the
    cases with a plan line at their provider (ever)."""
    qs = Case.objects.filter(entry_date__isnull=False).select_related("person", "municipality")
    if has_role(user, Role.PROVIDER):
        lines = plans.provider_lines(provider_id=user.provider_id, start=dt.date.min, end=dt.date.max)
        return qs.filter(pk__in=lines.values("plan__case_id"))
    return scope(qs, user, roles=KOV_ROLES)


def invoices_for(user) -> QuerySet[Invoice]:
    """Coordinators: their municipality's invoices. SKA: every submitted (and reviewed) version."""
    qs = Invoice.objects.select_related("municipality", "closed_by", "reviewed_by")
    if has_role(user, Role.SKA):
        return qs.exclude(state__in=[Invoice.State.CLOSED, Invoice.State.WITHDRAWN])
    return scope(qs, user, roles=[Role.COORDINATOR, Role.ADMIN])


def month_deliveries(municipality: Municipality, month: dt.date) -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        municipality=municipality, date__gte=month_start(month), date__lte=month_end(month)
    ).select_related("case__person", "component", "provider", "specialist")


def month_state(municipality: Municipality, month: dt.date) -> BillingMonth | None:
    return BillingMonth.objects.filter(municipality=municipality, month=month_start(month)).first()


def problem_deliveries(municipality: Municipality, month: dt.date) -> QuerySet[Delivery]:
    return month_deliveries(municipality, month).filter(
        status__in=[Status.ERROR, Status.WARNING, Status.ACCEPTED]
    ).order_by("status", "date", "pk")


def totals_by_component(municipality: Municipality, month: dt.date):
    return (
        month_deliveries(municipality, month)
        .values("component__code", "component__name", "component__order")
        .annotate(sessions=Count("pk"), minutes=Sum("minutes"), amount=Sum("amount"))
        .order_by("component__order", "component__code")
    )


def totals_by_provider(municipality: Municipality, month: dt.date):
    return (
        month_deliveries(municipality, month)
        .values("provider__name")
        .annotate(sessions=Count("pk"), minutes=Sum("minutes"), amount=Sum("amount"))
        .order_by("provider__name")
    )


def actual_by_case(municipality: Municipality, month: dt.date):
    return (
        month_deliveries(municipality, month)
        .values("case_id", "case__number", "case__person__first_name", "case__person__last_name")
        .annotate(minutes=Sum("minutes"), amount=Sum("amount"))
        .order_by("case__person__last_name", "case__person__first_name")
    )


def with_budget(rows, month: dt.date) -> list[dict]:
    """Add the personal budget to one page of :func:`actual_by_case` rows."""
    cases = Case.objects.in_bulk([r["case_id"] for r in rows])
    out = []
    for row in rows:
        planned = plans.planned_budget(case=cases[row["case_id"]], month=month)
        out.append({**row, "planned": planned, "over": (row["amount"] or ZERO) > planned})
    return out


# --- Maximum amounts


def _usage(total: Decimal, maximum: Decimal) -> dict:
    share = (total / maximum) if maximum else Decimal(0)
    return {
        "used": total,
        "maximum": maximum,
        "remaining": maximum - total,
        "percent": (share * 100).quantize(Decimal("0.1")),
        "warning": share >= WARN_SHARE,
    }


def funding_usage(agreement: FundingAgreement) -> dict:
    """Invoiced so far under the agreement (live invoice versions) against its maximum."""
    total = Invoice.objects.filter(
        municipality_id=agreement.municipality_id, month__gte=month_start(agreement.start_date)
    ).exclude(state__in=[Invoice.State.RETURNED, Invoice.State.WITHDRAWN]).aggregate(s=Sum("total"))["s"] or ZERO
    return _usage(total, agreement.maximum_amount)


def contract_invoiced(contract: Contract) -> Decimal:
    """Delivery lines under the contract in closed months, plus their later adjustments."""
    locked_months = BillingMonth.objects.filter(
        municipality_id=contract.municipality_id, state__in=LOCKED_STATES
    ).values("month")
    delivered = (
        Delivery.objects.filter(contract=contract)
        .annotate(billing_month=TruncMonth("date"))
        .filter(billing_month__in=locked_months)
        .aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    adjusted = Adjustment.objects.filter(
        delivery__contract=contract, month__in=locked_months
    ).aggregate(s=Sum("amount"))["s"] or ZERO
    return delivered + adjusted


def contract_usages(municipality: Municipality) -> list[dict]:
    contracts = Contract.objects.filter(municipality=municipality).select_related("provider").order_by("-end")
    return [{"contract": c, **_usage(contract_invoiced(c), c.maximum_amount)} for c in contracts]


# --- The coordinator's dashboard: fill rate and the stage I target


def agreement_for(municipality: Municipality, month: dt.date) -> FundingAgreement | None:
    first, last = month_start(month), month_end(month)
    return (
        FundingAgreement.objects.filter(municipality=municipality, start_date__lte=last)
        .exclude(end_date__lt=first)
        .order_by("-start_date")
        .first()
    )



def participants_on(municipality: Municipality, day: dt.date) -> int:
    return Case.objects.filter(municipality=municipality, entry_date__lte=day).filter(
        Q(exit_date__isnull=True) | Q(exit_date__gte=day)
    ).count()


def funding_dashboard(municipality: Municipality, *, today: dt.date) -> dict | None:
    agreement = agreement_for(municipality, today) or FundingAgreement.objects.filter(
        municipality=municipality
    ).order_by("-start_date").first()
    if agreement is None:
        return None
    now = participants_on(municipality, today)
    stage_end = agreement.stage_one_end
    entered_by_stage_end = Case.objects.filter(
        municipality=municipality, entry_date__gte=agreement.start_date, entry_date__lte=stage_end
    ).count()
    target = agreement.target_participants
    latest = agreement.evaluations.order_by("-date").first()
    return {
        "agreement": agreement,
        "participants": now,
        "fill_rate": (Decimal(now) * 100 / agreement.planned_places).quantize(Decimal("0.1")),
        "stage_one_end": stage_end,
        "in_stage_one": today <= stage_end,
        "entered_in_stage_one": entered_by_stage_end,
        "target": target,
        "target_met": entered_by_stage_end >= target,
        "latest_evaluation": latest,
        "usage": funding_usage(agreement),
    }
