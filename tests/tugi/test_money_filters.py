"""The template filters ``money`` and ``decimal2`` print what Django's ``number_format`` prints
(they read the language's separators once instead of through it on every amount)."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given
from hypothesis import strategies as st

from accounts.templatetags.tugi import decimal2, money
from tugi.money import round_cents

AMOUNTS = st.decimals(min_value=Decimal("-99999999999.9999"), max_value=Decimal("99999999999.9999"), places=4,
                      allow_nan=False, allow_infinity=False)


def _django(value: Decimal) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


@pytest.mark.parametrize("language", ["et", "en"])
@given(value=AMOUNTS)
def test_the_filters_print_what_number_format_prints(language, value):
    with translation.override(language):
        assert money(value) == f"{_django(round_cents(value))}\xa0€"
        assert decimal2(value) == _django(value)


@pytest.mark.parametrize(
    ("language", "value", "printed"),
    [
        ("et", "1234.5", "1\xa0234,50\xa0€"),
        ("et", "-1234567.005", "-1\xa0234\xa0567,01\xa0€"),
        ("et", "-0.001", "0,00\xa0€"),
        ("en", "1234.5", "1,234.50\xa0€"),
        ("et", "", ""),
        ("et", "not a number", ""),
    ],
)
def test_money_in_each_language(language, value, printed):
    with translation.override(language):
        assert money(value) == printed


def test_decimal2_cuts_like_number_format_and_prints_none_as_blank():
    with translation.override("et"):
        assert decimal2(Decimal("0.6667")) == "0,66"
        assert decimal2(Decimal("1234.5")) == "1\xa0234,50"
        assert decimal2(None) == ""
