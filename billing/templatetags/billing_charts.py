"""Chart data for pages of other apps that show billing figures: the case file's budget chart
(cases/case_detail.html includes ``billing/_case_budget.html``) and SKA's overview
(reporting/home.html includes ``billing/_spend_by_municipality.html``)."""

from django import template
from django.utils import timezone

from billing import dashboards

register = template.Library()


@register.simple_tag
def case_budget_chart(case) -> dict:
    """``case`` has already been scoped by the case file's view."""
    return dashboards.case_budget_chart(case=case, today=timezone.localdate())


@register.simple_tag
def spend_by_municipality_chart(user) -> dict:
    return dashboards.spend_by_municipality_chart(user=user, today=timezone.localdate())
