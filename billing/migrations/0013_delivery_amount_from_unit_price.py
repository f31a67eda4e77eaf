"""A delivery's amount is its stored hourly price × minutes / 60, rounded half-up to cents
(``tugi.money.minutes_amount``; PostgreSQL's ``round`` of a numeric agrees), and a delivery has
both or neither. Every writer already stores it so (the form, the week grid, the import and the
month's recheck all take it from ``rules.Checked.amount``); the database now enforces it, so the
close's check that prices are current compares only the stored unit price with the price table
(``billing.rules.mispriced_sql``) and groups the month without minutes and amount.

A plain CHECK (per row, no query): it is not declared in the model's Meta because no user types
an amount, and Django would otherwise validate it with a query of its own on every ``full_clean``.
Adding it fails, naming the constraint, if a stored row breaks the rule."""

from django.db import migrations

ADD = """
ALTER TABLE billing_delivery ADD CONSTRAINT delivery_amount_from_unit_price CHECK (
    (unit_price IS NULL AND amount IS NULL)
    OR (unit_price IS NOT NULL AND amount IS NOT NULL AND amount = round(unit_price * minutes / 60, 2))
)
"""
DROP = "ALTER TABLE billing_delivery DROP CONSTRAINT delivery_amount_from_unit_price"


class Migration(migrations.Migration):
    dependencies = [("billing", "0012_invoice_contract_totals")]

    operations = [migrations.RunSQL(ADD, DROP)]
