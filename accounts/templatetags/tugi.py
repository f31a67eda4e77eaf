"""Template helpers available in every template (registered as a builtin)."""

from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django import template
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

from tugi.money import CENT, ZERO, round_cents

register = template.Library()


def _separators() -> tuple[str, str]:
    """The active language's decimal and thousand separators (Django's formats, read once per
    language: a table of a few hundred amounts formatted each through ``number_format`` spent
    most of its page's time looking the same two settings up again)."""
    language = get_language()
    found = _SEPARATORS.get(language)
    if found is None:
        found = _SEPARATORS[language] = (get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR"))
    return found


_SEPARATORS: dict[str | None, tuple[str, str]] = {}


def _grouped(value: Decimal) -> str:
    """``value`` with two decimals, grouped by thousands, in the active language: what
    ``number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)`` gives (the
    project's formats group by three in both languages)."""
    if abs(value) < CENT:  # as number_format: no "-0,00"
        value = ZERO
    decimal, thousand = _separators()
    # number_format cuts the digits after the second decimal off (it does not round).
    return f"{value.quantize(CENT, rounding=ROUND_DOWN):,.2f}".replace(",", "\x00").replace(".", decimal).replace("\x00", thousand)


@register.filter
def money(value) -> str:
    """1234.5 → “1 234,50 €” in Estonian (“1,234.50 €” in English)."""
    if value is None or value == "":
        return ""
    try:
        amount = round_cents(value if isinstance(value, Decimal) else Decimal(str(value)))
    except (InvalidOperation, TypeError):
        return ""
    return f"{_grouped(amount)}\xa0€"


@register.filter
def decimal2(value) -> str:
    """A quantity with two decimals in the active locale (1,50)."""
    if value is None or value == "":
        return ""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    if not value.is_finite():
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return _grouped(value)
