"""Where the case manager's assessment and plan tasks are done, and the base-support
specialist's menu (see ``tugi.navigation``; the tasks come from ``cases.deadlines``)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from cases.deadlines import QOL_KINDS, Kind
from tugi import navigation, sections

from . import selectors
from .models import AssessmentStatus, PlanStatus

navigation.add(gettext_lazy("My persons"), "assessments:my_persons", roles={Role.PROVIDER}, order=10)


def _plan_side(case) -> str:
    """The case's assessments-and-plans page: the assessment is started there, and the case
    manager reads the plan's state there (the base-support specialist makes the plan)."""
    return reverse("assessments:case", args=[case.pk])


def _plan_notes(cases) -> dict[int, str]:
    """Who makes each plan, and how far it is."""
    notes = {}
    for pk, maker in selectors.plan_makers(cases, timezone.localdate()).items():
        if maker.provider is None:
            notes[pk] = _("The base-support provider makes the plan: link one first.")
            continue
        text = _("Made by the base-support specialist of %(provider)s.") % {"provider": maker.provider}
        if maker.draft_since:
            text += " " + _("Draft begun on %(date)s.") % {"date": date_format(maker.draft_since, "d.m.Y")}
        else:
            text += " " + _("Not begun yet.")
        notes[pk] = text
    return notes


def _survey(occasion: str, respondent: str):
    query = urlencode({"occasion": occasion, "respondent": respondent})
    return lambda case: f"{reverse('assessments:survey_add', args=[case.pk])}?{query}"


def _assess(case) -> navigation.Action:
    """The case file's button: go on with the draft assessment, or start one (a post: it
    creates the draft)."""
    draft = case.assessments.filter(status=AssessmentStatus.DRAFT).only("pk").first()
    if draft is not None:
        return navigation.Action(reverse("assessments:assessment_edit", kwargs={"pk": draft.pk}))
    return navigation.Action(reverse("assessments:assessment_start", kwargs={"pk": case.pk}), post=True)


def _read_plan(case) -> navigation.Action:
    """The base-support specialist makes the plan: the case manager reads the draft, or sees on
    the case file who makes it."""
    draft = case.plans.filter(status=PlanStatus.DRAFT).only("pk").order_by("-version").first()
    if draft is not None:
        return navigation.Action(reverse("assessments:plan_detail", kwargs={"pk": draft.pk}), label=_("Read the plan draft"))
    return navigation.Action(
        reverse("cases:case_detail", kwargs={"pk": case.pk}) + "#plan", label=_("See who makes the plan")
    )


navigation.task_link(Kind.ASSESSMENT, _plan_side, action=_assess)
navigation.task_link(Kind.REASSESSMENT, _plan_side, action=_assess)
navigation.task_link(Kind.PLAN, _plan_side, notes=_plan_notes, action=_read_plan)
navigation.task_link(Kind.BASE_LINK, lambda case: reverse("assessments:link_provider", args=[case.pk]))
for (occasion, respondent), kind in QOL_KINDS.items():
    navigation.task_link(kind, _survey(occasion, respondent))


# The case file's section on assessments, plans and the personal budget (the case file's view
# gathers its data here; see ``tugi.sections``).
sections.add(
    "cases:case_detail",
    "assessments",
    template="assessments/_case_section.html",
    context=lambda request, case: {"ps": selectors.plan_summary(case), "qol": selectors.qol_change_chart(case)},
    slot="summary",
    order=10,
)
