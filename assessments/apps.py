from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Support-needs assessments, action and support plans, personal budgets and quality of life."""

    name = "assessments"
    verbose_name = _("Assessments and plans")

    def ready(self):
        from cases.signals import case_exited

        from .receivers import end_plan_at_exit

        case_exited.connect(end_plan_at_exit, dispatch_uid="assessments.end_plan_at_exit")
