"""Deadlines of open case files, computed from the dates on record and never typed in.

Rules (DOMAIN.md section 1):
- assessment: 30 calendar days after entry, until an assessment is recorded;
- plan: 30 days after the latest assessment, until a plan dated on or after it is recorded;
- reassessment: 12 months after the latest assessment or review;
- base-support link: 30 calendar days after entry, until the person is linked with a
  base-support provider (pilot conditions, KOV duty 7);
- quality-of-life survey, each answered by the person AND by the base-support specialist,
  one deadline per respondent: at entry (due with the assessment, entry + 30 days), after
  12 months (entry + 12 months, once that respondent's entry survey is done) and at exit
  (due on the exit date, and open on the exited case until done);
- network-meeting decisions with a deadline, until marked done.
An exited case has no open deadlines but its exit surveys; a closed one (did not enter) none.

The start page's task list (:func:`tasks_for`) is these deadlines plus the persons only
noticed, who await the decision whether they enter (no deadline: DOMAIN.md sets none).
Where each task is done is registered by the app that does it (``tugi.navigation.task_link``):
cases knows its own pages only.
The case's *next step* (:func:`next_step`) is read from the same deadlines: the step the case
manager takes next, for the case file's primary button; its page comes from the same registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet, prefetch_related_objects
from django.db.models.base import ModelState
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tugi import navigation
from tugi.workdays import add_months

from .models import ENDED_STATES, QOL_FIELDS, QOL_RESPONDENTS, Case, CaseState, Decision

OPEN_STATES = [state for state in CaseState.values if state not in ENDED_STATES]

ASSESSMENT_DAYS = 30
PLAN_DAYS = 30
REASSESSMENT_MONTHS = 12
BASE_LINK_DAYS = 30
QOL_YEAR_MONTHS = 12
SOON_DAYS = 14


class Kind:
    ASSESSMENT = "assessment"
    PLAN = "plan"
    REASSESSMENT = "reassessment"
    BASE_LINK = "base_link"
    QOL_ENTRY_PERSON = "qol_entry_person"
    QOL_ENTRY_SPECIALIST = "qol_entry_specialist"
    QOL_YEAR_PERSON = "qol_year_person"
    QOL_YEAR_SPECIALIST = "qol_year_specialist"
    QOL_EXIT_PERSON = "qol_exit_person"
    QOL_EXIT_SPECIALIST = "qol_exit_specialist"
    DECISION = "decision"
    #: Not a deadline: a noticed person waits for the decision on entry (no clock runs yet).
    NOTICED = "noticed"


LABELS = {
    Kind.ASSESSMENT: _("Support-needs assessment"),
    Kind.PLAN: _("Action plan"),
    Kind.REASSESSMENT: _("Reassessment"),
    Kind.BASE_LINK: _("Linking with a base-support provider"),
    Kind.QOL_ENTRY_PERSON: _("Quality-of-life survey at entry: the person"),
    Kind.QOL_ENTRY_SPECIALIST: _("Quality-of-life survey at entry: base-support specialist"),
    Kind.QOL_YEAR_PERSON: _("Quality-of-life survey after 12 months: the person"),
    Kind.QOL_YEAR_SPECIALIST: _(
        "Quality-of-life survey after 12 months: base-support specialist"
    ),
    Kind.QOL_EXIT_PERSON: _("Quality-of-life survey at exit: the person"),
    Kind.QOL_EXIT_SPECIALIST: _("Quality-of-life survey at exit: base-support specialist"),
    Kind.DECISION: _("Network meeting decision"),
    Kind.NOTICED: _("Noticed: decide whether the person enters"),
}

#: The deadline kind of each (occasion, respondent) of the survey; its case field is
#: models.QOL_FIELDS[occasion, respondent], and the kind is named like the field.
QOL_KINDS = {key: field.removesuffix("_on") for key, field in QOL_FIELDS.items()}


@dataclass(frozen=True)
class Deadline:
    kind: str
    case: Case
    due: date | None  # None: a noticed person awaiting the decision, with no deadline
    overdue: bool
    meeting_id: int | None = None
    detail: str = ""

    @property
    def label(self):
        return LABELS[self.kind]

    @property
    def since(self) -> date | None:
        """Since when the step has been waiting: the plan since the assessment it follows, a
        noticed person since the noticing."""
        if self.kind == Kind.PLAN:
            return self.case.latest_assessment_date
        if self.kind == Kind.NOTICED:
            return self.case.noticed_on
        return None

    @property
    def url(self) -> str:
        """Where the deadline is dealt with; worked out only for the deadlines a page shows (a
        municipality has thousands, and a page shows 50). The app that does the step
        registered its page (``<app>/navigation.py``); otherwise the case file."""
        if self.meeting_id is not None:
            return reverse("cases:meeting_detail", kwargs={"pk": self.case.pk, "meeting_pk": self.meeting_id})
        return navigation.task_url(self.kind, self.case, default=_case_file_url)


def _case_file_url(case: Case) -> str:
    return reverse("cases:case_detail", kwargs={"pk": case.pk})


def _case_deadlines(case: Case) -> list[tuple[str, date]]:
    if case.entry_date is None or case.state == CaseState.CLOSED:
        return []
    if case.state == CaseState.EXITED:
        return [
            (QOL_KINDS["exit", who], case.exit_date)
            for who in QOL_RESPONDENTS
            if getattr(case, QOL_FIELDS["exit", who]) is None
        ]
    due = []
    if case.latest_assessment_date is None:
        due.append((Kind.ASSESSMENT, case.entry_date + timedelta(days=ASSESSMENT_DAYS)))
    else:
        if case.latest_plan_date is None or case.latest_plan_date < case.latest_assessment_date:
            due.append((Kind.PLAN, case.latest_assessment_date + timedelta(days=PLAN_DAYS)))
        last = max(filter(None, [case.latest_assessment_date, case.latest_review_date]))
        due.append((Kind.REASSESSMENT, add_months(last, REASSESSMENT_MONTHS)))
    if case.base_linked_on is None:
        due.append((Kind.BASE_LINK, case.entry_date + timedelta(days=BASE_LINK_DAYS)))
    for who in QOL_RESPONDENTS:
        if getattr(case, QOL_FIELDS["entry", who]) is None:
            due.append((QOL_KINDS["entry", who], case.entry_date + timedelta(days=ASSESSMENT_DAYS)))
        elif getattr(case, QOL_FIELDS["year", who]) is None:
            due.append((QOL_KINDS["year", who], add_months(case.entry_date, QOL_YEAR_MONTHS)))
    return due


#: What :func:`_case_deadlines`, the sort and the deadline tables read of a case file: a list of
#: a whole municipality's deadlines loads only these (a Case with every field, its person and
#: its case manager for each of thousands of case files was most of the start page's time).
DEADLINE_FIELDS = [
    "municipality_id", "person_id", "case_manager_id", "number", "state", "entry_date", "exit_date",
    "latest_assessment_date", "latest_plan_date", "latest_review_date", "base_linked_on", *QOL_FIELDS.values(),
]


def deadlines_for(cases_qs: QuerySet[Case], today: date, *, people: bool = True) -> list[Deadline]:
    """Every open deadline of the given cases, earliest first. Two queries. With ``people``
    (the default) each case comes with its person and case manager; a page that shows a slice
    of many passes ``people=False`` and calls :func:`with_people` on the slice."""
    cases = cases_qs.exclude(state=CaseState.CLOSED).filter(Q(state__in=OPEN_STATES) | _exit_survey_missing())
    cases = cases.annotate(deadline_sort_name=F("person__last_name")).order_by()
    if people:
        return _deadlines_of(list(cases.select_related("person", "case_manager")), today)
    names = ["id", *DEADLINE_FIELDS, "deadline_sort_name"]
    rows = cases.select_related(None).values_list(*names)
    return _deadlines_of([_loaded_case(names, row, rows.db) for row in rows], today)


def _loaded_case(names: list[str], row: tuple, db: str) -> Case:
    """A Case holding only ``names`` (the rest deferred, loaded on first use, as ``.only()``
    leaves them), built without ``Model.__init__``, which visits every field of the model: for
    the thousands of case files of a municipality's deadline list that was most of the list's
    time. Read-only use: it is shown and linked, never saved."""
    case = Case.__new__(Case)
    case.__dict__.update(zip(names, row, strict=True))
    case._state = ModelState()
    case._state.adding, case._state.db = False, db
    return case


def case_deadlines(case: Case, today: date) -> list[Deadline]:
    """:func:`deadlines_for` of one case file already loaded (and scoped) by the page: the
    decisions are the only query."""
    case.deadline_sort_name = ""  # one case: the sort needs no name
    return _deadlines_of([case], today)


def _deadlines_of(cases: list[Case], today: date) -> list[Deadline]:
    by_pk = {case.pk: case for case in cases}
    result = []
    for case in cases:
        for kind, due in _case_deadlines(case):
            result.append(Deadline(kind, case, due, due < today))
    decisions = Decision.objects.filter(
        meeting__case__in=[pk for pk, case in by_pk.items() if case.is_open],
        done_on__isnull=True,
        deadline__isnull=False,
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
    result.sort(key=lambda d: (d.due, d.case.deadline_sort_name, d.kind))
    return result


def with_people(deadlines) -> None:
    """Load the person and the case manager of the deadlines' case files (two queries)."""
    prefetch_related_objects(list({d.case.pk: d.case for d in deadlines}.values()), "person", "case_manager")


