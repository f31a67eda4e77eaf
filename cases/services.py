"""Services of the cases app: every change to a case file goes through one of these.

Each runs in a transaction, checks its preconditions and raises :class:`CaseError`
with a translatable message (naming the form field it belongs to, when there is one)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Municipality, User
from tugi.errors import DomainError, validated_save

from . import eligibility
from .isikukood import normalise_isikukood
from .models import (
    ENDED_STATES,
    FORM_A_DETAILS,
    INITIAL_ASSESSMENT_FIELDS,
    PERSON_DETAILS,
    QOL_FIELDS,
    ActionPlanItem,
    AgendaItem,
    Case,
    CaseActivity,
    CaseState,
    ClosureReason,
    Decision,
    EligibilityCheck,
    EntryQuestionnaire,
    ExitQuestionnaire,
    InitialAction,
    InitialInformation,
    MeetingInvitee,
    NetworkMeeting,
    NetworkMember,
    Noticing,
    Person,
    PreparationTask,
    Relative,
)
from .signals import case_exited

DETAIL_FIELDS = frozenset(PERSON_DETAILS + FORM_A_DETAILS)


class CaseError(DomainError):
    """A rule of the case file was broken."""


class OpenCaseError(CaseError):
    """The person already has an open case file in the user's own municipality (``case``)."""

    def __init__(self, case: Case):
        super().__init__(_("This person already has an open case file."), field="isikukood")
        self.case = case


