import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Provider specialists are bound to one provider (the providers app's seam)."""

    dependencies = [
        ("accounts", "0001_initial"),
        ("providers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaluser",
            name="provider",
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="The provider a provider specialist works for.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="providers.provider", verbose_name="provider"),
        ),
        migrations.AddField(
            model_name="user",
            name="provider",
            field=models.ForeignKey(blank=True, help_text="The provider a provider specialist works for.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="users", to="providers.provider", verbose_name="provider"),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("provider__isnull", False), ("role", "provider")), models.Q(models.Q(("role", "provider"), _negated=True), ("provider__isnull", True)), _connector="OR"), name="provider_specialists_bound_to_one_provider", violation_error_message="A provider specialist works for exactly one provider; other roles for none."),
        ),
    ]
