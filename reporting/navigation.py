"""Reporting's menu entries and SKA's start page (see ``tugi.navigation``)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from tugi import navigation, sections

from . import months, selectors

navigation.add(_("Reports"), "reporting:home", roles={Role.SKA, Role.COORDINATOR}, order=90)
navigation.add(_("Municipalities by month"), "reporting:months", roles={Role.SKA}, order=95)
# A case manager generates the reports her role may (STAR export, attendance sheets of a
# month) on the reports page; the link shows only while some kind is open to her.
navigation.add(
    _("Reports"),
    "reporting:jobs",
    roles={Role.CASE_MANAGER},
    order=90,
    visible=lambda user: bool(selectors.kinds_for(user)),
)
navigation.start_page(Role.SKA, "reporting:home")


# ---------------------------------------------------------------- sections of other apps' pages
# (the pages' views gather the data through these; see ``tugi.sections``)

sections.add(
    "cases:case_detail",
    "documents",
    template="reporting/_case_documents.html",
    context=lambda request, case: {"documents": selectors.case_documents(request.user, case)},
    slot="documents",
)

sections.add(
    "billing:month_submission",
    "invoice_files",
    template="reporting/_invoice_files.html",
    context=lambda request, invoice, **page: (
        None if invoice is None else {"rows": months.invoice_documents(request.user, invoice)}
    ),
    order=10,
)
sections.add(
    "billing:month_submission",
    "month_documents",
    template="reporting/_month_documents.html",
    context=lambda request, municipality, month, **page: {
        "rows": months.month_documents(request.user, municipality, month) if municipality else []
    },
    order=20,
)
sections.add(
    "billing:invoice_detail",
    "invoice_files",
    template="reporting/_invoice_files.html",
    context=lambda request, invoice: {"rows": months.invoice_documents(request.user, invoice)},
)
sections.add(
    "billing:month_end",
    "reminders",
    template="reporting/_reminders.html",
    context=lambda request, **page: {"reminders": months.recent_reminders(request.user)},
)
for _page in ("assessments:assessment_detail", "assessments:plan_detail"):
    sections.add(
        _page,
        "documents",
        template="reporting/_record_documents.html",
        context=lambda request, record: {"record": record, "rows": months.record_documents(request.user, record)},
    )
