from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Generated reports and documents (XLSX, PDF) as Celery jobs, schedules and SKA downloads."""

    name = "reporting"
    verbose_name = _("Reports and documents")
