from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Municipalities (KOV), users and their roles, who may see what, and the access log."""

    name = "accounts"
    verbose_name = _("Users and municipalities")

    def ready(self) -> None:
        from tugi import navigation

        from . import checks  # noqa: F401  (registers the system checks)

        # Every app's menu entries and start page (<app>/navigation.py).
        navigation.autodiscover()