def urgent(deadlines: list[Deadline], today: date) -> list[Deadline]:
    """Overdue first, then those due within 14 days."""
    horizon = today + timedelta(days=SOON_DAYS)
    return [d for d in deadlines if d.overdue] + [
        d for d in deadlines if not d.overdue and d.due <= horizon
    ]


def tasks_for(cases_qs: QuerySet[Case], today: date) -> list[Deadline]:
    """The start page's task list: overdue deadlines, then noticed persons awaiting the
    decision whether they enter (oldest noticing first), then deadlines due within 14 days.
    Three queries, whatever the number of cases; the deadlines' case files come without their
    person and case manager: call :func:`with_people` on the page shown."""
    noticed = [
        Deadline(Kind.NOTICED, case, None, False)
        for case in cases_qs.filter(state=CaseState.NOTICED)
        .select_related("person", "case_manager")
        .order_by("noticed_on", "pk")
    ]
    due = urgent(deadlines_for(cases_qs, today, people=False), today)
    overdue = [d for d in due if d.overdue]
    return overdue + noticed + due[len(overdue) :]


def with_notes(tasks: list[Deadline]) -> list[tuple[Deadline, str]]:
    """``[(task, note)]``: what the app doing each kind of step says about it (e.g. who makes
    the plan and how far it is). One call per kind on the list, so give it one page."""
    notes = {
        kind: navigation.task_notes(kind, [t.case for t in tasks if t.kind == kind])
        for kind in {t.kind for t in tasks}
    }
    return [(t, notes[t.kind].get(t.case.pk, "")) for t in tasks]


