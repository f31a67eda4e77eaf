"""Deadlines of open case files, computed from the dates on record and never typed in.

Rules (DOMAIN.md section 1):
- assessment: 30 calendar days after entry, until an assessment is recorded;
- plan: 30 days after the latest assessment, until a plan dated on or after it is recorded;
- reassessment: 12 months after the latest assessment or review;
- quality-of-life survey: at entry (due with the assessment, entry + 30 days) and after
  12 months (a survey from 11 months on counts); the exit survey is part of the exit
  questionnaire;
- network-meeting decisions with a deadline, until marked done.
An exited case has no open deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import DateField, Exists, F, Func, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tugi.workdays import add_months

from .models import Case, CaseState, Decision

ASSESSMENT_DAYS = 30
PLAN_DAYS = 30
REASSESSMENT_MONTHS = 12
QOL_YEAR_MONTHS = 12
QOL_YEAR_WINDOW_MONTHS = 11
SOON_DAYS = 14


class Kind:
    ASSESSMENT = "assessment"
    PLAN = "plan"
    REASSESSMENT = "reassessment"
    QOL_ENTRY = "qol_entry"
    QOL_YEAR = "qol_year"
    DECISION = "decision"


LABELS = {
    Kind.ASSESSMENT: _("Support-needs assessment"),
    Kind.PLAN: _("Action plan"),
    Kind.REASSESSMENT: _("Reassessment"),
    Kind.QOL_ENTRY: _("Quality-of-life survey at entry"),
    Kind.QOL_YEAR: _("Quality-of-life survey after 12 months"),
    Kind.DECISION: _("Network meeting decision"),
}


@dataclass(frozen=True)
class Deadline:
    kind: str
    case: Case
    due: date
    overdue: bool
    meeting_id: int | None = None
    detail: str = ""

    @property
    def label(self):
        return LABELS[self.kind]

    @property
    def url(self) -> str:
        """Where the deadline is dealt with; worked out only for the deadlines a page shows (a
        municipality has thousands, and a page shows 50)."""
        if self.meeting_id is not None:
            return reverse("cases:meeting_detail", kwargs={"pk": self.case.pk, "meeting_pk": self.meeting_id})
        return reverse("cases:case_detail", kwargs={"pk": self.case.pk})


def _case_deadlines(case: Case) -> list[tuple[str, date]]:
    if case.state == CaseState.EXITED or case.entry_date is None:
        return []
    due = []
    if case.latest_assessment_date is None:
        due.append((Kind.ASSESSMENT, case.entry_date + timedelta(days=ASSESSMENT_DAYS)))
    else:
        if case.latest_plan_date is None or case.latest_plan_date < case.latest_assessment_date:
            due.append((Kind.PLAN, case.latest_assessment_date + timedelta(days=PLAN_DAYS)))
        last = max(filter(None, [case.latest_assessment_date, case.latest_review_date]))
        due.append((Kind.REASSESSMENT, add_months(last, REASSESSMENT_MONTHS)))
    if case.latest_qol_survey_date is None:
        due.append((Kind.QOL_ENTRY, case.entry_date + timedelta(days=ASSESSMENT_DAYS)))
    elif case.latest_qol_survey_date < add_months(case.entry_date, QOL_YEAR_WINDOW_MONTHS):
        due.append((Kind.QOL_YEAR, add_months(case.entry_date, QOL_YEAR_MONTHS)))
    return due


def deadlines_for(cases_qs: QuerySet[Case], today: date) -> list[Deadline]:
    """Every open deadline of the given cases, earliest first. Two queries."""
    cases = list(cases_qs.exclude(state=CaseState.EXITED).select_related("person", "case_manager"))
    by_pk = {case.pk: case for case in cases}
    result = []
    for case in cases:
        for kind, due in _case_deadlines(case):
            result.append(Deadline(kind, case, due, due < today))
    decisions = Decision.objects.filter(
        meeting__case__in=list(by_pk), done_on__isnull=True, deadline__isnull=False
    ).select_related("meeting")
    for decision in decisions:
        case = by_pk[decision.meeting.case_id]
        result.append(
            Deadline(
                Kind.DECISION,
                case,
                decision.deadline,
                decision.deadline < today,
                decision.meeting_id,
                decision.text,
            )
        )
    result.sort(key=lambda d: (d.due, d.case.person.last_name, d.kind))
    return result


def urgent(deadlines: list[Deadline], today: date) -> list[Deadline]:
    """Overdue first, then those due within 14 days."""
    horizon = today + timedelta(days=SOON_DAYS)
    return [d for d in deadlines if d.overdue] + [
        d for d in deadlines if not d.overdue and d.due <= horizon
    ]


def next_deadline(case: Case, today: date) -> Deadline | None:
    """The earliest deadline of one case from its own fields (no queries; decisions not included)."""
    dates = sorted(_case_deadlines(case), key=lambda kd: kd[1])
    if not dates:
        return None
    kind, due = dates[0]
    return Deadline(kind, case, due, due < today)


class _PlusMonths(Func):
    """date + n months in PostgreSQL, clamped to the month's end like tugi.workdays.add_months."""

    output_field = DateField()

    def __init__(self, expression, *, months: int):
        super().__init__(
            expression, template=f"(%(expressions)s + interval '{int(months)} months')::date"
        )


def overdue_q(today: date) -> Q:
    """The same rules as a database filter, for the persons list's "overdue" filter."""
    open_entered = ~Q(state=CaseState.EXITED) & Q(entry_date__isnull=False)
    assessment = Q(
        latest_assessment_date__isnull=True, entry_date__lt=today - timedelta(days=ASSESSMENT_DAYS)
    )
    plan = Q(latest_assessment_date__lt=today - timedelta(days=PLAN_DAYS)) & (
        Q(latest_plan_date__isnull=True) | Q(latest_plan_date__lt=F("latest_assessment_date"))
    )
    year_ago = add_months(today, -REASSESSMENT_MONTHS)
    reassessment = Q(latest_assessment_date__lt=year_ago) & (
        Q(latest_review_date__isnull=True) | Q(latest_review_date__lt=year_ago)
    )
    qol_entry = Q(
        latest_qol_survey_date__isnull=True, entry_date__lt=today - timedelta(days=ASSESSMENT_DAYS)
    )
    qol_year = Q(entry_date__lt=add_months(today, -QOL_YEAR_MONTHS)) & Q(
        latest_qol_survey_date__lt=_PlusMonths(F("entry_date"), months=QOL_YEAR_WINDOW_MONTHS)
    )
    decision = Exists(
        Decision.objects.filter(
            meeting__case=OuterRef("pk"), done_on__isnull=True, deadline__lt=today
        )
    )
    return (open_entered & (assessment | plan | reassessment | qol_entry | qol_year)) | (
        ~Q(state=CaseState.EXITED) & Q(decision)
    )
