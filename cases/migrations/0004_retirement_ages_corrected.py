"""Retirement ages by year of birth as the state pension insurance act gives them
(riikliku pensionikindlustuse seadus § 7): 1954 63 y 3 m, rising by three months a year
to 64 y 9 m for 1960, and 65 y for those born in 1961 and later. 0002 had every row six
months too high."""

from django.db import migrations

BIRTH_YEAR = [
    (1954, 63, 3),
    (1955, 63, 6),
    (1956, 63, 9),
    (1957, 64, 0),
    (1958, 64, 3),
    (1959, 64, 6),
    (1960, 64, 9),
    (1961, 65, 0),
]
WRONG = [(1954, 63, 9), (1955, 64, 0), (1956, 64, 3), (1957, 64, 6), (1958, 64, 9), (1959, 65, 0)]


def _set(apps, rows, keep):
    RetirementAge = apps.get_model("cases", "RetirementAge")
    years = {year for year, _years, _months in rows}
    RetirementAge.objects.filter(basis="birth_year").exclude(year__in=years | keep).delete()
    for year, years_, months in rows:
        RetirementAge.objects.update_or_create(
            basis="birth_year", year=year, defaults={"years": years_, "months": months}
        )


def correct(apps, schema_editor):
    _set(apps, BIRTH_YEAR, keep=set())


def restore(apps, schema_editor):
    _set(apps, WRONG, keep=set())


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_person_search_indexes")]

    operations = [migrations.RunPython(correct, restore)]
