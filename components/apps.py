from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComponentsConfig(AppConfig):
    """The service component catalogue (B1–B3, L01–L24): codes, domains, forms and units."""

    name = "components"
    verbose_name = _("Service components")
