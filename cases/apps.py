from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The case file: persons, noticing, eligibility, entry and exit, deadlines and the network."""

    name = "cases"
    verbose_name = _("Case files")
