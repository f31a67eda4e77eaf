"""The assessments and plans section of the case file page (cases/case_detail.html includes
``assessments/_case_section.html``, which loads its data here)."""

from django import template
from django.utils import timezone

from assessments import selectors
from assessments.models import PlanStatus, QolRespondent
from tugi.charts import chart, series
from tugi.workdays import add_months, month_end, month_start

register = template.Library()


@register.simple_tag
def plan_summary(case) -> dict:
    today = timezone.localdate()
    plan = selectors.current_plan(case)
    return {
        "assessment": selectors.latest_assessment(case),
        "draft_assessment": case.assessments.filter(status="draft").first(),
        "base_link": selectors.base_link_on(case, today)
        or case.base_provider_links.filter(valid_from__gt=today).select_related("provider").first(),
        "plan": plan,
        "agreed": plan if plan is not None and not plan.is_draft else None,
        "draft": case.plans.filter(status=PlanStatus.DRAFT).order_by("-version").first(),
        "this_month": selectors.planned_cost(case=case, month=today),
        "next_month": selectors.planned_cost(case=case, month=add_months(today, 1)),
        "next_month_date": add_months(today, 1),
        "price_warnings": selectors.budget_price_warnings(
            case=case, start=month_start(today), until=month_end(add_months(today, 1))
        ),
    }


@register.simple_tag
def qol_change_chart(case) -> dict:
    """The quality-of-life ratings per question across the case's surveys, as table and chart."""
    change = selectors.qol_change(case=case)
    columns = [f"{s.get_respondent_display()}, {s.get_occasion_display()} ({s.answered_on:%d.%m.%Y})" for s in change.surveys]
    datasets = [
        series(label, [values[i] for _, values in change.rows], dashed=survey.respondent == QolRespondent.SPECIALIST)
        for i, (label, survey) in enumerate(zip(columns, change.surveys, strict=True))
    ]
    return {
        "columns": columns,
        "rows": change.rows,
        "chart": chart(
            "bar", [name for name, _ in change.rows], datasets, horizontal=True, y_max=change.scale_max
        ) if change.surveys else None,
        # Room for every question's label (up to three lines on a phone) beside its bars.
        "height": 120 + len(change.rows) * max(64, 14 * len(change.surveys)),
    }
