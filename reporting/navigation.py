"""Reporting's menu entries and SKA's start page (see ``tugi.navigation``)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from tugi import navigation, sections

from . import selectors

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
