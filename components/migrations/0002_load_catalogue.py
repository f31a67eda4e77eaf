from django.db import migrations


def load(apps, schema_editor):
    from components import catalogue

    catalogue.load(apps.get_model("components", "Component"))


class Migration(migrations.Migration):
    dependencies = [("components", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
