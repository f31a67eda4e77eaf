"""Forms of the case file: labelled, with Estonian help texts; services do the saving."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User

from .isikukood import normalise_isikukood
from .models import (
    PERSON_DETAILS,
    CaseActivity,
    CaseState,
    Decision,
    EligibilityCheck,
    EntryQuestionnaire,
    ExitQuestionnaire,
    NetworkMeeting,
    NetworkMember,
    Noticing,
    Person,
    Relative,
)

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def date_input() -> forms.DateInput:
    """A new date widget each time: a shared instance would carry one form's error
    styling (``is-invalid``) into every other form that uses it."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _dates(form: forms.ModelForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = date_input()
            field.input_formats = list(DATE_FORMATS)


class DatedModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)


class PersonForm(DatedModelForm):
    class Meta:
        model = Person
        fields = [
            "isikukood",
            "no_code_reason",
            "birth_date",
            "first_name",
            "last_name",
            *PERSON_DETAILS,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].required = False
        self.fields["birth_date"].help_text = _(
            "Only for a person without a personal identification code; otherwise taken from the code."
        )

    def clean_isikukood(self):
        return normalise_isikukood(self.cleaned_data.get("isikukood")) or None

    def clean(self):
        # The missing reason is the model's rule (Person.clean), reported once from there.
        data = super().clean()
        if (
            not data.get("isikukood")
            and not self.has_error("isikukood")
            and not data.get("birth_date")
        ):
            self.add_error("birth_date", _("Enter the date of birth of a person without a code."))
        return data


class NoticePersonForm(PersonForm):
    """The person on the noticing form. An isikukood already on record is not an error
    here: services.notice reuses that person, and the form says nothing about them."""

    def validate_unique(self):
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"isikukood"})
        except ValidationError as error:
            self._update_errors(error)


class NoticingForm(DatedModelForm):
    case_manager = forms.ModelChoiceField(
        queryset=User.objects.none(), label=capfirst(_("case manager"))
    )

    class Meta:
        model = Noticing
        fields = [
            "noticed_on",
            "noticer_kind",
            "noticer_name",
            "noticer_contact",
            "channel",
            "reason",
            "description",
            "first_contact_on",
        ]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = User.objects.filter(
            municipality=municipality, role=Role.CASE_MANAGER, is_active=True
        )
        self.order_fields(["case_manager"])


class NoticingEditForm(DatedModelForm):
    class Meta:
        model = Noticing
        fields = NoticingForm.Meta.fields


class EligibilityForm(DatedModelForm):
    override_justification = forms.CharField(
        label=capfirst(_("justification for override")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only if the person does not meet a criterion but must still enter: explain why. "
            "The override is logged."
        ),
    )

    class Meta:
        model = EligibilityCheck
        fields = ["entry_date", "primary_diagnosis", "condition", "concurrent_state_service"]
        help_texts = {
            "entry_date": _("Age is checked on this date."),
            "concurrent_state_service": _("Moving from one service to the other is allowed."),
        }


class EntryForm(DatedModelForm):
    entry_date = forms.DateField(
        label=capfirst(_("entry date")),
        widget=date_input(),
        input_formats=list(DATE_FORMATS),
        help_text=_("The date of signing; the 30-day assessment deadline starts here."),
    )

    class Meta:
        model = EntryQuestionnaire
        fields = [
            "filled_on",
            "employment_status",
            "education_level",
            "household_situation",
            "disability_degree",
            "work_ability",
            "has_health_insurance",
            "consent_given_on",
            "consent_scope",
            "consent_signed_by",
            "signer_name",
            "cooperation_agreement_signed_on",
        ]
        widgets = {"consent_scope": forms.Textarea(attrs={"rows": 3})}


class ExitForm(DatedModelForm):
    class Meta:
        model = ExitQuestionnaire
        fields = ["exit_date", "reason", "situation", "qol_survey_on", "notes"]


class RelativeForm(forms.ModelForm):
    class Meta:
        model = Relative
        fields = ["kind", "name", "relation", "contact"]


class NetworkMemberForm(forms.ModelForm):
    class Meta:
        model = NetworkMember
        fields = [
            "kind",
            "name",
            "relation",
            "position",
            "institution",
            "phone",
            "email",
            "relationship_note",
        ]
        widgets = {"relationship_note": forms.Textarea(attrs={"rows": 3})}


class ActivityForm(DatedModelForm):
    class Meta:
        model = CaseActivity
        fields = ["on", "activity", "responsible", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}


class MeetingForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        queryset=NetworkMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=capfirst(_("invite from the network")),
    )
    other_invitees = forms.CharField(
        label=capfirst(_("other invitees")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One name per line."),
    )

    class Meta:
        model = NetworkMeeting
        fields = ["goal", "starts_at", "place", "agenda"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "agenda": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = case.network.all()
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]


class MinutesForm(forms.Form):
    written_on = forms.DateField(
        label=capfirst(_("minutes written on")),
        widget=date_input(),
        input_formats=list(DATE_FORMATS),
    )
    confirmed = forms.MultipleChoiceField(
        label=capfirst(_("confirmed their participation")),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attended = forms.MultipleChoiceField(
        label=capfirst(_("participants")),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Invitees not ticked are recorded as absent."),
    )
    notes = forms.CharField(
        label=capfirst(_("minutes")), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(i.pk), i.name) for i in meeting.invitees.all()]
        self.fields["confirmed"].choices = choices
        self.fields["attended"].choices = choices


class DecisionForm(DatedModelForm):
    class Meta:
        model = Decision
        fields = ["text", "responsible", "deadline"]
        help_texts = {"deadline": _("A decision with a deadline appears on the deadlines page.")}


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=capfirst(_("name or personal identification code")), required=False)
    state = forms.ChoiceField(
        label=capfirst(_("state")),
        required=False,
        choices=[("", _("all"))] + list(CaseState.choices),
    )
    case_manager = forms.ModelChoiceField(
        label=capfirst(_("case manager")),
        required=False,
        queryset=User.objects.none(),
        empty_label=capfirst(_("all")),
    )
    overdue = forms.BooleanField(label=capfirst(_("only with overdue deadlines")), required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = User.objects.filter(
            municipality=municipality, role__in=[Role.CASE_MANAGER, Role.COORDINATOR]
        )
