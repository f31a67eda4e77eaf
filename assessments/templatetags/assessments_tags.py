"""The assessments and plans section of the case file page (cases/case_detail.html includes
``assessments/_case_section.html``, which loads its data here)."""

from django import template
from django.utils import timezone

from assessments import selectors
from tugi.workdays import add_months

register = template.Library()


@register.simple_tag
def plan_summary(case) -> dict:
    today = timezone.localdate()
    return {
        "assessment": selectors.latest_assessment(case),
        "draft_assessment": case.assessments.filter(status="draft").first(),
        "base_link": selectors.base_link_on(case, today)
        or case.base_provider_links.filter(valid_from__gt=today).select_related("provider").first(),
        "plan": selectors.current_plan(case),
        "this_month": selectors.planned_cost(case=case, month=today),
        "next_month": selectors.planned_cost(case=case, month=add_months(today, 1)),
        "next_month_date": add_months(today, 1),
    }
