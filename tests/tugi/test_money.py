from decimal import Decimal

import pytest

from tugi.money import hours_from_minutes, line_amount, round_cents


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("2.675", "2.68"),
        ("-0.005", "-0.01"),
        ("16.3333", "16.33"),
    ],
)
def test_round_cents_rounds_half_up(value, expected):
    assert round_cents(Decimal(value)) == Decimal(expected)


def test_float_is_refused():
    with pytest.raises(TypeError):
        round_cents(0.1)


def test_twenty_minutes_at_49_euros_an_hour_is_16_33():
    assert line_amount(Decimal("49.00"), hours_from_minutes(20)) == Decimal("16.33")


def test_forty_minutes_at_49_euros_an_hour_is_32_67():
    assert line_amount(Decimal("49.00"), hours_from_minutes(40)) == Decimal("32.67")
