"""PDF documents from the assessments app: a support-needs assessment, and an action or
support plan with its goals, components and budget. Requested from the assessment's and the
plan's pages (``reporting/_record_documents.html``)."""

from __future__ import annotations

from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Municipality, Role
from reporting.registry import report_kind
from reporting.subjects import LOADERS
from tugi.documents import render_pdf
from tugi.money import ZERO

PLAN_DOCUMENT_ROLES = frozenset({Role.CASE_MANAGER, Role.COORDINATOR})


def _assessment(user, pk) -> tuple[Model, Municipality]:
    from assessments.selectors import assessment_for

    assessment = assessment_for(user, pk)
    return assessment, assessment.case.municipality


def _plan(user, pk) -> tuple[Model, Municipality]:
    from assessments.selectors import plan_for

    plan = plan_for(user, pk)
    return plan, plan.case.municipality


# The request view fetches a document's record through these (scoped: 404 for another KOV).
LOADERS.setdefault("assessments.Assessment", _assessment)
LOADERS.setdefault("assessments.Plan", _plan)


def _case_facts(case) -> dict:
    return {
        "municipality": case.municipality.name,
        "case_number": case.number,
        "person": f"{case.person} ({case.person.isikukood or _('no personal identification code')})",
    }


@report_kind(
    "assessment_pdf",
    label=gettext_lazy("Support-needs assessment (PDF)"),
    extension="pdf",
    roles=PLAN_DOCUMENT_ROLES,
    scope="subject",
    subject_model="assessments.Assessment",
)
def assessment_pdf(job, *, out, progress) -> str:
    from assessments.selectors import assessment_rows

    with translation.override("et"):
        assessment = job.subject
        case = assessment.case
        progress(20, _("Reading the assessment"))
        out.write(
            render_pdf(
                "documents/assessment.html",
                {
                    **_case_facts(case),
                    "title": _("Support-needs assessment"),
                    "document_date": assessment.assessed_on,
                    "assessment": assessment,
                    "rows": assessment_rows(assessment),
                    "signatures": [
                        {"role": _("Person or representative"), "name": str(case.person)},
                        {"role": _("Assessor"), "name": assessment.assessor.get_full_name()},
                    ],
                },
            )
        )
    return f"hindamine-{case.number}-{assessment.assessed_on:%Y-%m-%d}.pdf"


@report_kind(
    "plan_pdf",
    label=gettext_lazy("Action or support plan with budget (PDF)"),
    extension="pdf",
    roles=PLAN_DOCUMENT_ROLES,
    scope="subject",
    subject_model="assessments.Plan",
)
def plan_pdf(job, *, out, progress) -> str:
    from assessments.selectors import budget_months, line_monthly_cost

    with translation.override("et"):
        plan = job.subject
        case = plan.case
        progress(20, _("Reading the plan"))
        lines = [
            (line, line_monthly_cost(line))
            for line in plan.lines.select_related("component", "provider").order_by(
                "component__code", "valid_from"
            )
        ]
        budget = budget_months(case=case, start=plan.valid_from, months=12, plan=plan)
        out.write(
            render_pdf(
                "documents/plan.html",
                {
                    **_case_facts(case),
                    "title": f"{plan.get_kind_display().capitalize()} v{plan.version}",
                    "document_date": plan.agreed_on or plan.valid_from,
                    "plan": plan,
                    "goals": plan.goals.select_related("domain").prefetch_related(
                        "subgoals", "activities"
                    ),
                    "lines": lines,
                    "lines_total": sum((cost for _line, cost in lines), start=ZERO),
                    "budget": budget,
                    "budget_total": sum((month.amount for month in budget), start=ZERO),
                    "signatures": [
                        {"role": _("Person or representative"), "name": str(case.person)},
                        {"role": _("Made by"), "name": plan.made_by.get_full_name()},
                    ],
                },
            )
        )
    return f"{'tegevusplaan' if plan.kind == 'action' else 'toetusplaan'}-{case.number}-v{plan.version}.pdf"
