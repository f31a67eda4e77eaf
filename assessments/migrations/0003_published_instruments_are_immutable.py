"""PostgreSQL refuses any change to a published instrument version, its domains and its
scale (the models refuse it too, with a friendlier message); then version 1 is loaded."""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION assessments_refuse_published_change() RETURNS trigger AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_TABLE_NAME = 'assessments_instrument' THEN
        IF OLD.published_on IS NOT NULL THEN
            RAISE EXCEPTION 'published instrument version % cannot be changed', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSE
        IF TG_OP = 'INSERT' THEN
            ids := ARRAY[NEW.instrument_id];
        ELSIF TG_OP = 'UPDATE' THEN
            ids := ARRAY[OLD.instrument_id, NEW.instrument_id];
        ELSE
            ids := ARRAY[OLD.instrument_id];
        END IF;
        IF EXISTS (SELECT 1 FROM assessments_instrument
                   WHERE id = ANY(ids) AND published_on IS NOT NULL) THEN
            RAISE EXCEPTION 'published instrument version cannot be changed'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER instrument_published_is_immutable
    BEFORE UPDATE OR DELETE ON assessments_instrument
    FOR EACH ROW EXECUTE FUNCTION assessments_refuse_published_change();
CREATE TRIGGER instrument_item_published_is_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON assessments_instrumentitem
    FOR EACH ROW EXECUTE FUNCTION assessments_refuse_published_change();
CREATE TRIGGER scale_level_published_is_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON assessments_scalelevel
    FOR EACH ROW EXECUTE FUNCTION assessments_refuse_published_change();
"""

DROP = """
DROP TRIGGER IF EXISTS instrument_published_is_immutable ON assessments_instrument;
DROP TRIGGER IF EXISTS instrument_item_published_is_immutable ON assessments_instrumentitem;
DROP TRIGGER IF EXISTS scale_level_published_is_immutable ON assessments_scalelevel;
DROP FUNCTION IF EXISTS assessments_refuse_published_change();
"""


def load(apps, schema_editor):
    from assessments import instrument_seed

    instrument_seed.load(
        apps.get_model("assessments", "Instrument"),
        apps.get_model("assessments", "InstrumentItem"),
        apps.get_model("assessments", "ScaleLevel"),
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_instrument_assessments_goals_reviews_qol")]
    operations = [
        migrations.RunSQL(TRIGGER, DROP),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
