"""Decimal inputs read and show numbers in the user's language, not the browser's."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from tugi.forms import LocalizedDecimalsMixin


class PriceForm(LocalizedDecimalsMixin, forms.Form):
    price = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0)


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [("et", "27,50", "27.50"), ("et", "1 234,56", "1234.56"), ("et", "1\xa0234,56", "1234.56"), ("et", "27.50", "27.50"), ("en", "27.50", "27.50")],
)
def test_a_decimal_is_read_in_the_active_language(language, typed, expected):
    with translation.override(language):
        form = PriceForm({"price": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["price"] == Decimal(expected)


def test_a_decimal_is_shown_with_a_comma_in_estonian_as_text_with_the_number_keyboard():
    with translation.override("et"):
        html = str(PriceForm(initial={"price": Decimal("27.50")})["price"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="27,50"' in html


def test_a_negative_decimal_is_still_refused_in_estonian():
    with translation.override("et"):
        form = PriceForm({"price": "-1,00"})
        assert not form.is_valid()
        assert "0" in form.errors["price"][0]


def test_the_apps_forms_with_money_or_hours_use_localized_inputs():
    from assessments.forms import LineForm
    from providers.forms import ChangePriceForm, ContractForm
    from providers.forms import PriceForm as ContractPriceForm

    for form_class in (LineForm, ChangePriceForm, ContractForm, ContractPriceForm):
        assert issubclass(form_class, LocalizedDecimalsMixin), form_class
