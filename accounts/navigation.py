"""The navigation bar: which links each role sees. Apps add their entries here."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset


NAV_ITEMS: list[NavItem] = [
    NavItem(
        _("My persons and deadlines"),
        "cases:home",
        frozenset({Role.CASE_MANAGER, Role.COORDINATOR}),
    ),
    NavItem(_("Month end"), "billing:month_end", frozenset({Role.COORDINATOR})),
    NavItem(_("Providers and contracts"), "providers:home", frozenset({Role.COORDINATOR})),
    NavItem(_("Provider register"), "providers:register", frozenset({Role.SKA})),
    NavItem(_("Consolidated invoices"), "billing:invoice_list", frozenset({Role.SKA})),
    NavItem(_("Funding agreements"), "billing:agreement_list", frozenset({Role.SKA})),
    NavItem(_("My persons"), "assessments:my_persons", frozenset({Role.PROVIDER})),
    NavItem(_("My attendance"), "billing:my_attendance", frozenset({Role.PROVIDER})),
    NavItem(_("Attendance sheets"), "archive:attendance", frozenset({Role.PROVIDER})),
    NavItem(_("Reports"), "reporting:home", frozenset({Role.SKA, Role.COORDINATOR})),
    NavItem(_("Municipalities by month"), "reporting:months", frozenset({Role.SKA})),
    NavItem(_("Administration"), "admin:index", frozenset({Role.ADMIN})),
]


def items_for(user, current_path: str = "") -> list[dict]:
    if not (user and user.is_authenticated):
        return []
    items = []
    for item in NAV_ITEMS:
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": False})
    # The current page belongs to the link with the longest matching address
    # (/reports/months/ is "Municipalities by month", not also "Reports").
    matching = [i for i in items if current_path.startswith(i["url"])]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    return items
