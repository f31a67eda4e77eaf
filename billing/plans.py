"""Every use billing makes of plans (the assessments app), in one place.

Attendance is checked against the plan lines in force on the delivery date, the
week grid lists a provider's plan lines, and the month-end page compares the
personal budget with the actual cost."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet

from assessments.models import BaseProviderLink, Plan, PlanLine
from assessments.selectors import (
    line_days,
    plan_lines_in_month,
    plan_lines_on,
    planned_cost,
    planned_costs,
    planned_totals,
)
from cases.models import Case
from components.models import Component
from tugi.workdays import month_end, month_start

__all__ = [
    "covering_line", "is_planning_by_base_provider", "lines_for", "off_plan_days", "planned_budget",
    "planned_budget_totals", "planned_budgets", "planned_component_ids", "planned_hours", "planned_hours_of_provider",
    "provider_lines", "provider_lines_of_municipality",
]

#: Base-support components that the linked base-support provider delivers while the first plan
#: is being made (pilot conditions: the plan is made during base support, within 30 days of the
#: assessment); until the first agreed plan starts they count as on plan.
PLANNING_COMPONENTS = ("B1", "B3")


def covering_line(*, case: Case, day: date, component_id: int, provider_id: int) -> PlanLine | None:
    """The plan line in force on ``day`` that buys this component from this provider, if any."""
    return (
        plan_lines_on(case=case, day=day)
        .filter(component_id=component_id, provider_id=provider_id)
        .order_by("-valid_from")
        .first()
    )


def lines_for(*, case: Case, day: date, component_id: int, provider_id: int) -> list[PlanLine]:
    """Every plan line in force on ``day`` that buys this component from this provider."""
    return list(plan_lines_on(case=case, day=day).filter(component_id=component_id, provider_id=provider_id))


def planned_hours(*, case: Case, month: date, component_id: int, provider_id: int, form: str) -> Fraction:
    """Hours the plan buys of this component from this provider in this form in ``month``, each
    line in proportion to the days of the month it is in force. Exact (a fraction), so that the
    set-based check in SQL compares the same number."""
    lines = plan_lines_in_month(case=case, month=month).filter(
        component_id=component_id, provider_id=provider_id, form=form
    )
    return _hours(lines, month)


def _hours(lines, month: date) -> Fraction:
    """The hours a month of ``lines``, each in proportion to the days of ``month`` it is in force."""
    days = month_end(month).day
    return sum(
        (Fraction(line.monthly_quantity) * Fraction(line_days(line, month), days) for line in lines), Fraction(0)
    )


def planned_hours_of_provider(*, provider_id: int, case_ids, month: date) -> dict[tuple[int, int, str], Fraction]:
    """:func:`planned_hours` of many persons at once, keyed by (case id, component id, form): the
    hours the plans buy from this provider in ``month``. One query."""
    lines = (
        PlanLine.objects.filter(plan__case_id__in=case_ids, provider_id=provider_id)
        .in_force_between(month_start(month), month_end(month))
        .select_related("plan")
    )
    groups: dict[tuple[int, int, str], list[PlanLine]] = {}
    for line in lines:
        groups.setdefault((line.plan.case_id, line.component_id, line.form), []).append(line)
    return {key: _hours(group, month) for key, group in groups.items()}


def planned_component_ids(*, case_id: int, provider_id: int | None, start: date, end: date) -> set[int]:
    """The components the person's agreed plan buys (from ``provider_id``, or from anyone when None)
    at some time in start..end: the session form offers them first."""
    lines = PlanLine.objects.filter(plan__case_id=case_id).in_force_between(start, end)
    if provider_id is not None:
        lines = lines.filter(provider_id=provider_id)
    return set(lines.values_list("component_id", flat=True))


def is_planning_by_base_provider(*, case: Case, day: date, component: Component, provider_id: int) -> bool:
    """Base-support planning (B1, B3) by the person's linked base-support provider from the link
    date until the first agreed plan starts: on plan, though no plan line buys it yet."""
    if component.code not in PLANNING_COMPONENTS:
        return False
    linked = BaseProviderLink.objects.in_force_on(day).filter(case=case, provider_id=provider_id)
    planned = Plan.objects.in_force_between(date.min, day).filter(case=case)  # a plan has started by then
    return linked.exists() and not planned.exists()


def off_plan_days(*, case: Case, month: date, component: Component, provider_id: int) -> set[date]:
    """The days of ``month`` on which a session of this component from this provider is not on
    plan: no plan line buying it is in force (in any form) and it is not base-support planning
    (:func:`lines_for` and :func:`is_planning_by_base_provider` say the same for one day)."""
    first, last = month_start(month), month_end(month)
    days = {first + timedelta(days=n) for n in range(last.day)}
    lines = plan_lines_in_month(case=case, month=first).filter(component_id=component.pk, provider_id=provider_id)
    for line in lines:
        days -= _days(max(first, line.valid_from, line.plan.valid_from), _earliest(last, line.valid_to, line.plan.valid_to))
    if component.code in PLANNING_COMPONENTS:
        started = Plan.objects.in_force_between(date.min, last).filter(case=case).order_by("valid_from").first()
        for link in BaseProviderLink.objects.in_force_between(first, last).filter(case=case, provider_id=provider_id):
            until = _earliest(link.valid_to, started.valid_from - timedelta(days=1) if started else None)
            days -= _days(max(first, link.valid_from), _earliest(last, until))
    return days


def _earliest(*ends: date | None) -> date:
    return min((d for d in ends if d is not None), default=date.max)


def _days(start: date, end: date) -> set[date]:
    """start..end, both included (both within one month)."""
    if end < start:
        return set()
    return {start + timedelta(days=n) for n in range((end - start).days + 1)}


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
        PlanLine.objects.in_force_between(start, end)
        .select_related("plan__case__person", "plan__case__municipality", "component")
        .order_by("plan__case__person__last_name", "plan__case__person__first_name", "component__order")
    )
