"""Form helpers with no domain."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import BadRequest
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


class LocalizedDecimalsMixin:
    """Every DecimalField of the form reads and shows numbers in the active language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.localize = True
                field.widget = DecimalInput(
                    {key: value for key, value in field.widget.attrs.items() if key not in ("step", "min", "max")}
                )
                field.widget.is_localized = True
