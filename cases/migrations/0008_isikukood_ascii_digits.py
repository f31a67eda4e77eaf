"""Isikukood as 11 ASCII digits: mend stored codes typed with look-alike digits (full-width
and the like) or with spaces, then let the database refuse any other form.

A mended code that another person already has is the same person entered twice (the hole
this closes); the migration stops and names both so that an administrator merges them,
rather than guessing which record is right."""

import unicodedata

from django.db import migrations, models


def normalise(value):
    # A copy of cases.isikukood.normalise_isikukood as it is today (migrations do not import app code).
    out = []
    for char in value:
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            out.append(str(digit))
        elif char.isspace() or unicodedata.category(char) == "Cf":
            continue
        else:
            out.append(char)
    return "".join(out)


def mend_codes(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    for person in Person.objects.filter(isikukood__isnull=False).exclude(isikukood__regex=r"^[0-9]{11}$"):
        code = normalise(person.isikukood) or None
        twin = Person.objects.filter(isikukood=code).exclude(pk=person.pk).first() if code else None
        if twin is not None:
            raise RuntimeError(
                f"Persons {person.pk} and {twin.pk} have the same personal identification code once "
                f"look-alike digits are mended; merge them before migrating."
            )
        person.isikukood = code
        person.save(update_fields=["isikukood"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0007_handbook_forms_a_c_d"),
    ]

    operations = [
        migrations.RunPython(mend_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(
                condition=models.Q(("isikukood__isnull", True), ("isikukood__regex", "^[0-9]{11}$"), _connector="OR"),
                name="person_code_is_11_ascii_digits",
                violation_error_message="The personal identification code has exactly 11 digits.",
            ),
        ),
    ]
