"""What the case documents print: the context of each template, read from the case file
and (sections B and B1 of the case documentation form) from the person's plans."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cases import deadlines
from cases.models import Case, InitialDecision, NetworkMeeting, NetworkMember


def plan_sections(case: Case) -> dict:
    """Sections B and B1 of the case documentation form for ``case``: the latest agreed
    plan version with its goals and activities, and every review of the case's plans.

    Shape of a plan: ``{"title", "date", "problems", "resources", "obstacles", "rows":
    [{"goal", "activity", "schedule", "provider"}]}``; of a review: ``{"kind", "period",
    "number", "assessment", "recommendations", "date"}``."""
    from assessments.models import Plan, PlanReview, PlanStatus

    plan = (
        Plan.objects.filter(case=case, status=PlanStatus.AGREED)
        .select_related("assessment")
        .prefetch_related("goals__activities", "goals__domain")
        .order_by("-version")
        .first()
    )
    plans = []
    if plan is not None:
        rows = []
        for goal in plan.goals.all():
            activities = list(goal.activities.all()) or [None]
            for activity in activities:
                rows.append(
                    {
                        "goal": goal.text,
                        "activity": activity.text if activity else "",
                        "schedule": activity.schedule if activity else "",
                        "provider": activity.responsible if activity else "",
                    }
                )
        plans.append(
            {
                "title": f"{capfirst(plan.get_kind_display())} ({_('version')} {plan.version})",
                "date": plan.agreed_on,
                "problems": plan.assessment.summary if plan.assessment_id else "",
                "resources": plan.resources,
                "obstacles": plan.obstacles,
                "rows": rows,
            }
        )
    reviews = [
        {
            "kind": review.get_kind_display(),
            "period": f"{review.period_start:%d.%m.%Y}–{review.period_end:%d.%m.%Y}",
            "number": review.sequence,
            "assessment": review.overall,
            "recommendations": review.recommendations,
            "date": review.reviewed_on,
        }
        for review in PlanReview.objects.filter(plan__case=case).order_by("reviewed_on", "sequence")
    ]
    return {"plans": plans, "reviews": reviews}


def signatures_person_and_manager(case: Case) -> list[dict]:
    """The two signature lines most forms end with: the person (or representative), the case
    manager."""
    return [
        {"role": _("Person or legal representative"), "name": str(case.person)},
        {"role": _("Case manager"), "name": str(case.case_manager)},
    ]


def consent_signatures(case: Case, entry) -> list[dict]:
    """A2's signature lines: whoever signed the consent (the person or the representative)."""
    if entry is None:
        return signatures_person_and_manager(case)
    return [
        {"role": capfirst(entry.get_consent_signed_by_display()), "name": entry.signer_name},
        {"role": _("Case manager"), "name": str(case.case_manager)},
    ]


def meeting_signatures(case: Case, context: dict) -> list[dict]:
    """The minutes are signed by their writer and by everyone who took part."""
    people = context["attended"] or context["invitees"]
    return [{"role": _("Minutes written by"), "name": str(case.case_manager)}] + [
        {"role": _("Participant"), "name": invitee.name} for invitee in people
    ]


def header(case: Case, *, title: str, today: date | None = None) -> dict:
    """The facts at the top of every case document (base_document.html's slots)."""
    return {
        "title": title,
        "municipality": case.municipality.name,
        "case_number": case.number,
        "person": str(case.person),
        "document_date": today or timezone.localdate(),
        "filled_by": str(case.case_manager),
    }


def meeting_context(meeting: NetworkMeeting) -> dict:
    """One network meeting: plan (D1), invitations (D2) and minutes (D3)."""
    invitees = list(meeting.invitees.select_related("member"))
    return {
        "meeting": meeting,
        "invitees": invitees,
        "attended": [i for i in invitees if i.attended],
        "absent": [i for i in invitees if not i.attended],
        "agenda_items": list(meeting.agenda_items.all()),
        "agenda_lines": [line.strip() for line in meeting.agenda.splitlines() if line.strip()],
        "decisions": list(meeting.decisions.all()),
        "tasks": list(meeting.preparation_tasks.all()),
    }


def case_form_context(case: Case, *, today: date | None = None) -> dict:
    """Everything the case documentation form (handbook A–D) prints about ``case``."""
    today = today or timezone.localdate()
    person = case.person
    network = list(case.network.all())
    meetings = case.meetings.order_by("starts_at", "pk")
    open_deadlines = deadlines.deadlines_for(Case.objects.filter(pk=case.pk), today)
    entry = getattr(case, "entry_questionnaire", None)
    return {
        **header(case, title=_("Case documentation form"), today=today),
        "case": case,
        "subject": person,
        "relatives": list(case.relatives.all()),
        "noticing": getattr(case, "noticing", None),
        "checks": list(case.eligibility_checks.select_related("checked_by").order_by("checked_at")),
        "entry": entry,
        "exit": getattr(case, "exit_questionnaire", None),
        "informal": [m for m in network if m.kind == NetworkMember.Kind.INFORMAL],
        "formal": [m for m in network if m.kind == NetworkMember.Kind.FORMAL],
        "planned": open_deadlines,
        "activities": list(case.activities.order_by("on", "pk")),
        "initial_information": list(case.initial_information.all()),
        "initial_actions": list(case.initial_actions.all()),
        "initial_decisions": [
            {"label": label, "chosen": value == case.initial_decision}
            for value, label in InitialDecision.choices
        ],
        "action_plan": list(case.action_plan.all()),
        "meetings": [meeting_context(meeting) for meeting in meetings],
        **plan_sections(case),
        "signatures": signatures_person_and_manager(case),
        "consent_signatures": consent_signatures(case, entry),
    }


def load_case(case_id: int) -> Case:
    """The case with what every document prints about it in one query."""
    return Case.objects.select_related("person", "municipality", "case_manager").get(pk=case_id)