def next_deadline(case: Case, today: date) -> Deadline | None:
    """The earliest deadline of one case from its own fields (no queries; decisions not included)."""
    dates = sorted(_case_deadlines(case), key=lambda kd: kd[1])
    if not dates:
        return None
    kind, due = dates[0]
    return Deadline(kind, case, due, due < today)


def _exit_survey_missing() -> Q:
    """An exited case whose exit survey one respondent has not answered."""
    missing = Q()
    for who in QOL_RESPONDENTS:
        missing |= Q(**{f"{QOL_FIELDS['exit', who]}__isnull": True})
    return Q(state=CaseState.EXITED) & missing


def overdue_q(today: date) -> Q:
    """The same rules as a database filter, for the persons list's "overdue" filter."""
    open_entered = Q(state__in=OPEN_STATES) & Q(entry_date__isnull=False)
    entry_due = today - timedelta(days=ASSESSMENT_DAYS)
    assessment = Q(latest_assessment_date__isnull=True, entry_date__lt=entry_due)
    plan = Q(latest_assessment_date__lt=today - timedelta(days=PLAN_DAYS)) & (
        Q(latest_plan_date__isnull=True) | Q(latest_plan_date__lt=F("latest_assessment_date"))
    )
    year_ago = add_months(today, -REASSESSMENT_MONTHS)
    reassessment = Q(latest_assessment_date__lt=year_ago) & (
        Q(latest_review_date__isnull=True) | Q(latest_review_date__lt=year_ago)
    )
    base_link = Q(
        base_linked_on__isnull=True, entry_date__lt=today - timedelta(days=BASE_LINK_DAYS)
    )
    qol = Q()
    for who in QOL_RESPONDENTS:
        entry_field, year_field = QOL_FIELDS["entry", who], QOL_FIELDS["year", who]
        qol |= Q(**{f"{entry_field}__isnull": True, "entry_date__lt": entry_due})
        qol |= Q(
            **{
                f"{entry_field}__isnull": False,
                f"{year_field}__isnull": True,
                "entry_date__lt": add_months(today, -QOL_YEAR_MONTHS),
            }
        )
    exit_surveys = Q(state=CaseState.EXITED, exit_date__lt=today) & _exit_survey_missing()
    decision = Exists(
        Decision.objects.filter(
            meeting__case=OuterRef("pk"), done_on__isnull=True, deadline__lt=today
        )
    )
    return (
        (open_entered & (assessment | plan | reassessment | base_link | qol))
        | exit_surveys
        | (Q(state__in=OPEN_STATES) & Q(decision))
    )


