"""Validators for Estonian identifiers, built on python-stdnum (no hand-written checksums)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.ee import registrikood
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

