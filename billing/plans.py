"""Every use billing makes of plans (the assessments app), in one place.

Attendance is checked against the plan lines in force on the delivery date, the
week grid lists a provider's plan lines, and the month-end page compares the
personal budget with the actual cost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from assessments.models import PlanLine, PlanStatus
from assessments.selectors import plan_lines_on, planned_cost, planned_costs, planned_totals
from cases.models import Case

__all__ = [
    "covering_line", "planned_budget", "planned_budget_totals", "planned_budgets", "provider_lines",
    "provider_lines_of_municipality",
]


def covering_line(*, case: Case, day: date, component_id: int, provider_id: int) -> PlanLine | None:
    """The plan line in force on ``day`` that buys this component from this provider, if any."""
    return (
        plan_lines_on(case=case, day=day)
        .filter(component_id=component_id, provider_id=provider_id)
        .order_by("-valid_from")
        .first()
    )


def planned_budget(*, case: Case, month: date) -> Decimal:
    """The personal budget (*isikustatud eelarve*) of the month."""
    return planned_cost(case=case, month=month)


def planned_budgets(*, cases: QuerySet[Case], months: list[date]) -> dict[tuple[int, date], Decimal]:
    """The personal budgets of many persons and months, keyed by (case id, month), in one query."""
    return planned_costs(cases=cases, months=months)


def planned_budget_totals(*, cases: QuerySet[Case], months: list[date]) -> dict[date, Decimal]:
    """The personal budgets of many persons summed per month, in one query."""
    return planned_totals(cases=cases, months=months)


def provider_lines(*, provider_id: int, start: date, end: date, case_ids=None) -> QuerySet[PlanLine]:
    """Lines of agreed plans buying from this provider in force at some time in start..end."""
    qs = _lines_in_force(start, end).filter(provider_id=provider_id)
    if case_ids is not None:
        qs = qs.filter(plan__case_id__in=case_ids)
    return qs


def provider_lines_of_municipality(*, municipality_id: int, start: date, end: date) -> QuerySet[PlanLine]:
    """Lines of agreed plans of the municipality's cases in force at some time in start..end."""
    return _lines_in_force(start, end).filter(plan__case__municipality_id=municipality_id).select_related("provider")


def _lines_in_force(start: date, end: date) -> QuerySet[PlanLine]:
    return (
        PlanLine.objects.filter(
            plan__status=PlanStatus.AGREED,
            valid_from__lte=end,
            plan__valid_from__lte=end,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .filter(Q(plan__valid_to__isnull=True) | Q(plan__valid_to__gte=start))
        .select_related("plan__case__person", "plan__case__municipality", "component")
        .order_by("plan__case__person__last_name", "plan__case__person__first_name", "component__order")
    )
