"""Answers of the assessments app to the cases app's signals."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case

from .models import BaseProviderLink, Plan, PlanLine, PlanStatus
from .services import AssessmentError


def end_plan_at_exit(sender, *, case: Case, exit_date: date, **kwargs) -> None:
    """Exit ends the agreed plan, its lines (and so the personal budget and its price
    warnings) and the base-support link on the exit date. Drafts stay as they were: the
    closed case file lets nobody agree them any more."""
    later = Plan.objects.filter(case=case, status=PlanStatus.AGREED, valid_from__gt=exit_date).first()
    if later is not None:
        raise AssessmentError(
            _("An agreed plan version starts after the exit date, on %(date)s. Exit on or after that date.")
            % {"date": date_format(later.valid_from, "SHORT_DATE_FORMAT")},
            field="exit_date",
        )
    running = Q(valid_to__isnull=True) | Q(valid_to__gt=exit_date)
    for plan in Plan.objects.select_for_update().filter(running, case=case, status=PlanStatus.AGREED):
        plan.valid_to = exit_date
        plan.save(update_fields=["valid_to"])
    lines = PlanLine.objects.select_for_update().filter(
        running, plan__case=case, plan__status=PlanStatus.AGREED, valid_from__lte=exit_date
    )
    for line in lines:
        line.valid_to = exit_date
        line.save(update_fields=["valid_to"])
    links = BaseProviderLink.objects.select_for_update().filter(running, case=case, valid_from__lte=exit_date)
    for link in links:
        link.valid_to = exit_date
        link.save(update_fields=["valid_to"])
