"""Billing's menu entries and the start pages it provides (see ``tugi.navigation``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from tugi import navigation, sections

from . import dashboards

navigation.add(_("Month end"), "billing:month_end", roles={Role.COORDINATOR}, order=20)
navigation.add(_("Consolidated invoices"), "billing:invoice_list", roles={Role.SKA}, order=40)
navigation.add(_("Funding agreements"), "billing:agreement_list", roles={Role.SKA}, order=50)
navigation.add(_("My attendance"), "billing:my_attendance", roles={Role.PROVIDER}, order=20)
navigation.start_page(Role.COORDINATOR, "billing:month_end")
navigation.add(_("This week"), "billing:specialist_home", roles={Role.PROVIDER}, order=5)
navigation.start_page(Role.PROVIDER, "billing:specialist_home")


# The case file's budget by month (the case file's view gathers it; see ``tugi.sections``).
# ``case`` has already been scoped by the case file's view.
sections.add(
    "cases:case_detail",
    "budget",
    template="billing/_case_budget.html",
    context=lambda request, case: {"budget": dashboards.case_budget_chart(case=case, today=timezone.localdate())},
    slot="summary",
    order=20,
)
