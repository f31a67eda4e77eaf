"""Form helpers with no domain: how every form of Tugi reads and shows dates and numbers,
and how it reports errors (one error per problem).

Every form inherits ``TugiFormMixin`` (usually through ``tugi.forms.Form`` or
``tugi.forms.ModelForm``); ``tests/tugi/test_forms.py`` walks all forms of the project
and fails for one that does not.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, BadRequest, ValidationError
from django.utils.translation import gettext_lazy as _

from tugi import workdays


def month_param(value: str | None, *, default: dt.date) -> dt.date:
    """A month from a URL or a posted button (``?month=2026-04``): ``default`` when absent,
    400 Bad Request when it is not a real month, so a page or a close never falls back to
    another month than the one asked for."""
    if not (value or "").strip():
        return default
    try:
        return workdays.parse_month(value)
    except ValueError as exc:
        raise BadRequest("not a month") from exc


def week_param(value: str | None, *, default: dt.date) -> dt.date:
    """The Monday of ``?week=YYYY-MM-DD``: the week of ``default`` when absent, 400 when not a day."""
    if not (value or "").strip():
        return default - dt.timedelta(days=default.weekday())
    try:
        return workdays.parse_week(value)
    except ValueError as exc:
        raise BadRequest("not a day") from exc


class MonthField(forms.CharField):
    """A month as ``YYYY-MM`` (the browser's month input) or ``MM.YYYY``; cleans to its 1st day.
    Read by :func:`tugi.workdays.parse_month`, so a month that does not exist is a form error."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})
    default_error_messages = {"invalid": _("Enter the month as YYYY-MM, e.g. 2026-01.")}

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            return workdays.parse_month(value)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


# A date typed by hand is read as Estonian, whatever the language of the page:
# 31.12.2026, 31.12.26 and 1.2.2026; the ISO form 2026-12-31 too (pasted, or from links).
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATE_FORMAT = "%d.%m.%Y"
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H.%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
DATETIME_FORMAT = "%d.%m.%Y %H:%M"
TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
TIME_FORMAT = "%H:%M"


class DateInput(forms.DateInput):
    """A date as text in the form pp.kk.aaaa, whatever the browser's locale. A native
    ``type=date`` input follows the browser's locale instead (mm/dd/yyyy in an English
    browser). ``static/js/dates.js`` adds a calendar picker in the same format to every
    input marked ``data-datepicker``."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": _("dd.mm.yyyy"),
                "data-datepicker": "",
                "data-picker-label": _("Open the calendar"),
                **(attrs or {}),
            },
            format=DATE_FORMAT,
        )


class DateTimeInput(forms.DateTimeInput):
    """A moment as text, pp.kk.aaaa tt:mm, whatever the browser's locale (a native
    ``datetime-local`` input shows mm/dd/yyyy and AM/PM in an English browser)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            {"autocomplete": "off", "spellcheck": "false", "placeholder": _("dd.mm.yyyy hh:mm"), **(attrs or {})},
            format=DATETIME_FORMAT,
        )


class TimeInput(forms.TimeInput):
    """A time of day as text, tt:mm on the 24-hour clock, whatever the browser's locale."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            {"autocomplete": "off", "inputmode": "numeric", "placeholder": _("hh:mm"), **(attrs or {})},
            format=TIME_FORMAT,
        )


class DecimalInput(forms.TextInput):
    """A decimal number as text: the number keyboard on phones, and the value shown and
    read in the user's language (``27,50`` in Estonian), whatever the browser's locale.
    A native ``type=number`` input follows the browser's locale instead and refuses the
    decimal comma in an English browser."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        # Digits grouped with spaces ("1 234,56", as Estonian writes them) are one number.
        value = super().value_from_datadict(data, files, name)
        return "".join(value.split()) if isinstance(value, str) else value


def _kept_attrs(field: forms.Field) -> dict:
    return {k: v for k, v in field.widget.attrs.items() if k not in ("type", "min", "max", "step")}


def _is_plain_date_field(field: forms.Field) -> bool:
    return isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField)


class TugiFormMixin:
    """Dates as pp.kk.aaaa (times as tt:mm), decimals in the user's language, and one error per field:
    once a field has failed (e.g. letters in a price), later checks of the whole form or
    model that miss its value (e.g. "enter at least one price") do not add a second,
    contradictory error to it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.widget.is_hidden:
                continue  # a hidden value travels as the server wrote it
            if _is_plain_date_field(field):
                field.widget = DateInput(_kept_attrs(field))
                field.input_formats = list(DATE_INPUT_FORMATS)
                field.error_messages["invalid"] = _("Enter the date as dd.mm.yyyy, e.g. 31.12.2026.")
            elif isinstance(field, forms.DateTimeField):
                field.widget = DateTimeInput(_kept_attrs(field))
                field.input_formats = list(DATETIME_INPUT_FORMATS)
                field.error_messages["invalid"] = _("Enter the date and time as dd.mm.yyyy hh:mm, e.g. 31.12.2026 14:30.")
            elif isinstance(field, forms.TimeField):
                field.widget = TimeInput(_kept_attrs(field))
                field.input_formats = list(TIME_INPUT_FORMATS)
                field.error_messages["invalid"] = _("Enter the time as hh:mm, e.g. 14:30.")
            elif isinstance(field, forms.DecimalField):
                field.localize = True
                field.widget = DecimalInput(
                    {key: value for key, value in field.widget.attrs.items() if key not in ("step", "min", "max")}
                )
                field.widget.is_localized = True

    def add_error(self, field, error):
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if field is None and hasattr(error, "error_dict"):
            kept = {
                name: messages
                for name, messages in error.error_dict.items()
                if name == NON_FIELD_ERRORS or name not in self._errors
            }
            if not kept:
                return
            error = ValidationError(kept)
        elif field not in (None, NON_FIELD_ERRORS) and field in self._errors:
            return
        super().add_error(field, error)


# The name the money forms used before the date rule joined it.
LocalizedDecimalsMixin = TugiFormMixin


class Form(TugiFormMixin, forms.Form):
    pass


class ModelForm(TugiFormMixin, forms.ModelForm):
    pass