# ---------------------------------------------------------------- the next step


#: What the case manager does for each kind of deadline, as the button says it.
STEP_LABELS = {
    Kind.NOTICED: _("Decide on entry"),
    Kind.ASSESSMENT: _("Assess the support need"),
    Kind.BASE_LINK: _("Link with a base-support provider"),
    Kind.PLAN: _("Follow the plan"),
    Kind.REASSESSMENT: _("Reassess the support need"),
    Kind.QOL_ENTRY_PERSON: _("Record the person's quality-of-life survey at entry"),
    Kind.QOL_ENTRY_SPECIALIST: _("Record the specialist's quality-of-life survey at entry"),
    Kind.QOL_YEAR_PERSON: _("Record the person's quality-of-life survey after 12 months"),
    Kind.QOL_YEAR_SPECIALIST: _("Record the specialist's quality-of-life survey after 12 months"),
    Kind.QOL_EXIT_PERSON: _("Record the person's quality-of-life survey at exit"),
    Kind.QOL_EXIT_SPECIALIST: _("Record the specialist's quality-of-life survey at exit"),
    Kind.DECISION: _("Carry out the network meeting's decision"),
}

#: The order of the case's life: the earlier step comes first whatever its due date
#: (entry decision, assessment, base-support link, plan, entry surveys); the rest by due date.
STEP_ORDER = {
    Kind.NOTICED: 0,
    Kind.ASSESSMENT: 1,
    Kind.BASE_LINK: 2,
    Kind.PLAN: 3,
    Kind.QOL_ENTRY_PERSON: 4,
    Kind.QOL_ENTRY_SPECIALIST: 4,
}
LATER = 5


@dataclass(frozen=True)
class Step:
    kind: str
    case: Case
    due: date | None
    overdue: bool
    #: Since when the person has waited (a noticed person: the noticing date).
    since: date | None = None
    meeting_id: int | None = None
    detail: str = ""

    @property
    def action(self) -> navigation.Action:
        """Worked out only for the steps a page shows (it may query): the registry's
        (``tugi.navigation.task_link``), as the start page's task list links it."""
        if self.meeting_id is not None:
            return navigation.Action(
                reverse("cases:meeting_detail", kwargs={"pk": self.case.pk, "meeting_pk": self.meeting_id})
            )
        return navigation.task_action(self.kind, self.case, default=_case_file_url)

    @property
    def label(self):
        """The step's own wording; a page shows ``action.label`` instead when it has one."""
        return STEP_LABELS[self.kind]


def step_of(deadline: Deadline) -> Step:
    """The step that meets a deadline."""
    return Step(
        deadline.kind, deadline.case, deadline.due, deadline.overdue,
        meeting_id=deadline.meeting_id, detail=deadline.detail,
    )


def entry_decision(case: Case) -> Step | None:
    """A noticed person waits for the decision on entry (eligibility, entry or closing)."""
    if case.state != CaseState.NOTICED:
        return None
    return Step(Kind.NOTICED, case, None, False, since=case.noticed_on)


def next_step(case: Case, case_deadlines: list[Deadline]) -> Step | None:
    """The case manager's next step on one case, from its open deadlines (``deadlines_for``):
    the earliest in the case's life (decide on entry, assess, link, plan, entry surveys), else
    the one due first. None when nothing is left to do (a closed case, an exited one with its
    surveys done)."""
    waiting = entry_decision(case)
    if waiting is not None:
        return waiting
    if not case_deadlines:
        return None
    first = min(case_deadlines, key=lambda d: (STEP_ORDER.get(d.kind, LATER), d.due))
    return step_of(first)
