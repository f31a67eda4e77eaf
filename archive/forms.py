"""Forms of the archive: a signed document's kind, date and file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.forms import Form as TugiForm
from tugi.forms import MonthField

from .models import AttachmentKind

FILE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.asice,.bdoc"


def _month_field(**kwargs) -> MonthField:
    """The month of an attendance sheet, read in the one place that reads months."""
    return MonthField(label=_("Month"), **kwargs)


def _file_field() -> forms.FileField:
    return forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG scan, or a digitally signed container (.asice, .bdoc)."),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )


class AttachmentForm(TugiForm):
    kind = forms.ChoiceField(label=_("Document"), choices=AttachmentKind.choices)
    document_date = forms.DateField(
        label=_("Date of the document"),
        help_text=_("The date it was signed or filled in."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    month = _month_field(required=False, help_text=_("For an attendance sheet."))
    file = _file_field()

    def clean(self):
        data = super().clean()
        if data.get("kind") == AttachmentKind.ATTENDANCE_SHEET and not data.get("month"):
            self.add_error("month", _("Choose the month of the attendance sheet."))
        return data


class ReplaceForm(TugiForm):
    document_date = AttachmentForm.base_fields["document_date"]
    file = _file_field()


class AttendanceSheetForm(TugiForm):
    """A provider specialist: whose attendance sheet, which month; to print, or to upload
    the signed copy."""

    case = forms.ModelChoiceField(queryset=None, label=_("Person"))
    month = _month_field()
    document_date = forms.DateField(
        label=_("Date of the document"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    file = forms.FileField(
        label=_("Signed copy"),
        required=False,
        help_text=_("PDF, JPEG or PNG scan, or a digitally signed container (.asice, .bdoc)."),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: f"{case.person} ({case.number})"
