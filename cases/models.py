"""The case file (toimik): persons, their cases, noticing, eligibility, questionnaires,
the network, activities and network meetings. Deadlines are computed in deadlines.py."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.exceptions import ValidationError as InvalidCode

from accounts.models import Municipality

from .isikukood import birth_date_of, normalise_isikukood, sex_of, validate_isikukood


class RetirementAge(models.Model):
    """Reference data: the pension age, either by year of birth (the rule until 2026) or
    by calendar year (the rule from 2026 on). An administrator edits it; code never does."""

    class Basis(models.TextChoices):
        BIRTH_YEAR = "birth_year", _("by year of birth")
        CALENDAR_YEAR = "calendar_year", _("by calendar year")

    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    year = models.PositiveSmallIntegerField(
        _("year"),
        help_text=_(
            "Year of birth or calendar year from which this value applies (until the next row)."
        ),
    )
    years = models.PositiveSmallIntegerField(_("years"))
    months = models.PositiveSmallIntegerField(_("months"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("retirement age")
        verbose_name_plural = _("retirement ages")
        ordering = ["basis", "year"]
        constraints = [
            models.UniqueConstraint(fields=["basis", "year"], name="retirement_age_one_per_year"),
            models.CheckConstraint(
                condition=Q(months__lt=12), name="retirement_age_months_below_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} {self.year}: {self.years} a {self.months} k"


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


#: A person's details besides the identity (code, birth date, names): kept on the case file
#: that recorded them (Case), never shared with another case of the same person.
PERSON_DETAILS = [
    "phone",
    "email",
    "registered_address",
    "actual_address",
    "language",
    "disability_degree",
    "disability_valid_from",
    "disability_valid_until",
    "work_ability",
    "work_ability_valid_from",
    "work_ability_valid_until",
    "earlier_assessments",
    "notes",
]

#: Handbook form A's details that only a case file records (citizenship, identity document,
#: marital status, incapacity for work).
FORM_A_DETAILS = [
    "citizenship",
    "citizenship_other",
    "id_document",
    "id_document_number",
    "id_document_valid_until",
    "marital_status",
    "incapacity_percent",
]

#: Handbook form A, 3 and 6 and A1, kept on the case: what the initial-assessment page edits.
INITIAL_ASSESSMENT_FIELDS = [
    "initial_info_comment",
    "initial_summary",
    "problems_to_solve",
    "initial_decision",
    "a1_needs",
    "legal_basis",
]

#: The order the details form shows them in, as form A lists them.
CASE_DETAILS_ORDER = [
    "citizenship",
    "citizenship_other",
    "id_document",
    "id_document_number",
    "id_document_valid_until",
    "registered_address",
    "actual_address",
    "phone",
    "email",
    "language",
    "marital_status",
    "disability_degree",
    "disability_valid_from",
    "disability_valid_until",
    "work_ability",
    "incapacity_percent",
    "work_ability_valid_from",
    "work_ability_valid_until",
    "earlier_assessments",
    "notes",
]


class Person(models.Model):
    """A person (isik) in the programme; one row per person across the whole deployment.

    Only the identity lives here (code, birth date, sex, names); everything else the case
    file records about the person is on the Case, so that a case at another municipality
    starts from the identity only."""

    class Language(models.TextChoices):
        ESTONIAN = "et", _("Estonian")
        RUSSIAN = "ru", _("Russian")
        ENGLISH = "en", _("English")
        OTHER = "other", _("other")

    class DisabilityDegree(models.TextChoices):
        NONE = "none", _("none")
        MODERATE = "moderate", _("moderate")
        SEVERE = "severe", _("severe")
        PROFOUND = "profound", _("profound")

    class WorkAbility(models.TextChoices):
        NOT_ASSESSED = "not_assessed", _("not assessed")
        FULL = "full", _("full work ability")
        PARTIAL = "partial", _("partial work ability")
        NONE = "none", _("no work ability")

    isikukood = models.CharField(
        _("personal identification code"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_isikukood],
        help_text=_("11 digits. Leave empty only for a person without an Estonian code."),
        error_messages={
            "unique": _("A person with this personal identification code already exists.")
        },
    )
    no_code_reason = models.CharField(
        _("reason for having no code"),
        max_length=200,
        blank=True,
        help_text=_("Why the person has no Estonian personal identification code."),
    )
    birth_date = models.DateField(
        _("date of birth"),
        help_text=_("Filled in from the personal identification code when there is one."),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                name="person_code_or_reason",
                condition=Q(isikukood__isnull=False) | ~Q(no_code_reason=""),
                violation_error_message=_(
                    "Enter the personal identification code or the reason the person has none."
                ),
            ),
            models.CheckConstraint(
                name="person_code_is_11_ascii_digits",
                condition=Q(isikukood__isnull=True) | Q(isikukood__regex=r"^[0-9]{11}$"),
                violation_error_message=_("The personal identification code has exactly 11 digits."),
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="person_name"),
            # The persons list searches names with icontains and codes by prefix.
            GinIndex(
                fields=["last_name"], opclasses=["gin_trgm_ops"], name="person_last_name_trgm"
            ),
            GinIndex(
                fields=["first_name"], opclasses=["gin_trgm_ops"], name="person_first_name_trgm"
            ),
            models.Index(
                fields=["isikukood"], opclasses=["varchar_pattern_ops"], name="person_code_prefix"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    def clean(self) -> None:
        super().clean()
        self.isikukood = normalise_isikukood(self.isikukood) or None
        if self.isikukood:
            try:
                self.birth_date = birth_date_of(self.isikukood)
                self.sex = sex_of(self.isikukood)
            except InvalidCode:  # the field validator already explains a bad code
                pass
        elif not self.no_code_reason:
            raise ValidationError(
                {
                    "no_code_reason": _(
                        "Enter the reason the person has no personal identification code."
                    )
                }
            )

    def age_on(self, day: date) -> int:
        return (
            day.year
            - self.birth_date.year
            - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        )


class Relative(models.Model):
    """The person's legal representative or a member of their household, as one case file
    recorded them."""

    class Kind(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")
        HOUSEHOLD_MEMBER = "household_member", _("household member")

    # Kept with the case file that recorded it: another municipality's case of the same
    # person never sees it.
    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="relatives")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("first and last name"), max_length=200)
    relation = models.CharField(_("relation to the person"), max_length=100, blank=True)
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("Phone or e-mail.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("representative or household member")
        verbose_name_plural = _("representatives and household members")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


#: The case's field for each (occasion, respondent) of the quality-of-life survey; the
#: values are those of assessments.models.QolOccasion and QolRespondent.
QOL_OCCASIONS = ("entry", "year", "exit")
QOL_RESPONDENTS = ("person", "specialist")
QOL_FIELDS = {
    (occasion, respondent): f"qol_{occasion}_{respondent}_on"
    for occasion in QOL_OCCASIONS
    for respondent in QOL_RESPONDENTS
}


class Citizenship(models.TextChoices):
    ESTONIAN = "estonian", _("Estonian citizenship")
    OTHER = "other", _("other")


class IdDocument(models.TextChoices):
    PASSPORT = "passport", _("passport")
    ID_CARD = "id_card", _("ID card")
    RESIDENCE_PERMIT = "residence_permit", _("residence permit")
    NONE = "none", _("none")
    OTHER = "other", _("other")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("single")
    COHABITING = "cohabiting", _("cohabiting")
    MARRIED = "married", _("married")
    DIVORCED = "divorced", _("divorced")
    WIDOWED = "widowed", _("widowed")


class InitialDecision(models.TextChoices):
    """Handbook form A, 6.2: the case manager's decision after the initial assessment."""

    REFER = "refer", _("needs immediate referral to another organisation, official or specialist")
    SINGLE_SERVICE = "single_service", _(
        "needs a single service, benefit or similar solution (fill in A1)"
    )
    CASE_MANAGEMENT = "case_management", _("needs case management (fill in A1 and A2)")


