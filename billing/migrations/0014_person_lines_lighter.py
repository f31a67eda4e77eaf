"""The per-person lines a close writes (thousands in one statement) cost less per row:

- the case has no index of its own: only deleting a case looks its lines up by case (Django's
  PROTECT check and ``billing_person_lines_keep_cases``), which is rare and refused when lines
  exist, while every close paid for the index on each line it wrote;
- the statement trigger locks the cases named and checks that they exist in one pass over the
  new lines (the rows it locked are counted) instead of locking in one join and looking for a
  missing case in a second; the same for the invoices."""

import django.db.models.deletion
from django.db import migrations, models

CHECK = """
CREATE OR REPLACE FUNCTION billing_person_lines_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    invoices_locked bigint;
    cases_locked bigint;
BEGIN
    -- Locked FOR KEY SHARE until commit (what a foreign key does); a row that does not exist
    -- cannot be locked, so fewer locked than named means a reference is missing.
    SELECT count(*) INTO invoices_locked FROM (
        SELECT 1 FROM billing_invoice i JOIN (SELECT DISTINCT invoice_id FROM new_lines) n ON i.id = n.invoice_id
        FOR KEY SHARE OF i) x;
    SELECT count(*) INTO cases_locked FROM (
        SELECT 1 FROM cases_case c JOIN new_lines n ON c.id = n.case_id FOR KEY SHARE OF c) x;
    IF invoices_locked <> (SELECT count(DISTINCT invoice_id) FROM new_lines)
       OR cases_locked <> (SELECT count(*) FROM new_lines) THEN
        RAISE EXCEPTION 'billing_invoicepersonline: the invoice or case named does not exist'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
"""

BEFORE = """
CREATE OR REPLACE FUNCTION billing_person_lines_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM billing_invoice i JOIN (SELECT DISTINCT invoice_id FROM new_lines) n ON i.id = n.invoice_id
        FOR KEY SHARE OF i;
    PERFORM 1 FROM cases_case c JOIN new_lines n ON c.id = n.case_id FOR KEY SHARE OF c;
    IF EXISTS (SELECT 1 FROM new_lines n LEFT JOIN billing_invoice i ON i.id = n.invoice_id WHERE i.id IS NULL)
       OR EXISTS (SELECT 1 FROM new_lines n LEFT JOIN cases_case c ON c.id = n.case_id WHERE c.id IS NULL) THEN
        RAISE EXCEPTION 'billing_invoicepersonline: the invoice or case named does not exist'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0013_delivery_amount_from_unit_price'),
        ('cases', '0008_isikukood_ascii_digits'),
    ]

    operations = [
        migrations.AlterField(
            model_name='invoicepersonline',
            name='case',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.case'),
        ),
        migrations.RunSQL(CHECK, BEFORE),
    ]
