"""Template helpers available in every template (registered as a builtin)."""

from django import template

from tugi.money import format_money, format_quantity

register = template.Library()

# Money and quantities are formatted in one place (tugi.money); the filters only expose it.
money = register.filter("money", format_money)
decimal2 = register.filter("decimal2", format_quantity)
