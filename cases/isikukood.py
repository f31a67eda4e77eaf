"""The Estonian personal identification code (isikukood): validation and derived data.

Checksums come from python-stdnum; nothing here re-implements them."""

from __future__ import annotations

import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.ee import ik


def normalise_isikukood(value) -> str:
    """The code as ASCII digits: look-alike digits (full-width ０-９, Arabic-Indic, ...) become
    0-9 and spaces or invisible formatting characters are dropped; anything else is kept, so
    that validation still refuses it. Every lookup and every save goes through this."""
    if value is None:
        return ""
    out = []
    for char in str(value):
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            out.append(str(digit))
        elif char.isspace() or unicodedata.category(char) == "Cf":
            continue
        else:
            out.append(char)
    return "".join(out)


def validate_isikukood(value: str) -> None:
    try:
        ik.validate(value)
    except ik.InvalidLength:
        raise ValidationError(
            _("The personal identification code has exactly 11 digits.")
        ) from None
    except ik.InvalidChecksum:
        raise ValidationError(
            _("The check digit of the personal identification code is wrong. Check the code.")
        ) from None
    except ik.ValidationError:
        raise ValidationError(
            _("This is not a valid Estonian personal identification code.")
        ) from None


def birth_date_of(code: str) -> date:
    return ik.get_birth_date(code)


def sex_of(code: str) -> str:
    """ "M" or "F", as the Person model's Sex choices."""
    return ik.get_gender(code)


def make_isikukood(born: date, sex: str, serial: int) -> str:
    """A code with a correct check digit, for demo data and tests (never a real person's)."""
    century = (born.year - 1800) // 100  # 0 for 1800s, 1 for 1900s, 2 for 2000s
    first = 1 + 2 * century + (0 if sex == "M" else 1)
    base = f"{first}{born:%y%m%d}{serial % 1000:03d}"
    return base + ik.calc_check_digit(base + "0")