class CaseState(models.TextChoices):
    NOTICED = "noticed", _("noticed")
    ENTERED = "entered", _("entered")
    ASSESSED = "assessed", _("assessed")
    PLANNED = "planned", _("planned / active")
    EXITED = "exited", _("exited")
    CLOSED = "closed", _("closed: did not enter")


#: States of a case file that is over: exited after entry, or closed without entering.
ENDED_STATES = (CaseState.EXITED, CaseState.CLOSED)


class ClosureReason(models.TextChoices):
    """Why a noticed person did not enter the programme."""

    DECLINED = "declined", _("did not enter: declined")
    NOT_ELIGIBLE = "not_eligible", _("did not enter: not eligible")
    UNREACHABLE = "unreachable", _("did not enter: could not be reached")
    OTHER = "other", _("did not enter: other reason")


def participating_q(start: date, end: date, *, prefix: str = "") -> Q:
    """The condition "the person participates on at least one day of start..end" (entered on or
    before ``end``, not exited before ``start``), for filters and aggregates; ``prefix`` is the
    path to the case (e.g. ``"case__"``). :meth:`Case.participates_on` says it for one day."""
    return (
        Q(**{f"{prefix}entry_date__isnull": False, f"{prefix}entry_date__lte": end})
        & (Q(**{f"{prefix}exit_date__isnull": True}) | Q(**{f"{prefix}exit_date__gte": start}))
    )


