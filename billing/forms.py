"""Forms of the billing app: labelled, with Estonian help texts. The values of a delivery are
read by :mod:`billing.rules` (the ``read_*`` functions), so a form refuses a bad value with the
same message as the import."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.permissions import visible_municipalities
from components.models import Component
from providers.models import Provider, Specialist
from tugi.forms import Form as TugiForm
from tugi.forms import ModelForm as TugiModelForm

from . import rules
from .models import DeliveryForm as Form
from .models import FundingAgreement, InterimEvaluation


class MinutesField(forms.IntegerField):
    """Whole minutes, 1 … one working day, refused with the catalogue's message."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"min": 1, "max": rules.MAX_MINUTES, "inputmode": "numeric"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return rules.read_minutes(value)
        except rules.RowError as error:
            raise ValidationError(error.problem.message, code=error.problem.code) from None


class RuleDateField(forms.DateField):
    """A date in the forms the project reads (31.12.2026, 31.12.26, 2026-12-31); anything else
    refused with the catalogue's message (an impossible day says so), as the import does."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            try:
                rules.read_date(value)
            except rules.RowError as error:
                raise ValidationError(error.problem.message, code=error.problem.code) from None
            raise  # pragma: no cover - read_date accepts only what DateField accepts


class RuleTimeField(forms.TimeField):
    """A time of day (09:30, 09.30); anything else refused with the catalogue's message."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            problem = rules.problem("time_invalid", value=str(value).strip())
            raise ValidationError(problem.message, code=problem.code) from None


class RuleTextField(forms.CharField):
    """Free text of a delivery: a NUL character or too many characters refused with the
    catalogue's message (Django's own checks are left out so that the message is the same)."""

    def __init__(self, *, rule_name: str, **kwargs):
        self.rule_name = rule_name
        super().__init__(required=False, **kwargs)
        self.validators = []
        self.widget.attrs["maxlength"] = rules.TEXT_LIMITS[rule_name]

    def to_python(self, value):
        try:
            return rules.read_text(self.rule_name, value)
        except rules.RowError as error:
            raise ValidationError(error.problem.message, code=error.problem.code) from None


