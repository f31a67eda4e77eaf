"""Services of the cases app: every change to a case file goes through one of these.

Each runs in a transaction, checks its preconditions and raises :class:`CaseError`
with a translatable message (naming the form field it belongs to, when there is one)."""

from __future__ import annotations

from collections.abc import Iterable
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
    PERSON_DETAILS,
    AgendaItem,
    Case,
    CaseActivity,
    CaseState,
    Decision,
    EligibilityCheck,
    EntryQuestionnaire,
    ExitQuestionnaire,
    MeetingInvitee,
    NetworkMeeting,
    NetworkMember,
    Noticing,
    Person,
    Relative,
)


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


# Fields of a person on record that a new noticing may fill in when they are still empty
# (or still at their default); the code, birth date, sex and names are never replaced.
_FILLABLE = PERSON_DETAILS


def _fill_blanks(known: Person, entered: Person) -> bool:
    """Copy what was entered into the fields ``known`` has not filled in; True if any."""
    changed = False
    for name in _FILLABLE:
        old, new = getattr(known, name), getattr(entered, name)
        default = Person._meta.get_field(name).get_default()
        if old in ("", None, default) and new not in ("", None, old):
            setattr(known, name, new)
            changed = True
    return changed


def _person_to_notice(person: Person, municipality: Municipality) -> Person:
    """The person the new case is for: the one already on record with the same isikukood
    (its empty fields filled in from ``person``) or ``person`` itself, locked against a
    second noticing at the same time. Refused while the person has an open case file."""
    entered = person
    person.isikukood = normalise_isikukood(person.isikukood) or None
    if person.pk is None and person.isikukood:
        person = (
            Person.objects.select_for_update().filter(isikukood=person.isikukood).first() or person
        )
    elif person.pk is not None:
        Person.objects.select_for_update().filter(pk=person.pk).first()
    if person.pk is not None:
        open_case = Case.objects.filter(person=person).exclude(state=CaseState.EXITED).first()
        if open_case is not None and open_case.municipality_id == municipality.pk:
            raise OpenCaseError(open_case)
        if open_case is not None:
            raise _not_now()
        if person is not entered and _fill_blanks(person, entered):
            _save(person)
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
    *, person: Person, noticing: Noticing, municipality: Municipality, case_manager: User
) -> Case:
    """Record that someone noticed ``person`` needs help: opens a case in state "noticed".

    A person already on record (same isikukood, e.g. one who exited here or elsewhere) gets
    the new case; refused while they have an open case file anywhere."""
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
def record_qol_survey(*, case: Case, on: date) -> Case:
    """A quality-of-life survey was done (the assessments app records its content)."""
    case = _lock(case)
    _require_entered(case, on)
    case.latest_qol_survey_date = max(filter(None, [case.latest_qol_survey_date, on]))
    _save(case)
    return case


@transaction.atomic
def exit_case(*, case: Case, questionnaire: ExitQuestionnaire) -> Case:
    """Väljumine: needs the exit questionnaire; closes every open deadline of the case."""
    case = _lock(case)
    _require_open(case)
    exit_date = questionnaire.exit_date
    start = case.entry_date or case.noticed_on
    if exit_date < start:
        raise CaseError(
            _("The exit date cannot be before the entry date (%(date)s).") % {"date": _d(start)},
            field="exit_date",
        )
    if questionnaire.qol_survey_on and questionnaire.qol_survey_on < start:
        raise CaseError(_("The survey date is before the entry date."), field="qol_survey_on")
    questionnaire.case = case
    _save(questionnaire)
    case.exit_date = exit_date
    case.state = CaseState.EXITED
    if questionnaire.qol_survey_on:
        case.latest_qol_survey_date = max(
            filter(None, [case.latest_qol_survey_date, questionnaire.qol_survey_on])
        )
    _save(case)
    return case


@transaction.atomic
def update_person(*, case: Case, person: Person) -> Person:
    """Personal data are changed through the person's open case file only: after exit the
    person may be in another municipality's care, and their data are no longer ours."""
    _require_open(case)
    _save(person)
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
def add_record(*, case: Case, record: NetworkMember | CaseActivity | Relative):
    """Add a network member, an activity or a relative to an open case file."""
    _require_open(case)
    if isinstance(record, Relative):
        record.person = case.person
    else:
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
    _require_open(case)
    meeting.case = case
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
    meeting = NetworkMeeting.objects.select_for_update().select_related("case").get(pk=meeting.pk)
    _require_open(meeting.case)
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
