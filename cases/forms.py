"""Forms of the case file: labelled, with Estonian help texts; services do the saving."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from tugi.forms import Form, ModelForm

from .isikukood import normalise_isikukood
from .models import (
    CASE_DETAILS_ORDER,
    FORM_A_DETAILS,
    INITIAL_ASSESSMENT_FIELDS,
    PERSON_DETAILS,
    ActionPlanItem,
    AgendaItem,
    Case,
    CaseActivity,
    CaseState,
    ClosureReason,
    Decision,
    EligibilityCheck,
    EntryQuestionnaire,
    ExitQuestionnaire,
    InitialAction,
    InitialInformation,
    MeetingInvitee,
    NetworkMeeting,
    NetworkMember,
    Noticing,
    Person,
    PreparationTask,
    Relative,
)


class PersonForm(ModelForm):
    class Meta:
        model = Person
        fields = ["isikukood", "no_code_reason", "birth_date", "first_name", "last_name"]

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


class CaseDetailsForm(ModelForm):
    """The person's details as this case file records them (handbook form A, 1): contacts,
    addresses, citizenship, identity document, marital status, disability, work ability
    and incapacity, earlier assessments, other information."""

    class Meta:
        model = Case
        fields = [*PERSON_DETAILS, *FORM_A_DETAILS]
        widgets = {
            "earlier_assessments": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(CASE_DETAILS_ORDER)

    def clean(self):
        data = super().clean()
        if data.get("citizenship") == "other" and not data.get("citizenship_other"):
            self.add_error("citizenship_other", _("Enter which citizenship the person has."))
        return data


class NoticePersonForm(PersonForm):
    """The person on the noticing form. An isikukood already on record is not an error
    here: services.notice reuses that person, and the form says nothing about them."""

    def validate_unique(self):
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"isikukood"})
        except ValidationError as error:
            self._update_errors(error)


class NoticingForm(ModelForm):
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


class NoticingEditForm(ModelForm):
    class Meta:
        model = Noticing
        fields = NoticingForm.Meta.fields


class EligibilityForm(ModelForm):
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


class EntryForm(ModelForm):
    entry_date = forms.DateField(
        label=capfirst(_("entry date")),
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


class ExitForm(ModelForm):
    class Meta:
        model = ExitQuestionnaire
        fields = ["exit_date", "reason", "situation", "notes"]


class CloseForm(Form):
    """Closing the case file of a noticed person who did not enter."""

    on = forms.DateField(label=capfirst(_("closed on")))
    reason = forms.ChoiceField(label=capfirst(_("reason for closing")), choices=ClosureReason.choices)
    note = forms.CharField(
        label=capfirst(_("closing note")), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RelativeForm(ModelForm):
    class Meta:
        model = Relative
        fields = ["kind", "name", "relation", "contact"]


class NetworkMemberForm(ModelForm):
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


class ActivityForm(ModelForm):
    class Meta:
        model = CaseActivity
        fields = ["on", "activity", "responsible", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}


class MeetingForm(ModelForm):
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
        fields = [
            "goal",
            "chair",
            "chair_contact",
            "starts_at",
            "ends_at",
            "place",
            "address",
            "agenda",
            "preparation_notes",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "preparation_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = case.network.all()
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class AgendaItemForm(ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "schedule", "speaker"]


class NotificationForm(ModelForm):
    """D2: who was notified of the meeting, when and by whom, and whether they confirmed."""

    invitee = forms.ModelChoiceField(
        queryset=MeetingInvitee.objects.none(), label=capfirst(_("invitee"))
    )

    class Meta:
        model = MeetingInvitee
        fields = ["notified_on", "notified_by", "confirmed"]

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitee"].queryset = meeting.invitees.all()
        self.fields["notified_on"].required = True
        self.fields["notified_by"].required = True
        self.order_fields(["invitee"])


class PreparationTaskForm(ModelForm):
    class Meta:
        model = PreparationTask
        fields = ["task", "performer", "due_on"]


class InitialActionForm(ModelForm):
    class Meta:
        model = InitialAction
        fields = ["action", "due_on", "performer"]


class ActionPlanItemForm(ModelForm):
    class Meta:
        model = ActionPlanItem
        fields = ["goal", "activity", "due_on", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}


class InitialAssessmentForm(ModelForm):
    """Handbook form A, 3 (information per life domain, from the person and from the
    network) and 6 with A1 (summary, decision after the initial assessment, needs, legal
    basis)."""

    class Meta:
        model = Case
        fields = INITIAL_ASSESSMENT_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in INITIAL_ASSESSMENT_FIELDS
            if name != "initial_decision"
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = {}
        if self.instance.pk:
            known = {i.domain: i for i in self.instance.initial_information.all()}
        for domain, label in InitialInformation.Domain.choices:
            info = known.get(domain)
            for part, part_label in (
                ("person", _("information from the person")),
                ("network", _("information from network members")),
            ):
                self.fields[f"{domain}_{part}"] = forms.CharField(
                    label=f"{capfirst(label)}: {part_label}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=getattr(info, f"from_{part}", "") if info else "",
                )
        self.order_fields(
            [f"{d}_{p}" for d in InitialInformation.Domain.values for p in ("person", "network")]
            + INITIAL_ASSESSMENT_FIELDS
        )

    def domains(self) -> dict[str, tuple[str, str]]:
        return {
            domain: (self.cleaned_data[f"{domain}_person"], self.cleaned_data[f"{domain}_network"])
            for domain in InitialInformation.Domain.values
        }


class MinutesForm(Form):
    written_on = forms.DateField(
        label=capfirst(_("minutes written on")),
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


class DecisionForm(ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "responsible", "deadline"]
        help_texts = {"deadline": _("A decision with a deadline appears on the deadlines page.")}


class CaseFilterForm(Form):
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
