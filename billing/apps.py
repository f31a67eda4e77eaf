from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Attendance, the month-end close, the consolidated invoice to SKA and its review."""

    name = "billing"
    verbose_name = _("Attendance and month end")