class CaseQuerySet(models.QuerySet):
    def participating_between(self, start: date, end: date) -> CaseQuerySet:
        """Cases whose person participates on at least one day of ``start``..``end``."""
        return self.filter(participating_q(start, end))

    def participating_on(self, day: date) -> CaseQuerySet:
        return self.participating_between(day, day)


class Case(models.Model):
    """The case file (toimik) of one person in one municipality."""

    State = CaseState

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="cases"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case manager"),
        on_delete=models.PROTECT,
        related_name="managed_cases",
    )
    number = models.CharField(_("case number"), max_length=20)
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.NOTICED
    )
    noticed_on = models.DateField(_("noticed on"))
    # The person's details as this case file recorded them (handbook form A, 1): they stay
    # with this case; another municipality's case of the same person starts without them.
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    registered_address = models.CharField(
        _("registered address"),
        max_length=300,
        blank=True,
        help_text=_("Address in the population register."),
    )
    actual_address = models.CharField(
        _("actual address"),
        max_length=300,
        blank=True,
        help_text=_("Where the person actually lives."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Person.Language.choices, default=Person.Language.ESTONIAN
    )
    disability_degree = models.CharField(
        _("degree of disability"),
        max_length=20,
        choices=Person.DisabilityDegree.choices,
        default=Person.DisabilityDegree.NONE,
    )
    disability_valid_from = models.DateField(_("disability valid from"), null=True, blank=True)
    disability_valid_until = models.DateField(_("disability valid until"), null=True, blank=True)
    work_ability = models.CharField(
        _("work ability"),
        max_length=20,
        choices=Person.WorkAbility.choices,
        default=Person.WorkAbility.NOT_ASSESSED,
    )
    work_ability_valid_from = models.DateField(_("work ability valid from"), null=True, blank=True)
    work_ability_valid_until = models.DateField(
        _("work ability valid until"), null=True, blank=True
    )
    earlier_assessments = models.TextField(
        _("earlier assessments"),
        blank=True,
        help_text=_("E.g. care-need assessment, rehabilitation plan: what, when, valid until."),
    )
    notes = models.TextField(_("other information"), blank=True)
    # Handbook form A, 1: what is recorded only when needed.
    citizenship = models.CharField(
        _("citizenship"), max_length=20, choices=Citizenship.choices, blank=True
    )
    citizenship_other = models.CharField(
        _("other citizenship"), max_length=100, blank=True, help_text=_("Which country.")
    )
    id_document = models.CharField(
        _("identity document"), max_length=20, choices=IdDocument.choices, blank=True
    )
    id_document_number = models.CharField(_("document number"), max_length=40, blank=True)
    id_document_valid_until = models.DateField(_("document valid until"), null=True, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=20, choices=MaritalStatus.choices, blank=True
    )
    incapacity_percent = models.PositiveSmallIntegerField(
        _("percentage of incapacity for work"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    # Handbook form A, 3 and 6, and A1: the initial assessment and the decision after it.
    initial_info_comment = models.TextField(_("case manager's comments"), blank=True)
    initial_summary = models.TextField(_("description of the case"), blank=True)
    problems_to_solve = models.TextField(_("problems that need solving"), blank=True)
    initial_decision = models.CharField(
        _("decision after the initial assessment"),
        max_length=20,
        choices=InitialDecision.choices,
        blank=True,
    )
    legal_basis = models.TextField(_("legal basis of the case manager's actions"), blank=True)
    a1_needs = models.TextField(_("needs"), blank=True)
    entry_date = models.DateField(_("entry date"), null=True, blank=True)
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, help_text=_("For a person who did not enter.")
    )
    closure_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField(_("closing note"), blank=True)
    # The seam for the assessments app: it calls services.record_assessment / record_plan.
    latest_assessment_date = models.DateField(_("latest assessment"), null=True, blank=True)
    latest_plan_date = models.DateField(_("latest plan"), null=True, blank=True)
    latest_review_date = models.DateField(_("latest review"), null=True, blank=True)
    latest_qol_survey_date = models.DateField(
        _("latest quality-of-life survey"), null=True, blank=True
    )
    base_linked_on = models.DateField(
        _("linked with a base-support provider on"), null=True, blank=True
    )
    # Quality of life is surveyed at entry, after a year and at exit, each time answered by
    # the person and, separately, by the base-support specialist (QOL_FIELDS).
    qol_entry_person_on = models.DateField(
        _("quality of life at entry, answered by the person"), null=True, blank=True
    )
    qol_entry_specialist_on = models.DateField(
        _("quality of life at entry, answered by the base-support specialist"),
        null=True,
        blank=True,
    )
    qol_year_person_on = models.DateField(
        _("quality of life after 12 months, answered by the person"), null=True, blank=True
    )
    qol_year_specialist_on = models.DateField(
        _("quality of life after 12 months, answered by the base-support specialist"),
        null=True,
        blank=True,
    )
    qol_exit_person_on = models.DateField(
        _("quality of life at exit, answered by the person"), null=True, blank=True
    )
    qol_exit_specialist_on = models.DateField(
        _("quality of life at exit, answered by the base-support specialist"),
        null=True,
        blank=True,
    )
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["-noticed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], name="case_number_unique_per_kov"
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(state__in=ENDED_STATES),
                name="one_open_case_per_person",
                violation_error_message=_("This person already has an open case file."),
            ),
            models.CheckConstraint(
                name="case_exit_not_before_entry",
                condition=Q(exit_date__isnull=True)
                | Q(entry_date__isnull=True)
                | Q(exit_date__gte=F("entry_date")),
            ),
            models.CheckConstraint(
                name="case_entered_states_have_entry_date",
                condition=Q(state__in=[CaseState.NOTICED, CaseState.CLOSED])
                | Q(entry_date__isnull=False),
            ),
            # Only an entered participant exits: an exit date means an entry date, and
            # the exited state means both.
            models.CheckConstraint(
                name="case_exit_only_after_entry",
                condition=Q(exit_date__isnull=True)
                | (Q(entry_date__isnull=False) & Q(state=CaseState.EXITED)),
                violation_error_message=_("Only a person who has entered the programme can exit."),
            ),
            models.CheckConstraint(
                name="case_exited_has_exit_date",
                condition=~Q(state=CaseState.EXITED) | Q(exit_date__isnull=False),
            ),
            # A noticed person who does not enter is closed, never exited, and never has an
            # entry date: no report counts them as a participant.
            models.CheckConstraint(
                name="case_closed_only_without_entry",
                condition=~Q(state=CaseState.CLOSED)
                | (
                    Q(entry_date__isnull=True)
                    & Q(closed_on__isnull=False)
                    & ~Q(closure_reason="")
                ),
                violation_error_message=_(
                    "Only a noticed person who has not entered can be closed without entering."
                ),
            ),
            models.CheckConstraint(
                name="case_closure_fields_only_when_closed",
                condition=Q(state=CaseState.CLOSED)
                | (Q(closed_on__isnull=True) & Q(closure_reason="")),
            ),
            models.CheckConstraint(
                name="case_closed_not_before_noticed",
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("noticed_on")),
            ),
            models.CheckConstraint(
                name="case_disability_dates_in_order",
                condition=Q(disability_valid_until__isnull=True)
                | Q(disability_valid_from__isnull=True)
                | Q(disability_valid_until__gte=F("disability_valid_from")),
            ),
            models.CheckConstraint(
                name="case_work_ability_dates_in_order",
                condition=Q(work_ability_valid_until__isnull=True)
                | Q(work_ability_valid_from__isnull=True)
                | Q(work_ability_valid_until__gte=F("work_ability_valid_from")),
            ),
            models.CheckConstraint(
                name="case_incapacity_percent_at_most_100",
                condition=Q(incapacity_percent__isnull=True) | Q(incapacity_percent__lte=100),
            ),
        ]
        indexes = [models.Index(fields=["municipality", "state"], name="case_kov_state")]

    def __str__(self) -> str:
        return f"{self.number} {self.person}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if (
            self.disability_valid_from
            and self.disability_valid_until
            and (self.disability_valid_until < self.disability_valid_from)
        ):
            errors["disability_valid_until"] = _("The end of validity is before its start.")
        if (
            self.work_ability_valid_from
            and self.work_ability_valid_until
            and (self.work_ability_valid_until < self.work_ability_valid_from)
        ):
            errors["work_ability_valid_until"] = _("The end of validity is before its start.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.state not in ENDED_STATES

    @property
    def has_entered(self) -> bool:
        """A participant: entered the programme (and may have exited since)."""
        return self.entry_date is not None

    def participates_on(self, day: date) -> bool:
        """The person participates from the entry date to the exit date, both included (the one
        home of this rule; :meth:`CaseQuerySet.participating_between` says it in SQL)."""
        return bool(
            self.entry_date and self.entry_date <= day and (self.exit_date is None or day <= self.exit_date)
        )


class Noticing(models.Model):
    """Abivajaduse märkamine: who told the municipality that the person needs help."""

    class NoticerKind(models.TextChoices):
        PERSON_THEMSELF = "self", _("the person themself")
        RELATIVE = "relative", _("relative or acquaintance")
        HOSPITAL = "hospital", _("hospital or doctor")
        SCHOOL = "school", _("school")
        POLICE = "police", _("police")
        UNEMPLOYMENT_FUND = "tootukassa", _("Unemployment Insurance Fund")
        SOCIAL_WORKER = "social_worker", _("social worker")
        OTHER = "other", _("other")

    class Channel(models.TextChoices):
        PHONE = "phone", _("phone")
        EMAIL = "email", _("e-mail")
        LETTER = "letter", _("letter or form")
        IN_PERSON = "in_person", _("in person")
        OTHER = "other", _("other")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="noticing")
    noticer_kind = models.CharField(_("who noticed"), max_length=20, choices=NoticerKind.choices)
    noticer_name = models.CharField(
        _("name of person or institution"),
        max_length=200,
        help_text=_("Who contacted the municipality."),
    )
    noticer_contact = models.CharField(_("contact of the noticer"), max_length=200, blank=True)
    noticed_on = models.DateField(_("date noticed"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    reason = models.CharField(_("reason for contact"), max_length=300)
    description = models.TextField(
        _("description of the problem"),
        blank=True,
        help_text=_("Including duration and how it has changed."),
    )
    first_contact_on = models.DateField(
        _("case manager's first contact"),
        null=True,
        blank=True,
        help_text=_("When the case manager first contacted the person."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("noticing")
        verbose_name_plural = _("noticings")
        constraints = [
            models.CheckConstraint(
                name="noticing_first_contact_not_before_noticed",
                condition=Q(first_contact_on__isnull=True)
                | Q(first_contact_on__gte=F("noticed_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.noticed_on:%d.%m.%Y} {self.noticer_name}"


class EligibilityCheck(models.Model):
    """One eligibility check at entry, with the answer to each criterion and the result.

    Kept even when the person is refused: the reason stays on record."""

    class Diagnosis(models.TextChoices):
        OTHER = "other", _("another mental-health diagnosis")
        DEMENTIA = "dementia", _("dementia")
        ALCOHOL = "alcohol", _("alcohol dependence")

    class Condition(models.TextChoices):
        A = "a", _("a) receives state special-care services but the need has changed")
        B = "b", _("b) is in SKA's special-care queue")
        C = "c", _("c) a social worker or SKA case manager judges integrated support is needed")
        NONE = "none", _("none of these")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="eligibility_checks")
    entry_date = models.DateField(_("planned entry date"))
    primary_diagnosis = models.CharField(
        _("primary diagnosis"), max_length=20, choices=Diagnosis.choices
    )
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    concurrent_state_service = models.BooleanField(
        _("receives state special-care or rehabilitation at the same time"), default=False
    )
    eligible = models.BooleanField(_("eligible"))
    reasons = models.JSONField(_("reasons"), default=list)
    overridden = models.BooleanField(_("overridden"), default=False)
    override_justification = models.TextField(_("justification for override"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        ordering = ["-checked_at"]
        constraints = [
            models.CheckConstraint(
                name="eligibility_override_needs_justification",
                condition=Q(overridden=False) | ~Q(override_justification=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_date:%d.%m.%Y} {self.eligible}"

    @property
    def admits(self) -> bool:
        return self.eligible or self.overridden


class EntryQuestionnaire(models.Model):
    """Sisenemisankeet: the monitoring data SKA collects, consent and the cooperation agreement."""

    class Employment(models.TextChoices):
        EMPLOYED = "employed", _("works")
        STUDYING = "studying", _("studies")
        UNEMPLOYED = "unemployed", _("unemployed")
        INACTIVE = "inactive", _("economically inactive")
        PENSIONER = "pensioner", _("pensioner")
        CASUAL = "casual", _("does casual work")
        PARENTAL_LEAVE = "parental_leave", _("on parental leave")
        OTHER = "other", _("other")

    class Education(models.TextChoices):
        NONE = "none", _("no education")
        BASIC = "basic", _("basic education")
        SECONDARY = "secondary", _("secondary education")
        VOCATIONAL = "vocational", _("vocational education")
        HIGHER = "higher", _("higher education")
        UNKNOWN = "unknown", _("unknown")

    class Household(models.TextChoices):
        ALONE = "alone", _("lives alone")
        WITH_FAMILY = "family", _("lives with family")
        WITH_OTHERS = "others", _("lives with others")
        INSTITUTION = "institution", _("lives in an institution")
        HOMELESS = "homeless", _("homeless")

    class Signer(models.TextChoices):
        PERSON = "person", _("the person")
        REPRESENTATIVE = "representative", _("legal representative")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="entry_questionnaire")
    filled_on = models.DateField(_("filled in on"))
    employment_status = models.CharField(
        _("employment status"), max_length=20, choices=Employment.choices
    )
    education_level = models.CharField(
        _("education level"), max_length=20, choices=Education.choices
    )
    household_situation = models.CharField(
        _("household situation"), max_length=20, choices=Household.choices
    )
    disability_degree = models.CharField(
        _("degree of disability"), max_length=20, choices=Person.DisabilityDegree.choices
    )
    work_ability = models.CharField(
        _("work ability"), max_length=20, choices=Person.WorkAbility.choices
    )
    has_health_insurance = models.BooleanField(_("has health insurance"), default=True)
    consent_given_on = models.DateField(_("consent given on"))
    consent_scope = models.TextField(
        _("scope of consent"),
        help_text=_("Which personal data may be processed and passed on, and to whom."),
    )
    consent_signed_by = models.CharField(
        _("consent signed by"), max_length=20, choices=Signer.choices
    )
    signer_name = models.CharField(_("name of the signer"), max_length=200)
    cooperation_agreement_signed_on = models.DateField(
        _("cooperation agreement signed on"), help_text=_("Handbook form A2.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entry questionnaire")
        verbose_name_plural = _("entry questionnaires")

    def __str__(self) -> str:
        return f"{self.filled_on:%d.%m.%Y}"


class ExitQuestionnaire(models.Model):
    """Väljumisankeet: when and why the person left, and their situation then."""

    class Reason(models.TextChoices):
        GOALS_REACHED = "goals_reached", _("goals reached")
        OWN_WISH = "own_wish", _("own wish")
        MOVED_AWAY = "moved_away", _("moved away")
        OTHER_SERVICE = "other_service", _("moved to another service")
        NOT_COOPERATING = "not_cooperating", _("does not cooperate")
        DECEASED = "deceased", _("deceased")
        OTHER = "other", _("other")

    class Situation(models.TextChoices):
        WORKING = "working", _("working")
        STUDYING = "studying", _("studying")
        OTHER_SERVICES = "other_services", _("receives other services")
        MOVED_AWAY = "moved_away", _("moved away")
        DECEASED = "deceased", _("deceased")
        AT_HOME = "at_home", _("at home without work or study")
        OTHER = "other", _("other")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="exit_questionnaire")
    exit_date = models.DateField(_("exit date"))
    reason = models.CharField(_("reason for exit"), max_length=30, choices=Reason.choices)
    situation = models.CharField(_("situation at exit"), max_length=30, choices=Situation.choices)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exit questionnaire")
        verbose_name_plural = _("exit questionnaires")

    def __str__(self) -> str:
        return f"{self.exit_date:%d.%m.%Y}"


class NetworkMember(models.Model):
    """Võrgustikuliige: a relative or friend (informal) or a specialist (formal)."""

    class Kind(models.TextChoices):
        INFORMAL = "informal", _("informal (relative, friend)")
        FORMAL = "formal", _("formal (specialist)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="network")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("first and last name"), max_length=200)
    relation = models.CharField(
        _("relation"),
        max_length=100,
        blank=True,
        help_text=_("For relatives and friends: e.g. mother, neighbour."),
    )
    position = models.CharField(
        _("position"), max_length=100, blank=True, help_text=_("For specialists.")
    )
    institution = models.CharField(
        _("institution"), max_length=200, blank=True, help_text=_("For specialists.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    relationship_note = models.TextField(
        _("relationship"),
        blank=True,
        help_text=_("How the person and this member relate; what they can offer."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.FORMAL and not (self.position or self.institution):
            raise ValidationError(
                {"institution": _("Enter the specialist's position or institution.")}
            )


class InitialInformation(models.Model):
    """Handbook form A, 3: further information about the person in one life domain, from
    the person and from the network."""

    class Domain(models.TextChoices):
        ECONOMIC = "economic", _("economic coping and sources of income")
        HOUSING = "housing", _("housing and living environment")
        RELATIONS = "relations", _("relations with family and network members")
        HEALTH = "health", _("health and lifestyle")
        LEARNING_WORK = "learning_work", _("learning and working")
        LEISURE = "leisure", _("leisure and hobbies")
        OTHER = "other", _("other information")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="initial_information")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    from_person = models.TextField(_("information from the person"), blank=True)
    from_network = models.TextField(_("information from network members"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("initial information")
        verbose_name_plural = _("initial information")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "domain"], name="initial_information_once_per_domain"
            )
        ]

    def __str__(self) -> str:
        return self.get_domain_display()


class InitialAction(models.Model):
    """Handbook form A1: an activity or decision after the initial assessment, with its
    schedule and who carries it out."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="initial_actions")
    action = models.CharField(_("activity or decision"), max_length=300)
    due_on = models.DateField(_("schedule"), null=True, blank=True)
    performer = models.CharField(_("provider or who carries it out"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("initial assessment decision")
        verbose_name_plural = _("initial assessment decisions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.action


class ActionPlanItem(models.Model):
    """Handbook form C: the case manager's action plan, a goal and a planned activity."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="action_plan")
    goal = models.CharField(_("goal"), max_length=300)
    activity = models.CharField(_("planned activity"), max_length=300)
    due_on = models.DateField(_("schedule"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case manager's action plan item")
        verbose_name_plural = _("case manager's action plan")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.activity


class CaseActivity(models.Model):
    """Juhtumikorraldaja läbiviidud tegevus (handbook C1): a dated log line."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    on = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=300)
    responsible = models.CharField(_("done by / responsible"), max_length=200)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("case activity")
        verbose_name_plural = _("case activities")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return self.activity


class NetworkMeeting(models.Model):
    """Võrgustikukohtumine (handbook D1–D3): the plan and, afterwards, the minutes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveIntegerField(_("meeting number"))
    goal = models.CharField(_("goal"), max_length=300)
    chair = models.CharField(
        _("chair"), max_length=200, help_text=_("Who leads the meeting and answers for it.")
    )
    chair_contact = models.CharField(_("chair's contact"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("time"))
    ends_at = models.DateTimeField(_("planned end"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, help_text=_("Name of the institution."))
    address = models.CharField(_("address"), max_length=300, blank=True)
    preparation_notes = models.TextField(_("preparation comments"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    minutes_written_on = models.DateField(_("minutes written on"), null=True, blank=True)
    minutes_notes = models.TextField(_("minutes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="meeting_number_per_case"),
            models.CheckConstraint(
                name="meeting_ends_after_it_starts",
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.goal


class MeetingInvitee(models.Model):
    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(_("name"), max_length=200)
    member = models.ForeignKey(
        NetworkMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed = models.BooleanField(_("confirmed"), default=False)
    attended = models.BooleanField(_("attended"), null=True)
    # Handbook D2: when the invitee was notified and by whom; D3: why they did not attend.
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    notified_by = models.CharField(_("notified by"), max_length=200, blank=True)
    absence_note = models.CharField(_("note on absence"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="agenda_items"
    )
    title = models.CharField(_("agenda item"), max_length=300)
    schedule = models.CharField(
        _("schedule"), max_length=20, blank=True, help_text=_("E.g. 10.00–10.20.")
    )
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    discussion = models.TextField(_("discussion"), blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class PreparationTask(models.Model):
    """Handbook D2: a task in preparing a network meeting, who does it and by when."""

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="preparation_tasks"
    )
    task = models.CharField(_("task"), max_length=300)
    performer = models.CharField(_("carried out by"), max_length=200)
    due_on = models.DateField(_("time"), null=True, blank=True)

    class Meta:
        verbose_name = _("preparation task")
        verbose_name_plural = _("preparation tasks")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.task


class Decision(models.Model):
    """A decision of a network meeting; one with a deadline shows on the deadlines page."""

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("decision"), max_length=300)
    responsible = models.CharField(_("responsible"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.text
