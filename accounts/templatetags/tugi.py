"""Template helpers available in every template (registered as a builtin)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from tugi.money import round_cents

register = template.Library()


@register.filter
def money(value) -> str:
    """1234.5 → “1 234,50 €” in Estonian (“1,234.50 €” in English)."""
    if value is None or value == "":
        return ""
    try:
        amount = round_cents(Decimal(str(value)))
    except (InvalidOperation, TypeError):
        return ""
    return f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)}\xa0€"


@register.filter
def hours_from_minutes(minutes) -> str:
    """Minutes as hours with two decimals in the active locale (90 → 1,50)."""
    if minutes is None or minutes == "":
        return ""
    return decimal2(Decimal(int(minutes)) / 60)


@register.filter
def decimal2(value) -> str:
    """A quantity with two decimals in the active locale (1,50)."""
    if value is None or value == "":
        return ""
    return number_format(Decimal(str(value)), decimal_pos=2, use_l10n=True, force_grouping=True)
