"""Forms of the report pages: filtering the job list and requesting a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.forms import Form, MonthField

from .models import ReportJob

__all__ = ["JobFilterForm", "MonthField", "ReportRequestForm"]


class JobFilterForm(Form):
    kind = forms.ChoiceField(label=_("Report"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ReportJob.Status.choices],
    )
    month = MonthField(label=_("Month"), required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All reports"))] + [
            (kind.code, kind.label) for kind in kinds
        ]

    def filter(self, jobs):
        if not self.is_valid():
            return jobs
        data = self.cleaned_data
        if data["kind"]:
            jobs = jobs.filter(kind=data["kind"])
        if data["status"]:
            jobs = jobs.filter(status=data["status"])
        if data["month"]:
            jobs = jobs.filter(month=data["month"])
        return jobs


class ReportRequestForm(Form):
    kind = forms.ChoiceField(label=_("Report"))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,
        required=False,
        help_text=_("Needed for a municipality's monthly report."),
    )
    month = MonthField(
        label=_("Month"), required=False, help_text=_("Needed for a monthly report; YYYY-MM.")
    )

    def __init__(self, *args, kinds=(), municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Documents about one record are requested from that record's page.
        self.kinds = {kind.code: kind for kind in kinds if kind.scope != "subject"}
        self.fields["kind"].choices = [(code, kind.label) for code, kind in self.kinds.items()]
        self.fields["municipality"].queryset = municipalities

    def clean(self):
        data = super().clean()
        kind = self.kinds.get(data.get("kind"))
        if kind and kind.scope == "municipality_month":
            if not data.get("municipality"):
                self.add_error("municipality", _("Choose the municipality of this report."))
            if not data.get("month") and "month" not in self.errors:
                self.add_error("month", _("Choose the month of this report."))
        if kind and kind.scope == "month":
            data["municipality"] = None
            if not data.get("month") and "month" not in self.errors:
                self.add_error("month", _("Choose the month of this report."))
        if kind and kind.scope == "global":
            data["municipality"] = data["month"] = None
        return data
