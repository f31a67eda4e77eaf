from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """Signed evidence in the case file (scans and digitally signed containers) and the
    retention of closed case files. Sits above billing: the attendance sheets it prints come
    from the deliveries, and retention must leave alone what an open invoice still needs."""

    name = "archive"
    verbose_name = _("Case file archive")
    default_auto_field = "django.db.models.BigAutoField"
