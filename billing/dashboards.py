"""The charts of the month-end page, the case file and SKA's overview: selector figures
arranged as tables (rows the templates print) and as chart data (tugi/charts.py).

Each function takes what its page has already scoped (the coordinator's own municipality, a
case the user may see, the user for SKA's invoices); the figures come from ``selectors``."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from cases.models import Case
from tugi.charts import chart, month_label, series
from tugi.money import ZERO
from tugi.workdays import add_months, month_start

from . import selectors

MONTHS = 12


def month_end_charts(*, municipality: Municipality, month: dt.date) -> dict:
    """Fill rate, spend per component and budgets over the 12 months ending with ``month``,
    and the per-person budgets of ``month``."""
    months = selectors.months_ending(month, MONTHS)
    labels = [month_label(m) for m in months]
    agreement = selectors.agreement_for(municipality, month) or municipality.funding_agreements.order_by(
        "-start_date"
    ).first()
    fill = selectors.fill_rate_by_month(agreement=agreement, months=months) if agreement else []
    sums = selectors.component_sums_by_month(municipality=municipality, months=months)
    components = selectors.spend_per_component_by_month(municipality=municipality, months=months, sums=sums)
    budgets = selectors.budget_totals_by_month(municipality=municipality, months=months, sums=sums)
    return {
        "months": months,
        "agreement": agreement,
        "fill_rows": fill,
        "fill_chart": chart("bar", labels, [
            series(_("Participants"), [r["participants"] for r in fill]),
            series(_("Planned places (P)"), [r["planned_places"] for r in fill], kind="line"),
            series(_("Stage I target (0.9 × P)"), [r["target"] for r in fill], kind="line", dashed=True),
        ]) if fill else None,
        "component_rows": components,
        "component_totals": [sum(amounts) for amounts in zip(*(r["amounts"] for r in components), strict=True)]
        if components else [],
        "component_total": sum((r["total"] for r in components), ZERO),
        "component_chart": chart(
            "bar", labels, [series(f'{r["code"]} {r["name"]}', r["amounts"], stack="spend") for r in components],
            money=True, stacked=True,
        ) if components else None,
        "budget_rows": budgets,
        "budget_chart": chart("bar", labels, [
            series(_("Personal budgets"), [r["planned"] for r in budgets]),
            series(_("Actual cost"), [r["actual"] for r in budgets]),
        ], money=True),
        "person_rows": selectors.budgets_planned_vs_actual(municipality=municipality, month=month),
    }


def case_budget_chart(*, case: Case, today: dt.date) -> dict:
    """The person's personal budget against the actual cost, month by month since entry."""
    months = selectors.case_budget_months(case, today=today, count=MONTHS)
    rows = selectors.case_budget_by_month(case=case, months=months)
    return {
        "rows": rows,
        "chart": chart("bar", [month_label(r["month"]) for r in rows], [
            series(_("Personal budget"), [r["planned"] for r in rows]),
            series(_("Actual cost"), [r["actual"] for r in rows]),
        ], money=True) if rows else None,
    }


def spend_by_municipality_chart(*, user, today: dt.date) -> dict:
    """Invoiced totals per municipality over the 12 months before this one (aggregates only)."""
    months = selectors.months_ending(add_months(month_start(today), -1), MONTHS)
    rows = selectors.spend_per_municipality_by_month(user=user, months=months)
    return {
        "months": months,
        "rows": rows,
        "totals": [sum(amounts) for amounts in zip(*(r["amounts"] for r in rows), strict=True)] if rows else [],
        "total": sum((r["total"] for r in rows), ZERO),
        "chart": chart(
            "line", [month_label(m) for m in months], [series(r["name"], r["amounts"]) for r in rows], money=True
        ) if rows else None,
    }
