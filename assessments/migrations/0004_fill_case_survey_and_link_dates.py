"""The case file's deadline seam (cases 0005) learns what is already on record: the first
base-support link, and each quality-of-life survey by occasion and respondent."""

from django.db import migrations
from django.db.models import Min


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    BaseProviderLink = apps.get_model("assessments", "BaseProviderLink")
    QolSurvey = apps.get_model("assessments", "QolSurvey")
    first_links = BaseProviderLink.objects.values("case_id").annotate(first=Min("valid_from"))
    for row in first_links:
        Case.objects.filter(pk=row["case_id"]).update(base_linked_on=row["first"])
    for survey in QolSurvey.objects.values("case_id", "occasion", "respondent", "answered_on"):
        field = f"qol_{survey['occasion']}_{survey['respondent']}_on"
        Case.objects.filter(pk=survey["case_id"]).update(**{field: survey["answered_on"]})


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_published_instruments_are_immutable"),
        ("cases", "0005_lifecycle_closed_state_and_survey_deadlines"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
