"""Money: Decimal with two places, rounded half-up. Never float, never round()."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MINUTES_PER_HOUR = Decimal(60)


def round_cents(value: Decimal | int | str) -> Decimal:
    """Round to whole cents, half up (0.005 → 0.01)."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a Decimal or a string.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def hours_from_minutes(minutes: int) -> Decimal:
    """Minutes as an exact Decimal number of hours (20 min → 0.3333…)."""
    return Decimal(minutes) / MINUTES_PER_HOUR


def line_amount(unit_price: Decimal, quantity: Decimal) -> Decimal:
    """One delivery line: unit price × quantity, rounded once, per line."""
    return round_cents(Decimal(unit_price) * Decimal(quantity))


def minutes_amount(unit_price: Decimal, minutes: int) -> Decimal:
    """A session's amount: the hourly price × minutes / 60, rounded half-up once. Multiplied
    before dividing, so that an exact half cent (0,03 €/h × 50 min = 0,025 €) is not lost to a
    repeating fraction of an hour; PostgreSQL's ``round(price * minutes / 60, 2)`` agrees."""
    return round_cents(Decimal(unit_price) * minutes / MINUTES_PER_HOUR)



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


def format_money(value) -> str:
    """1234.5 → “1 234,50 €” in Estonian (“1,234.50 €” in English); "" for nothing."""
    if value is None or value == "":
        return ""
    try:
        amount = round_cents(value if isinstance(value, Decimal) else Decimal(str(value)))
    except (InvalidOperation, TypeError):
        return ""
    return f"{_grouped(amount)}\xa0€"


def format_quantity(value) -> str:
    """A quantity with two decimals in the active locale (1,50)."""
    if value is None or value == "":
        return ""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    if not value.is_finite():
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return _grouped(value)
