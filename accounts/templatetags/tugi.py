"""Template helpers available in every template (registered as a builtin)."""

from decimal import Decimal

from django import template

from tugi.money import format_money, format_quantity

register = template.Library()

# Money and quantities are formatted in one place (tugi.money); the filters only expose it.
money = register.filter("money", format_money)
decimal2 = register.filter("decimal2", format_quantity)


@register.filter
def hours_from_minutes(minutes) -> str:
    """Minutes as hours with two decimals in the active locale (90 → 1,50)."""
    if minutes is None or minutes == "":
        return ""
    return format_quantity(Decimal(int(minutes)) / 60)
