"""Retirement ages (pensioniiga) as reference data; an administrator keeps them current.

By year of birth (the rule until 2026): 1954 63 y 9 m rising by three months a year to
65 y for those born in 1959 and later. By calendar year (the rule from 2026 on):
2026 65 y, 2027 65 y 1 m, 2028 65 y 3 m (as proposed)."""

from django.db import migrations

BIRTH_YEAR = [(1954, 63, 9), (1955, 64, 0), (1956, 64, 3), (1957, 64, 6), (1958, 64, 9), (1959, 65, 0)]
CALENDAR_YEAR = [(2026, 65, 0), (2027, 65, 1), (2028, 65, 3)]


def load(apps, schema_editor):
    RetirementAge = apps.get_model("cases", "RetirementAge")
    for basis, rows in (("birth_year", BIRTH_YEAR), ("calendar_year", CALENDAR_YEAR)):
        for year, years, months in rows:
            RetirementAge.objects.update_or_create(
                basis=basis, year=year, defaults={"years": years, "months": months}
            )


def unload(apps, schema_editor):
    apps.get_model("cases", "RetirementAge").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
