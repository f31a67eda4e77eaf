"""Validators of the invoice's payment details: the seller's IBAN (python-stdnum) and the
Estonian payment reference number (*viitenumber*).

python-stdnum has no Estonian reference number and no other package on the registry offers one,
so its check digit (the Estonian banks' 7-3-1 method) is computed here, in one place."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.exceptions import ValidationError as StdnumError


def validate_iban(value: str) -> None:
    if not value:
        return
    try:
        iban.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid IBAN (check the country code, length and check digits)."),
            code="invalid_iban",
            params={"value": value},
        ) from exc


def reference_check_digit(base: str) -> int:
    """The 7-3-1 check digit of an Estonian reference number's base digits."""
    weights = (7, 3, 1)
    total = sum(int(digit) * weights[i % 3] for i, digit in enumerate(reversed(base)))
    return (10 - total % 10) % 10


def validate_reference_number(value: str) -> None:
    """2 to 20 digits, the last being the 7-3-1 check digit of the others."""
    if not value:
        return
    if not (value.isdigit() and 2 <= len(value) <= 20) or reference_check_digit(value[:-1]) != int(value[-1]):
        raise ValidationError(
            _("“%(value)s” is not a valid reference number (2–20 digits, the last a 7-3-1 check digit)."),
            code="invalid_reference_number",
            params={"value": value},
        )
