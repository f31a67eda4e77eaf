from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Support-needs assessments, action and support plans, personal budgets and quality of life."""

    name = "assessments"
    verbose_name = _("Assessments and plans")
