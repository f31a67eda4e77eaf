"""Generated reports and documents (XLSX, PDF) as Celery jobs, schedules and SKA downloads."""

import importlib
import pkgutil

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Generated reports and documents (XLSX, PDF) as Celery jobs, schedules and SKA downloads."""

    name = "reporting"
    verbose_name = _("Reports and documents")

    def ready(self) -> None:
        # Every module in reporting/kinds/ registers its report kinds on import.
        from . import checks, kinds  # noqa: F401  (checks register themselves)

        for module in pkgutil.iter_modules(kinds.__path__):
            importlib.import_module(f"{kinds.__name__}.{module.name}")

        from billing.signals import month_closed

        from .receivers import month_closed as on_month_closed

        month_closed.connect(on_month_closed, dispatch_uid="reporting.month_closed")
