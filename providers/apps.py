from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    """Service providers, their specialists, contracts with municipalities and unit prices."""

    name = "providers"
    verbose_name = _("Providers and contracts")
