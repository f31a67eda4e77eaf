"""The pages where the case manager takes the assessments app's steps of a case (the case file's
next-step button and the case manager's task list; the rule of which step is next lives in
``cases/deadlines.py``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.deadlines import QOL_KINDS, Action, Kind, Step, register_action

from .models import AssessmentStatus, PlanStatus


def _assess(step: Step) -> Action:
    """Go on with the draft assessment, or start one (a post: it creates the draft)."""
    draft = step.case.assessments.filter(status=AssessmentStatus.DRAFT).only("pk").first()
    if draft is not None:
        return Action(reverse("assessments:assessment_edit", kwargs={"pk": draft.pk}))
    return Action(reverse("assessments:assessment_start", kwargs={"pk": step.case.pk}), post=True)


def _link(step: Step) -> Action:
    return Action(reverse("assessments:link_provider", kwargs={"pk": step.case.pk}))


def _plan(step: Step) -> Action:
    """The base-support specialist makes the plan: the case manager reads the draft, or sees on the
    case file who makes it."""
    draft = step.case.plans.filter(status=PlanStatus.DRAFT).only("pk").order_by("-version").first()
    if draft is not None:
        return Action(reverse("assessments:plan_detail", kwargs={"pk": draft.pk}), label=_("Read the plan draft"))
    return Action(
        reverse("cases:case_detail", kwargs={"pk": step.case.pk}) + "#plan",
        label=_("See who makes the plan"),
    )


def _survey(step: Step) -> Action:
    occasion, respondent = next(key for key, kind in QOL_KINDS.items() if kind == step.kind)
    query = urlencode({"occasion": occasion, "respondent": respondent})
    return Action(f"{reverse('assessments:survey_add', kwargs={'pk': step.case.pk})}?{query}")


def register() -> None:
    register_action(Kind.ASSESSMENT, Kind.REASSESSMENT, resolve=_assess)
    register_action(Kind.BASE_LINK, resolve=_link)
    register_action(Kind.PLAN, resolve=_plan)
    register_action(*QOL_KINDS.values(), resolve=_survey)
