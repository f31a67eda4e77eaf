"""A delivery's specialist works for the delivery's provider, checked by the same trigger when
the row is written (a specialist who later changes provider leaves past sessions valid)."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION billing_delivery_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM billing_refuse_locked(OLD.municipality_id, OLD.date);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    PERFORM billing_refuse_locked(NEW.municipality_id, NEW.date);
    IF TG_OP = 'INSERT' OR NEW.specialist_id IS DISTINCT FROM OLD.specialist_id
            OR NEW.provider_id IS DISTINCT FROM OLD.provider_id THEN
        IF NOT EXISTS (SELECT 1 FROM providers_specialist
                       WHERE id = NEW.specialist_id AND provider_id = NEW.provider_id) THEN
            RAISE EXCEPTION 'specialist % does not work for provider %', NEW.specialist_id, NEW.provider_id
                USING ERRCODE = 'TU409';
        END IF;
    END IF;
    IF NEW.start_time IS NULL THEN
        NEW.slot := NULL;
    ELSE
        NEW.slot := tstzrange(
            (NEW.date + NEW.start_time) AT TIME ZONE 'Europe/Tallinn',
            ((NEW.date + NEW.start_time) AT TIME ZONE 'Europe/Tallinn') + make_interval(mins => NEW.minutes),
            '[)');
    END IF;
    RETURN NEW;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_month_lock_trigger")]

    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
