"""The month lock, enforced by PostgreSQL: nothing dated in a locked month of a municipality
may be inserted, changed or deleted, whatever path the change takes (views, import, admin,
raw SQL). The same trigger fills in a delivery's ``slot`` for the overlap constraint."""

from django.db import migrations

LOCKED = "'closed', 'submitted', 'returned', 'accepted'"

SQL = f"""
CREATE FUNCTION billing_month_is_locked(kov bigint, day date) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM billing_billingmonth
        WHERE municipality_id = kov AND month = date_trunc('month', day)::date
          AND state IN ({LOCKED})
    )
$$;

CREATE FUNCTION billing_refuse_locked(kov bigint, day date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF billing_month_is_locked(kov, day) THEN
        RAISE EXCEPTION 'billing month % is locked', to_char(day, 'MM.YYYY')
            USING ERRCODE = 'TU423', DETAIL = to_char(day, 'YYYY-MM-DD');
    END IF;
END $$;

CREATE FUNCTION billing_delivery_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM billing_refuse_locked(OLD.municipality_id, OLD.date);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    PERFORM billing_refuse_locked(NEW.municipality_id, NEW.date);
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

CREATE TRIGGER billing_delivery_guard
    BEFORE INSERT OR UPDATE OR DELETE ON billing_delivery
    FOR EACH ROW EXECUTE FUNCTION billing_delivery_guard();

CREATE FUNCTION billing_adjustment_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM billing_refuse_locked(OLD.municipality_id, OLD.month);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    PERFORM billing_refuse_locked(NEW.municipality_id, NEW.month);
    RETURN NEW;
END $$;

CREATE TRIGGER billing_adjustment_guard
    BEFORE INSERT OR UPDATE OR DELETE ON billing_adjustment
    FOR EACH ROW EXECUTE FUNCTION billing_adjustment_guard();
"""

REVERSE = """
DROP TRIGGER IF EXISTS billing_adjustment_guard ON billing_adjustment;
DROP FUNCTION IF EXISTS billing_adjustment_guard();
DROP TRIGGER IF EXISTS billing_delivery_guard ON billing_delivery;
DROP FUNCTION IF EXISTS billing_delivery_guard();
DROP FUNCTION IF EXISTS billing_refuse_locked(bigint, date);
DROP FUNCTION IF EXISTS billing_month_is_locked(bigint, date);
"""


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
