from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Attendance, the month-end close, the consolidated invoice to SKA and its review."""

    name = "billing"
    verbose_name = _("Attendance and month end")

    def ready(self) -> None:
        from providers import selectors as provider_selectors
        from providers.signals import prices_changed

        from .selectors import contract_invoiced
        from .services import on_prices_changed

        prices_changed.connect(on_prices_changed, dispatch_uid="billing.reprice")

        if contract_invoiced not in provider_selectors.USAGE_SOURCES:
            provider_selectors.USAGE_SOURCES.append(contract_invoiced)
