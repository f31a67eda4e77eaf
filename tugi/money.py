"""Money: Decimal with two places, rounded half-up. Never float, never round()."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

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


def format_money(value) -> str:
    """1234.5 → “1 234,50 €” in Estonian (“1,234.50 €” in English); "" for nothing."""
    if value is None or value == "":
        return ""
    try:
        amount = round_cents(Decimal(str(value)))
    except (InvalidOperation, TypeError):
        return ""
    return f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)}\xa0€"


def format_quantity(value) -> str:
    """A quantity with two decimals in the active locale (1,50)."""
    if value is None or value == "":
        return ""
    return number_format(Decimal(str(value)), decimal_pos=2, use_l10n=True, force_grouping=True)