class DeliveryEntryForm(TugiForm):
    case = forms.ModelChoiceField(queryset=None, label=_("Person"))
    component = forms.ModelChoiceField(queryset=Component.objects.all(), label=_("Component"))
    provider = forms.ModelChoiceField(queryset=Provider.objects.all(), label=_("Provider"))
    specialist = forms.ModelChoiceField(
        queryset=Specialist.objects.select_related("provider"), label=_("Specialist"),
        help_text=_("Who delivered the session and signs the attendance sheet."),
    )
    date = RuleDateField(label=_("Date"))
    start_time = RuleTimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Needed to catch overlapping sessions of one specialist."),
    )
    minutes = MinutesField(label=_("Duration (min)"))
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices, initial=Form.INDIVIDUAL)
    participants = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Other participants of the group"),
        help_text=_("For a group session: everyone else who took part; each is billed the group price."),
    )
    recipient_name = RuleTextField(
        rule_name="recipient_name", label=_("Recipient"),
        help_text=_("Leave empty when the person themself received it; else the relative's name."),
    )
    note = RuleTextField(rule_name="note", label=_("Note"))

    def __init__(self, *args, cases, user, planned_components=frozenset(), regroup_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["participants"].queryset = cases
        if regroup_url:
            # Choosing another person fetches the form for them and swaps in its component list,
            # so that person's plan components come first (htmx; without it the list stays whole).
            self.fields["case"].widget.attrs.update({
                "hx-get": regroup_url, "hx-trigger": "change", "hx-include": "[name=case],[name=component]",
                "hx-select": "#div_id_component", "hx-target": "#div_id_component", "hx-swap": "outerHTML",
            })
        if planned_components:
            # The person's plan components first; any other stays possible (the rule catalogue
            # warns of a session that is not on the plan).
            every = list(self.fields["component"].queryset)
            self.fields["component"].choices = [
                ("", "---------"),
                (_("In the plan"), [(c.pk, str(c)) for c in every if c.pk in planned_components]),
                (_("Other"), [(c.pk, str(c)) for c in every if c.pk not in planned_components]),
            ]
        if user.provider_id:
            self.fields["provider"].queryset = Provider.objects.filter(pk=user.provider_id)
            self.fields["provider"].initial = user.provider_id
            self.fields["specialist"].queryset = Specialist.objects.filter(provider_id=user.provider_id)
            specialist = Specialist.objects.filter(user=user).first()
            if specialist:
                self.fields["specialist"].initial = specialist.pk
        else:
            contracted = Provider.objects.filter(contracts__municipality_id=user.municipality_id).distinct()
            self.fields["provider"].queryset = contracted
            self.fields["specialist"].queryset = Specialist.objects.filter(
                provider__in=contracted
            ).select_related("provider")

    def clean(self):
        data = super().clean()
        if data.get("form") == Form.INDIVIDUAL and data.get("participants"):
            self.add_error("participants", _("An individual session has no other participants."))
        return data


class DeliveryEditForm(TugiForm):
    date = RuleDateField(label=_("Date"))
    start_time = RuleTimeField(label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = MinutesField(label=_("Duration (min)"))
    recipient_name = RuleTextField(rule_name="recipient_name", label=_("Recipient"))
    note = RuleTextField(rule_name="note", label=_("Note"))


class WeekGridForm(TugiForm):
    """The provider's week grid: one minutes field per plan line and day, only where the line is
    in force and the person participates on that day (nowhere else can a session be entered)."""

    def __init__(self, *args, lines, days: list[dt.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines, self.days = list(lines), days
        for line in self.lines:
            for day in days:
                if self.is_open(line, day):
                    self.fields[self.cell_name(line, day)] = MinutesField(required=False, label=_("Duration (min)"))

    @staticmethod
    def cell_name(line, day: dt.date) -> str:
        return f"c-{line.pk}-{day.isoformat()}"

    @staticmethod
    def is_open(line, day: dt.date) -> bool:
        return line.is_in_force_on(day) and line.plan.case.participates_on(day)

    def cells(self) -> list[tuple[str, object, dt.date, int]]:
        """(field name, plan line, day, minutes) of every filled-in cell."""
        return [
            (self.cell_name(line, day), line, day, self.cleaned_data[self.cell_name(line, day)])
            for line in self.lines for day in self.days
            if self.cell_name(line, day) in self.fields and self.cleaned_data.get(self.cell_name(line, day))
        ]

    def drafts(self, *, provider, specialist) -> tuple[list[str], list[rules.Draft]]:
        names, drafts = [], []
        for name, line, day, minutes in self.cells():
            case = line.plan.case
            names.append(name)
            drafts.append(rules.Draft(
                municipality=case.municipality, case=case, component=line.component, provider=provider,
                specialist=specialist, date=day, minutes=minutes, form=line.form,
            ))
        return names, drafts

    def rows(self, recorded: dict) -> list[dict]:
        """The grid for the template: per line, per day the field (None where closed) and what
        is already recorded."""
        return [
            {"line": line, "cells": [
                {"day": day, "field": self[self.cell_name(line, day)] if self.cell_name(line, day) in self.fields
                 else None, "recorded": recorded.get((line.plan.case_id, line.component_id, day), 0)}
                for day in self.days
            ]}
            for line in self.lines
        ]


class ImportForm(TugiForm):
    municipality = forms.ModelChoiceField(queryset=None, label=_("Municipality"))
    file = forms.FileField(
        label=_("Attendance file"),
        help_text=_("XLSX or CSV (UTF-8, separated by ; or ,) with the template's column names."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = visible_municipalities(user)
        if user.municipality_id:
            self.fields["municipality"].initial = user.municipality_id
            self.fields["municipality"].widget = forms.HiddenInput()


class AcceptForm(TugiForm):
    reason = forms.CharField(
        label=_("Reason for accepting"), max_length=300,
        help_text=_("Why the delivery is billed despite the warning, e.g. the plan is being changed."),
    )


class CorrectionForm(TugiForm):
    new_minutes = forms.IntegerField(
        label=_("Correct minutes"), min_value=0, help_text=_("0 if the session did not take place.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReviewForm(TugiForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return with remarks"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to accept or return the invoice.")},
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning: what must the municipality correct?"),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("remarks", "").strip():
            self.add_error("remarks", _("Write the remarks: what must the municipality correct?"))
        return data


class FundingAgreementForm(TugiModelForm):
    """The coordinator keeps the KOV's funding agreement with SKA and its invoicing details."""

    class Meta:
        model = FundingAgreement
        fields = [
            "number", "start_date", "end_date", "planned_places", "monthly_fee", "maximum_amount",
            "street_address", "postal_code", "city", "iban", "reference_number",
            "contact_name", "contact_email", "contact_phone",
        ]

    def clean_iban(self):
        return "".join(self.cleaned_data["iban"].split()).upper()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned


class InterimEvaluationForm(TugiModelForm):
    class Meta:
        model = InterimEvaluation
        fields = ["date", "participants", "decided_fee", "note"]