def _d(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _save(obj) -> None:
    validated_save(obj, CaseError)


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("person").get(pk=case.pk)


def _require_open(case: Case) -> None:
    if case.state == CaseState.EXITED:
        raise CaseError(_("The case file is closed: the person has exited."))
    if case.state == CaseState.CLOSED:
        raise CaseError(_("The case file is closed: the person did not enter."))


def next_case_number(municipality: Municipality, year: int) -> str:
    prefix = f"{municipality.code}-{year}-"
    last = (
        Case.objects.filter(municipality=municipality, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _not_now() -> CaseError:
    # The same words whatever the reason, so they tell another municipality nothing
    # about where the person is known or which service they receive.
    return CaseError(
        _("A case file cannot be opened for this person at the moment. Ask SKA's case manager."),
        field="isikukood",
    )


def _person_to_notice(person: Person, municipality: Municipality) -> Person:
    """The person the new case is for: the one already on record with the same isikukood
    (its identity kept as it is) or ``person`` itself, locked against a second noticing at
    the same time. Refused while the person has an open case file."""
    person.isikukood = normalise_isikukood(person.isikukood) or None
    if person.pk is None and person.isikukood:
        person = (
            Person.objects.select_for_update().filter(isikukood=person.isikukood).first() or person
        )
    elif person.pk is not None:
        Person.objects.select_for_update().filter(pk=person.pk).first()
    if person.pk is not None:
        open_case = Case.objects.filter(person=person).exclude(state__in=ENDED_STATES).first()
        if open_case is not None and open_case.municipality_id == municipality.pk:
            raise OpenCaseError(open_case)
        if open_case is not None:
            raise _not_now()
        return person
    try:
        # A person with this code noticed elsewhere at this very moment: the database
        # refuses the second one, and the message stays neutral.
        person.full_clean(validate_unique=False)
        with transaction.atomic():
            person.save()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise CaseError(messages[0], field=None if field == "__all__" else field) from exc
    except IntegrityError as exc:
        raise _not_now() from exc
    return person


@transaction.atomic
def notice(
    *,
    person: Person,
    noticing: Noticing,
    municipality: Municipality,
    case_manager: User,
    details: Mapping[str, object] | None = None,
) -> Case:
    """Record that someone noticed ``person`` needs help: opens a case in state "noticed".

    A person already on record (same isikukood, e.g. one who exited here or elsewhere) gets
    the new case; refused while they have an open case file anywhere. The new case starts
    from the person's identity and the ``details`` entered now (PERSON_DETAILS,
    FORM_A_DETAILS): nothing an earlier case file recorded is carried over."""
    # Numbers are handed out one at a time per municipality.
    Municipality.objects.select_for_update().get(pk=municipality.pk)
    person = _person_to_notice(person, municipality)
    if noticing.first_contact_on and noticing.first_contact_on < noticing.noticed_on:
        raise CaseError(
            _("The first contact cannot be before the noticing."), field="first_contact_on"
        )
    if noticing.noticed_on < person.birth_date:
        raise CaseError(
            _("The date noticed is before the person's date of birth."), field="noticed_on"
        )
    case = Case(
        municipality=municipality,
        person=person,
        case_manager=case_manager,
        number=next_case_number(municipality, noticing.noticed_on.year),
        noticed_on=noticing.noticed_on,
    )
    for name, value in (details or {}).items():
        if name not in DETAIL_FIELDS:
            raise CaseError(_("Unknown detail of the person."))
        setattr(case, name, value)
    try:
        with transaction.atomic():
            _save(case)
    except IntegrityError as exc:  # another KOV opened a case for the same person just now
        raise _not_now() from exc
    noticing.case = case
    _save(noticing)
    return case


@transaction.atomic
def check_eligibility(
    *,
    case: Case,
    entry_date: date,
    primary_diagnosis: str,
    condition: str,
    concurrent_state_service: bool,
    by: User,
    override_justification: str = "",
) -> EligibilityCheck:
    """Check the criteria on ``entry_date`` and keep the result with every reason.

    An ineligible person is admitted only with a written justification, which is
    logged as a case activity."""
    case = _lock(case)
    _require_open(case)
    if case.state != CaseState.NOTICED:
        raise CaseError(_("The person has already entered the programme."))
    if entry_date < case.person.birth_date:
        raise CaseError(
            _("The entry date is before the person's date of birth (%(date)s).")
            % {"date": _d(case.person.birth_date)},
            field="entry_date",
        )
    criteria = eligibility.evaluate(
        person=case.person,
        on=entry_date,
        primary_diagnosis=primary_diagnosis,
        condition=condition,
        concurrent_state_service=concurrent_state_service,
    )
    eligible = all(c.ok for c in criteria)
    justification = override_justification.strip()
    check = EligibilityCheck(
        case=case,
        entry_date=entry_date,
        primary_diagnosis=primary_diagnosis,
        condition=condition,
        concurrent_state_service=concurrent_state_service,
        eligible=eligible,
        reasons=[{"code": c.code, "ok": c.ok, "reason": str(c.reason)} for c in criteria],
        overridden=not eligible and bool(justification),
        override_justification=justification if not eligible else "",
        checked_by=by,
    )
    _save(check)
    if check.overridden:
        CaseActivity.objects.create(
            case=case,
            on=entry_date,
            activity=_("Eligibility overridden"),
            responsible=str(by),
            comment=justification,
        )
    return check


@transaction.atomic
def enter(*, case: Case, questionnaire: EntryQuestionnaire, entry_date: date) -> Case:
    """Sisenemine: the entry questionnaire is signed and the clock starts on ``entry_date``."""
    case = _lock(case)
    _require_open(case)
    if case.state != CaseState.NOTICED:
        raise CaseError(_("The person has already entered the programme."))
    if entry_date < case.person.birth_date:
        raise CaseError(
            _("The entry date is before the person's date of birth."), field="entry_date"
        )
    if entry_date < case.noticed_on:
        raise CaseError(
            _("The entry date is before the date noticed (%(date)s).")
            % {"date": _d(case.noticed_on)},
            field="entry_date",
        )
    check = case.eligibility_checks.order_by("-checked_at", "-pk").first()
    if check is None or not check.admits:
        raise CaseError(_("Check eligibility first: only an eligible person can enter."))
    if check.entry_date != entry_date:
        raise CaseError(
            _("Eligibility was checked for the entry date %(date)s; check it again for this date.")
            % {"date": _d(check.entry_date)},
            field="entry_date",
        )
    if questionnaire.consent_given_on > entry_date:
        raise CaseError(_("Consent must be given by the entry date."), field="consent_given_on")
    questionnaire.case = case
    _save(questionnaire)
    case.entry_date = entry_date
    case.state = CaseState.ENTERED
    _save(case)
    return case


def _require_entered(case: Case, on: date) -> None:
    _require_open(case)
    if case.entry_date is None:
        raise CaseError(_("The person has not entered the programme yet."))
    if on < case.entry_date:
        raise CaseError(
            _("The date is before the entry date (%(date)s).") % {"date": _d(case.entry_date)}
        )


@transaction.atomic
def record_assessment(*, case: Case, on: date) -> Case:
    """The assessments app calls this when a support-needs assessment is done."""
    case = _lock(case)
    _require_entered(case, on)
    case.latest_assessment_date = max(filter(None, [case.latest_assessment_date, on]))
    if case.state == CaseState.ENTERED:
        case.state = CaseState.ASSESSED
    _save(case)
    return case


@transaction.atomic
def record_plan(*, case: Case, on: date) -> Case:
    """The assessments app calls this when an action or support plan is made."""
    case = _lock(case)
    _require_entered(case, on)
    if case.latest_assessment_date is None:
        raise CaseError(_("There is no plan before an assessment."))
    if on < case.latest_assessment_date:
        raise CaseError(_("The plan cannot be dated before the latest assessment."))
    case.latest_plan_date = max(filter(None, [case.latest_plan_date, on]))
    case.state = CaseState.PLANNED
    _save(case)
    return case


@transaction.atomic
def record_review(*, case: Case, on: date) -> Case:
    """A review of the plan and the need: restarts the 12-month reassessment clock."""
    case = _lock(case)
    _require_entered(case, on)
    if case.latest_assessment_date is None:
        raise CaseError(_("There is nothing to review before an assessment."))
    case.latest_review_date = max(filter(None, [case.latest_review_date, on]))
    _save(case)
    return case


@transaction.atomic
def record_qol_survey(*, case: Case, on: date, occasion: str, respondent: str) -> Case:
    """A quality-of-life survey was done (the assessments app records its content): clears
    that occasion's deadline for that respondent. The exit survey may follow the exit."""
    case = _lock(case)
    field = QOL_FIELDS.get((occasion, respondent))
    if field is None:
        raise CaseError(_("Unknown survey occasion or respondent."))
    if occasion == "exit" and case.state == CaseState.EXITED:
        if on < case.entry_date:
            raise CaseError(
                _("The date is before the entry date (%(date)s).") % {"date": _d(case.entry_date)}
            )
    else:
        _require_entered(case, on)
    setattr(case, field, on)
    case.latest_qol_survey_date = max(filter(None, [case.latest_qol_survey_date, on]))
    _save(case)
    return case


@transaction.atomic
def record_base_link(*, case: Case, on: date) -> Case:
    """The person was linked with a base-support provider (the assessments app keeps the
    link): the first link clears the 30-day linking deadline."""
    case = _lock(case)
    _require_entered(case, on)
    case.base_linked_on = min(filter(None, [case.base_linked_on, on]))
    _save(case)
    return case


@transaction.atomic
def exit_case(*, case: Case, questionnaire: ExitQuestionnaire) -> Case:
    """Väljumine of an entered participant: needs the exit questionnaire; closes every open
    deadline of the case but the exit surveys, and (through :data:`signals.case_exited`)
    ends the plan, its lines, the personal budget and the base-support link on the exit date.

    A noticed person who never entered does not exit: :func:`close_without_entry`."""
    case = _lock(case)
    _require_open(case)
    if case.entry_date is None:
        raise CaseError(
            _(
                "Only a person who has entered the programme can exit. "
                "Close the case file of a person who did not enter instead."
            )
        )
    exit_date = questionnaire.exit_date
    if exit_date < case.entry_date:
        raise CaseError(
            _("The exit date cannot be before the entry date (%(date)s).")
            % {"date": _d(case.entry_date)},
            field="exit_date",
        )
    questionnaire.case = case
    _save(questionnaire)
    case.exit_date = exit_date
    case.state = CaseState.EXITED
    _save(case)
    case_exited.send(sender=Case, case=case, exit_date=exit_date)
    return case


@transaction.atomic
def close_without_entry(*, case: Case, on: date, reason: str, note: str = "") -> Case:
    """A noticed person who does not enter: the case file is closed with the reason. The
    person never becomes a participant: no entry or exit date, in no report."""
    case = _lock(case)
    _require_open(case)
    if case.state != CaseState.NOTICED or case.entry_date is not None:
        raise CaseError(
            _("The person has entered the programme: record the exit with the exit questionnaire.")
        )
    if reason not in ClosureReason.values:
        raise CaseError(_("Choose the reason the person did not enter."), field="reason")
    if on < case.noticed_on:
        raise CaseError(
            _("The closing date cannot be before the date noticed (%(date)s).")
            % {"date": _d(case.noticed_on)},
            field="on",
        )
    case.state = CaseState.CLOSED
    case.closed_on = on
    case.closure_reason = reason
    case.closure_note = note.strip()
    _save(case)
    return case


@transaction.atomic
def update_person(*, case: Case, person: Person) -> Person:
    """Personal data are changed through the person's open case file only: after exit the
    person may be in another municipality's care, and their data are no longer ours. The
    identity is saved on the person, the details on this case file only."""
    _require_open(case)
    if person.pk != case.person_id:
        raise CaseError(_("The person is not this case file's person."))
    _save(person)
    _save(case)
    return person


@transaction.atomic
def update_noticing(*, noticing: Noticing) -> Noticing:
    _require_open(noticing.case)
    if noticing.first_contact_on and noticing.first_contact_on < noticing.noticed_on:
        raise CaseError(
            _("The first contact cannot be before the noticing."), field="first_contact_on"
        )
    _save(noticing)
    return noticing


@transaction.atomic
def add_record(
    *,
    case: Case,
    record: NetworkMember | CaseActivity | Relative | InitialAction | ActionPlanItem,
):
    """Add a network member, an activity, a relative, an A1 decision row or an item of the
    case manager's action plan (C) to an open case file."""
    _require_open(case)
    record.case = case
    _save(record)
    return record


@transaction.atomic
def plan_meeting(
    *,
    case: Case,
    meeting: NetworkMeeting,
    members: Iterable[NetworkMember],
    other_invitees: Iterable[str] = (),
) -> NetworkMeeting:
    case = _lock(case)  # meetings are numbered one at a time per case file
    _require_open(case)
    if meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise CaseError(_("The meeting must end after it starts."), field="ends_at")
    meeting.case = case
    last = case.meetings.order_by("-number").values_list("number", flat=True).first()
    meeting.number = (last or 0) + 1
    _save(meeting)
    for member in members:
        if member.case_id != case.pk:
            raise CaseError(_("Invite only members of this person's network."), field="members")
        MeetingInvitee.objects.create(meeting=meeting, member=member, name=member.name)
    for name in other_invitees:
        if name.strip():
            MeetingInvitee.objects.create(meeting=meeting, name=name.strip()[:200])
    for line in meeting.agenda.splitlines():
        if line.strip():
            AgendaItem.objects.create(meeting=meeting, title=line.strip()[:300])
    return meeting


def _meeting_open(meeting: NetworkMeeting) -> NetworkMeeting:
    meeting = NetworkMeeting.objects.select_for_update().select_related("case").get(pk=meeting.pk)
    _require_open(meeting.case)
    return meeting


@transaction.atomic
def add_agenda_item(*, meeting: NetworkMeeting, item: AgendaItem) -> AgendaItem:
    """D1/D3: an agenda item with its schedule and speaker."""
    meeting = _meeting_open(meeting)
    item.meeting = meeting
    _save(item)
    return item


@transaction.atomic
def set_speaker(*, item: AgendaItem, speaker: str, schedule: str = "") -> AgendaItem:
    _meeting_open(item.meeting)
    item.speaker = speaker.strip()
    item.schedule = schedule.strip()
    _save(item)
    return item


@transaction.atomic
def record_notification(
    *, invitee: MeetingInvitee, notified_on: date, notified_by: str, confirmed: bool
) -> MeetingInvitee:
    """D2: when an invitee was told about the meeting, by whom, and whether they confirmed."""
    meeting = _meeting_open(invitee.meeting)
    if notified_on > meeting.starts_at.date():
        raise CaseError(
            _("The notice cannot be given after the meeting."), field="notified_on"
        )
    invitee.notified_on = notified_on
    invitee.notified_by = notified_by.strip()[:200]
    invitee.confirmed = confirmed
    invitee.save(update_fields=["notified_on", "notified_by", "confirmed"])
    return invitee


@transaction.atomic
def add_preparation_task(*, meeting: NetworkMeeting, task: PreparationTask) -> PreparationTask:
    """D2: a task in preparing the meeting."""
    meeting = _meeting_open(meeting)
    if task.due_on and task.due_on > meeting.starts_at.date():
        raise CaseError(_("Preparation must be done by the meeting."), field="due_on")
    task.meeting = meeting
    _save(task)
    return task


@transaction.atomic
def save_initial_assessment(
    *, case: Case, fields: Mapping[str, object], domains: Mapping[str, tuple[str, str]]
) -> Case:
    """Handbook form A, 3 and 6 with A1's decision: per-domain information from the person
    and from the network, the summary, the decision after the initial assessment, the
    needs and the legal basis."""
    case = _lock(case)
    _require_open(case)
    for name, value in fields.items():
        if name not in INITIAL_ASSESSMENT_FIELDS:
            raise CaseError(_("Unknown field of the initial assessment."))
        setattr(case, name, value)
    _save(case)
    for domain, (from_person, from_network) in domains.items():
        if domain not in InitialInformation.Domain.values:
            raise CaseError(_("Unknown domain."))
        info = InitialInformation.objects.filter(case=case, domain=domain).first()
        if info is None:
            if not (from_person.strip() or from_network.strip()):
                continue
            info = InitialInformation(case=case, domain=domain)
        info.from_person, info.from_network = from_person.strip(), from_network.strip()
        _save(info)
    return case


@transaction.atomic
def record_minutes(
    *,
    meeting: NetworkMeeting,
    written_on: date,
    confirmed: Iterable[int],
    attended: Iterable[int],
    notes: str,
) -> NetworkMeeting:
    """Protokoll: who was there (the rest of the invitees were absent) and what was discussed."""
    meeting = _meeting_open(meeting)
    if written_on < meeting.starts_at.date():
        raise CaseError(_("The minutes cannot be written before the meeting."), field="written_on")
    attended, confirmed = set(attended), set(confirmed)
    for invitee in meeting.invitees.all():
        invitee.confirmed = invitee.pk in confirmed or invitee.pk in attended
        invitee.attended = invitee.pk in attended
        invitee.save(update_fields=["confirmed", "attended"])
    meeting.minutes_written_on = written_on
    meeting.minutes_notes = notes
    _save(meeting)
    return meeting


@transaction.atomic
def add_decision(*, meeting: NetworkMeeting, decision: Decision) -> Decision:
    _require_open(meeting.case)
    if decision.deadline and decision.deadline < meeting.starts_at.date():
        raise CaseError(_("The deadline is before the meeting."), field="deadline")
    decision.meeting = meeting
    _save(decision)
    return decision


@transaction.atomic
def complete_decision(*, decision: Decision, on: date) -> Decision:
    _require_open(decision.meeting.case)
    decision.done_on = on
    _save(decision)
    return decision
