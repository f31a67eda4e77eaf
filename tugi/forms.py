"""Form helpers with no domain."""

from __future__ import annotations

from django import forms


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
