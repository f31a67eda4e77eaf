"""Forms of assessments and plans: labelled, with Estonian help texts; services do the saving."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from components.models import Component, Form
from providers.models import Provider
from tugi.forms import Form as TugiForm

from .models import (
    Assessment,
    InformationSource,
    Plan,
    PlanKind,
    Progress,
    QolOccasion,
    QolRespondent,
    ReviewKind,
)


def date_field(label, *, required=True, help_text="", initial=None) -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, initial=initial)


def _today():
    return timezone.localdate()


class AssessmentForm(TugiForm):
    """The whole assessment on one page: the date, known data, each domain and the summary."""

    assessed_on = date_field(_("Date of assessment"))
    ready_to_cooperate = forms.BooleanField(
        label=_("The person is ready to cooperate"), required=False,
        help_text=_("If not, a support plan aimed at building contact is made instead of an action plan."),
    )
    background = forms.CharField(
        label=_("Known data"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pre-filled from the person's data: disability, work ability, earlier assessments."),
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The overall picture of the person's need for support; needed to finish."),
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "assessed_on": assessment.assessed_on,
                "ready_to_cooperate": assessment.ready_to_cooperate,
                "background": assessment.background,
                "summary": assessment.summary,
            },
        )
        super().__init__(*args, **kwargs)
        self.answers = list(assessment.answers.select_related("item", "level"))
        levels = [(level.pk, f"{level.value} — {level.label}") for level in assessment.instrument.levels.all()]
        for answer in self.answers:
            key = answer.pk
            self.fields[f"level_{key}"] = forms.TypedChoiceField(
                label=_("Level of need"), choices=[("", "—")] + levels, coerce=int, empty_value=None,
                required=False, initial=answer.level_id,
            )
            self.fields[f"notes_{key}"] = forms.CharField(
                label=_("Notes"), required=False, initial=answer.notes,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"sources_{key}"] = forms.MultipleChoiceField(
                label=_("Source of information"), required=False, choices=InformationSource.choices,
                widget=forms.CheckboxSelectMultiple, initial=answer.sources,
            )

    def domains(self):
        return [
            (a, self[f"level_{a.pk}"], self[f"notes_{a.pk}"], self[f"sources_{a.pk}"]) for a in self.answers
        ]

    def mark_missing(self, item_ids) -> None:
        """Mark the level field of each domain whose level of need is missing (finishing refused)."""
        for answer in self.answers:
            if answer.item_id in item_ids:
                self.add_error(
                    f"level_{answer.pk}",
                    _("Choose the level of need in the domain %(domain)s.") % {"domain": answer.item.name},
                )

    def answer_inputs(self):
        from .services import AnswerInput

        return [
            AnswerInput(
                item_id=a.item_id,
                level_id=self.cleaned_data[f"level_{a.pk}"],
                notes=self.cleaned_data[f"notes_{a.pk}"],
                sources=self.cleaned_data[f"sources_{a.pk}"],
            )
            for a in self.answers
        ]


class LinkForm(TugiForm):
    provider = forms.ModelChoiceField(
        label=_("Base-support provider"), queryset=Provider.objects.none(),
        help_text=_("Base-support providers with a contract with the municipality in force."),
    )
    valid_from = date_field(_("From"), initial=_today)
    choice_explained = forms.BooleanField(
        label=_("The providers were presented and the choice was explained to the person"), required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. which providers were presented and why the person chose this one."),
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class PlanStartForm(TugiForm):
    kind = forms.ChoiceField(
        label=_("Kind of plan"), choices=PlanKind.choices,
        help_text=_("A support plan is for a person not yet ready to cooperate: it aims at building contact."),
    )
    valid_from = date_field(_("In force from"), initial=_today)


class PlanTextsForm(TugiForm):
    """Handbook form B: what the person can build on, and what stands in the way."""

    resources = forms.CharField(
        label=_("Resources"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person's strengths and the support of the network to build on."),
    )
    obstacles = forms.CharField(
        label=_("Obstacles"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What hinders reaching the goals."),
    )


class GoalForm(TugiForm):
    domain = forms.ModelChoiceField(label=_("Life domain"), queryset=None)
    text = forms.CharField(
        label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the person wants to achieve in this domain, in their own words if possible."),
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        items = plan.assessment.instrument.items.all() if plan.assessment_id else []
        levels = {}
        if plan.assessment_id:
            levels = {a.item_id: a.level for a in plan.assessment.answers.select_related("level")}
        self.fields["domain"].queryset = items
        self.fields["domain"].label_from_instance = lambda item: (
            f"{item.name} ({levels[item.pk]})" if levels.get(item.pk) else item.name
        )


class SubGoalForm(TugiForm):
    text = forms.CharField(label=_("Sub-goal"), max_length=300)
    measure = forms.CharField(
        label=_("How it is measured"), max_length=300, help_text=_("E.g. goes to the shop alone twice a week.")
    )
    target_date = date_field(_("By"), required=False)


class ActivityForm(TugiForm):
    text = forms.CharField(label=_("Activity"), max_length=300)
    schedule = forms.CharField(label=_("Schedule"), max_length=200, help_text=_("E.g. every Tuesday, 2 hours."))
    responsible = forms.CharField(
        label=_("Responsible"), max_length=200, help_text=_("Who does it: the person, a relative, a provider.")
    )


class LineForm(TugiForm):
    component = forms.ModelChoiceField(label=_("Component"), queryset=Component.objects.none())
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    form = forms.ChoiceField(
        label=_("Form"), choices=[(Form.INDIVIDUAL, _("individual")), (Form.GROUP, _("group"))],
    )
    monthly_quantity = forms.DecimalField(
        label=_("Hours a month"), min_value=0, max_digits=8, decimal_places=2,
        help_text=_("Planned quantity per month, in hours."),
    )
    valid_from = date_field(_("From"))
    valid_to = date_field(_("Until"), required=False, help_text=_("Leave empty if the line runs with the plan."))

    def __init__(self, *args, plan: Plan, providers, line=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = Component.objects.in_use_on(plan.valid_from)
        self.fields["provider"].queryset = providers
        self.fields["valid_from"].initial = plan.valid_from
        if line is not None:
            del self.fields["component"]
            del self.fields["provider"]
            self.initial.update(
                form=line.form, monthly_quantity=line.monthly_quantity, valid_from=line.valid_from,
                valid_to=line.valid_to,
            )

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("A plan line cannot end before it starts."))
        return data


class AgreeForm(TugiForm):
    agreed_on = date_field(
        _("Agreed with the person on"), initial=_today,
        help_text=_("The date the person (or their representative) agreed to the plan."),
    )


class NewVersionForm(TugiForm):
    valid_from = date_field(
        _("The change applies from"), help_text=_("The current version ends the day before."),
    )
    reason = forms.CharField(label=_("What changes and why"), widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(TugiForm):
    kind = forms.ChoiceField(label=_("Kind of review"), choices=ReviewKind.choices)
    period_start = date_field(_("Period from"))
    period_end = date_field(_("Period until"))
    overall = forms.CharField(
        label=_("Overall assessment of how the plan was carried out"), widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reviewed_on = date_field(_("Date"), initial=_today)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_goals = list(plan.goals.select_related("domain"))
        for goal in self.plan_goals:
            self.fields[f"progress_{goal.pk}"] = forms.ChoiceField(
                label=_("Progress"), choices=[("", "—")] + Progress.choices,
            )
            self.fields[f"comment_{goal.pk}"] = forms.CharField(label=_("Comment"), required=False)

    def goals(self):
        return [(g, self[f"progress_{g.pk}"], self[f"comment_{g.pk}"]) for g in self.plan_goals]

    def progress(self) -> dict:
        return {
            g.pk: (self.cleaned_data[f"progress_{g.pk}"], self.cleaned_data[f"comment_{g.pk}"])
            for g in self.plan_goals
        }

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class SurveyForm(TugiForm):
    occasion = forms.ChoiceField(label=_("Occasion"), choices=QolOccasion.choices)
    respondent = forms.ChoiceField(
        label=_("Answered by"), choices=QolRespondent.choices,
        help_text=_("The person and the base-support specialist answer separately."),
    )
    answered_on = date_field(_("Date"), initial=_today)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(instrument.items.all())
        levels = [(level.pk, f"{level.value} — {level.label}") for level in instrument.levels.all()]
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.name, choices=levels, coerce=int, widget=forms.RadioSelect,
            )

    def item_fields(self):
        return [self[f"item_{item.pk}"] for item in self.items]

    def answers(self) -> dict:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}
