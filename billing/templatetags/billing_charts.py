"""Chart data for the case file's budget chart (cases/case_detail.html includes
``billing/_case_budget.html``). SKA's overview gathers its chart in its view."""

from django import template
from django.utils import timezone

from billing import dashboards

register = template.Library()


@register.simple_tag
def case_budget_chart(case) -> dict:
    """``case`` has already been scoped by the case file's view."""
    return dashboards.case_budget_chart(case=case, today=timezone.localdate())
