"""The case files' menu entry, the case manager's start page, and where the case-file steps of
its task list are done (see ``tugi.navigation``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from tugi import navigation

from .deadlines import Kind

navigation.add(
    _("My persons and deadlines"), "cases:home", roles={Role.CASE_MANAGER, Role.COORDINATOR}, order=10
)
navigation.start_page(Role.CASE_MANAGER, "cases:home")

# A noticed person: the eligibility check, which leads on to the entry questionnaire.
navigation.task_link(Kind.NOTICED, lambda case: reverse("cases:eligibility", args=[case.pk]))
