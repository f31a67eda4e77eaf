"""Every form reads and shows numbers in the user's language and dates as pp.kk.aaaa, not
the browser's way, and says one thing per problem."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

from providers.forms import PriceForm as ContractPriceForm
from providers.models import ContractPrice
from tugi.forms import Form, LocalizedDecimalsMixin, TugiFormMixin


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

    for form_class in (LineForm, ChangePriceForm, ContractForm, ContractPriceForm):
        assert issubclass(form_class, LocalizedDecimalsMixin), form_class


# --- Dates: pp.kk.aaaa, read as Estonian whatever the language -------------------------------



class DatedForm(Form):
    on = forms.DateField()


@pytest.mark.parametrize("language", ["et", "en"])
@pytest.mark.parametrize(
    "typed", ["31.12.2026", "31.12.26", " 31.12.2026 ", "2026-12-31"]
)
def test_a_typed_date_is_read_as_estonian_in_either_language(language, typed):
    with translation.override(language):
        form = DatedForm({"on": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == date(2026, 12, 31)


def test_a_day_first_date_is_never_read_month_first():
    with translation.override("en"):
        form = DatedForm({"on": "02.03.2026"})
        assert form.is_valid()
    assert form.cleaned_data["on"] == date(2026, 3, 2)


@pytest.mark.parametrize("language", ["et", "en"])
def test_a_date_is_shown_as_text_in_the_form_dd_mm_yyyy(language):
    with translation.override(language):
        html = str(DatedForm(initial={"on": date(2026, 1, 5)})["on"])
    assert 'type="text"' in html and 'value="05.01.2026"' in html and "data-datepicker" in html


def test_a_wrong_date_says_which_form_it_wants():
    with translation.override("et"):
        form = DatedForm({"on": "31.02.2026"})
        assert form.errors["on"] == ["Sisestage kuupäev kujul pp.kk.aaaa, nt 31.12.2026."]


# --- One error per problem ----------------------------------------------------------------


class AtLeastOnePriceForm(Form):
    price = forms.DecimalField(max_digits=12, decimal_places=2, required=False)

    def clean(self):
        data = super().clean()
        if data.get("price") is None:
            self.add_error("price", "Enter at least one price.")
            raise forms.ValidationError({"price": "Still no price."})
        return data


def test_a_field_that_failed_gets_no_second_contradictory_error():
    form = AtLeastOnePriceForm({"price": "kümme"})
    assert not form.is_valid()
    assert len(form.errors["price"]) == 1


def test_a_price_with_letters_shows_one_error_on_the_contract_price_form(db):
    from tests.providers.factories import ContractFactory

    with translation.override("et"):
        form = ContractPriceForm({"unit_price_individual": "kümme"}, instance=ContractPrice(contract=ContractFactory()))
        assert not form.is_valid()
        assert form.errors["unit_price_individual"] == ["Sisestage arv."]


# --- Every form of Tugi follows these rules ------------------------------------------------


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_apps_reads_dates_and_numbers_the_tugi_way():
    """A form added later (on another branch, say) that forgets the mixin fails here."""
    for app in settings.LOCAL_APPS:
        for module in (f"{app}.forms", f"{app}.filters"):
            try:
                importlib.import_module(module)
            except ModuleNotFoundError:
                continue
    ours = [
        form
        for form in set(_subclasses(forms.BaseForm))
        if form.__module__.split(".")[0] in settings.LOCAL_APPS and form.__module__.endswith(".forms")
    ]
    assert len(ours) > 30
    assert [form for form in ours if not issubclass(form, TugiFormMixin)] == []


class MeetingLikeForm(Form):
    starts_at = forms.DateTimeField()
    start_time = forms.TimeField()
    hidden_day = forms.DateField(widget=forms.HiddenInput)


@pytest.mark.parametrize("language", ["et", "en"])
def test_a_moment_and_a_time_are_typed_as_estonian_text_on_the_24_hour_clock(language):
    with translation.override(language):
        form = MeetingLikeForm({"starts_at": "31.12.2026 14:30", "start_time": "9.05", "hidden_day": "2026-12-31"})
        assert form.is_valid(), form.errors
        html = str(form["starts_at"]) + str(form["start_time"]) + str(form["hidden_day"])
    assert form.cleaned_data["starts_at"].strftime("%d.%m.%Y %H:%M") == "31.12.2026 14:30"
    assert form.cleaned_data["start_time"].strftime("%H:%M") == "09:05"
    assert 'type="datetime-local"' not in html and 'type="time"' not in html
    assert 'type="hidden"' in html
