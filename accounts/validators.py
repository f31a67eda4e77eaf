"""Validators for Estonian identifiers, built on python-stdnum (no hand-written checksums)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.ee import ik, registrikood
from stdnum.exceptions import ValidationError as StdnumError


def validate_registry_code(value: str) -> None:
    """An organisation's registry code (registrikood): 8 digits with a valid check digit."""
    if not value:
        return
    try:
        registrikood.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid registry code (8 digits with a correct check digit)."),
            code="invalid_registry_code",
            params={"value": value},
        ) from exc


def validate_isikukood(value: str) -> None:
    """An Estonian personal identification code: 11 digits, a real birth date, a valid check digit."""
    try:
        ik.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid Estonian personal identification code."),
            code="invalid_isikukood",
            params={"value": value},
        ) from exc
