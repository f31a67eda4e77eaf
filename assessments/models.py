"""The assessment instrument, support-needs assessments, the base-support provider link,
action and support plans with their goals and lines (what is bought, from whom, how
much a month), plan reviews and quality-of-life surveys.

Billing reads plan lines through ``assessments.selectors``."""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case
from components.models import Component, Form
from providers.models import Provider, inclusive_range


class InstrumentKind(models.TextChoices):
    NEEDS = "needs", _("support-needs assessment")
    QOL = "qol", _("quality-of-life survey")


class InstrumentLocked(ValidationError):
    """A published instrument version was about to change."""


def _refuse_if_published(instrument_id) -> None:
    if instrument_id and Instrument.objects.filter(pk=instrument_id, published_on__isnull=False).exists():
        raise InstrumentLocked(
            _("This version of the instrument is published and cannot be changed; make a new version.")
        )


class Instrument(models.Model):
    """One version of an instrument: the support-needs assessment (domains and the need
    scale) or the quality-of-life survey (items and their scale).

    Reference data an administrator edits in the admin. Once published a version
    never changes (PostgreSQL refuses it too); a change is a new version, and every
    assessment or survey keeps the version it was made with."""

    Kind = InstrumentKind

    kind = models.CharField(_("kind"), max_length=10, choices=InstrumentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    introduction = models.TextField(_("instructions"), blank=True)
    published_on = models.DateField(
        _("published on"), null=True, blank=True,
        help_text=_("Empty while the version is a draft. A published version cannot be changed."),
    )

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="instrument_version_unique_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def save(self, *args, **kwargs):
        _refuse_if_published(self.pk)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_published(self.pk)
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_on is not None

    @property
    def title(self) -> str:
        """How users see the version: its name in words, never the admin's short form."""
        return _("%(name)s, version %(version)s") % {"name": self.name, "version": self.version}


class InstrumentItem(models.Model):
    """A life domain of the assessment (or a question of the survey) with its wording."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument version"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.SlugField(_("code"), max_length=40, help_text=_("Stable across versions; used to compare."))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what is assessed"), blank=True)
    component_domain = models.CharField(
        _("component domain"), max_length=30, blank=True,
        help_text=_("The domain of the component catalogue this life domain leads to."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("domain or question")
        verbose_name_plural = _("domains or questions")
        ordering = ["instrument", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="instrument_item_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        _refuse_if_published(self.instrument_id)
        if self.pk:
            _refuse_if_published(InstrumentItem.objects.filter(pk=self.pk).values_list("instrument_id", flat=True).first())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_published(self.instrument_id)
        return super().delete(*args, **kwargs)


class ScaleLevel(models.Model):
    """One step of an instrument's scale, e.g. 0 no support needed … 4 full support."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument version"), on_delete=models.PROTECT, related_name="levels"
    )
    value = models.PositiveSmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["instrument", "value"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "value"], name="scale_level_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    def save(self, *args, **kwargs):
        _refuse_if_published(self.instrument_id)
        if self.pk:
            _refuse_if_published(ScaleLevel.objects.filter(pk=self.pk).values_list("instrument_id", flat=True).first())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_published(self.instrument_id)
        return super().delete(*args, **kwargs)


class InformationSource(models.TextChoices):
    PERSON = "person", _("the person")
    NETWORK = "network", _("the network")
    DOCUMENTS = "documents", _("documents")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("in progress")
    FINISHED = "finished", _("finished")


class Assessment(models.Model):
    """A support-needs assessment (toetusvajaduse hindamine): the level of need in each
    life domain, with the instrument version it was made with."""

    Status = AssessmentStatus

    case = models.ForeignKey(Case, verbose_name=_("case file"), on_delete=models.PROTECT, related_name="assessments")
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument version"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("date of assessment"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT)
    ready_to_cooperate = models.BooleanField(
        _("ready to cooperate"), default=True,
        help_text=_("If not, a support plan aimed at building contact is made instead of an action plan."),
    )
    background = models.TextField(
        _("known data"), blank=True,
        help_text=_("Pre-filled from the person's data: disability, work ability, earlier assessments."),
    )
    summary = models.TextField(_("summary"), blank=True)
    previous = models.ForeignKey(
        "self", verbose_name=_("previous assessment"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support-needs assessment")
        verbose_name_plural = _("support-needs assessments")
        ordering = ["case", "-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="finished_assessment_has_summary",
                condition=Q(status=AssessmentStatus.DRAFT) | ~Q(summary=""),
                violation_error_message=_("Write a summary before finishing the assessment."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.person} {self.assessed_on:%d.%m.%Y}"

    @property
    def is_finished(self) -> bool:
        return self.status == AssessmentStatus.FINISHED


class AssessmentAnswer(models.Model):
    """The level of need in one domain, the notes and where the information came from."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(InstrumentItem, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        ScaleLevel, verbose_name=_("level of need"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    sources = ArrayField(
        models.CharField(max_length=20, choices=InformationSource.choices),
        verbose_name=_("source of information"), default=list, blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessed domain")
        verbose_name_plural = _("assessed domains")
        ordering = ["assessment", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessment_answer_one_per_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.level or '—'}"

    def clean(self) -> None:
        super().clean()
        instrument_id = self.assessment.instrument_id
        if self.item_id and self.item.instrument_id != instrument_id:
            raise ValidationError({"item": _("The domain belongs to another version of the instrument.")})
        if self.level_id and self.level.instrument_id != instrument_id:
            raise ValidationError({"level": _("The level belongs to another version of the instrument.")})


def in_force_q(start, end, *, prefix: str = "") -> Q:
    """The condition "a period valid_from..valid_to (open end: none) covers at least one day of
    ``start``..``end``", for plans, plan lines and base-support links; ``prefix`` is the path to
    the row with the period (e.g. ``"plan__"``). The one home of the period test of this app."""
    return Q(**{f"{prefix}valid_from__lte": end}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": start})
    )


class BaseProviderLinkQuerySet(models.QuerySet):
    def in_force_between(self, start, end) -> "BaseProviderLinkQuerySet":
        """Links in force on at least one day of ``start``..``end``. The one home of "a
        base-support link in force" (used by the reach of a provider's specialist, the
        base-support planning rule, the case file's summary; its SQL twin in billing.rules
        is held to it by tests; :meth:`BaseProviderLink.is_in_force_on` says it for one link)."""
        return self.filter(in_force_q(start, end))

    def in_force_on(self, day) -> "BaseProviderLinkQuerySet":
        return self.in_force_between(day, day)


class BaseProviderLink(models.Model):
    """Seostamine: the person's base-support provider (baastoetuse osutaja) for a period.

    Chosen with the person from the municipality's contracted base-support
    providers; a change ends the earlier link the day before the new one starts."""

    case = models.ForeignKey(
        Case, verbose_name=_("case file"), on_delete=models.PROTECT, related_name="base_provider_links"
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("base-support provider"), on_delete=models.PROTECT, related_name="base_links"
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    choice_explained = models.BooleanField(
        _("the choice was explained to the person"), default=False,
        help_text=_("The person was told about the base-support providers of the area and chose with you."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("E.g. which providers were presented."))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = BaseProviderLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("base-support provider link")
        verbose_name_plural = _("base-support provider links")
        ordering = ["case", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                name="base_link_ends_after_it_starts",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                violation_error_message=_("A link cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="base_link_choice_explained",
                condition=Q(choice_explained=True),
                violation_error_message=_("Explain the choice of base-support providers to the person first."),
            ),
            ExclusionConstraint(
                name="base_links_do_not_overlap",
                expressions=[
                    ("case", RangeOperators.EQUAL),
                    (inclusive_range("valid_from", "valid_to"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("The person already has a base-support provider in this period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} ({self.valid_from:%d.%m.%Y}–)"

    def is_in_force_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class PlanKind(models.TextChoices):
    ACTION = "action", _("action plan")
    SUPPORT = "support", _("support plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    AGREED = "agreed", _("agreed with the person")


class PlanQuerySet(models.QuerySet):
    def in_force_between(self, start, end) -> "PlanQuerySet":
        """Agreed plan versions in force on at least one day of ``start``..``end``."""
        return self.filter(in_force_q(start, end), status=PlanStatus.AGREED)


class Plan(models.Model):
    """One version of a person's action plan (tegevusplaan) or support plan (toetusplaan).

    A change makes a new version from a date; the earlier version then ends the
    day before and stays as it was. Agreed versions of one case never overlap."""

    Kind = PlanKind
    Status = PlanStatus

    case = models.ForeignKey(Case, verbose_name=_("case file"), on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(_("kind"), max_length=10, choices=PlanKind.choices, default=PlanKind.ACTION)
    version = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    agreed_on = models.DateField(_("agreed with the person on"), null=True, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT, related_name="+"
    )
    previous = models.ForeignKey(
        "self", verbose_name=_("previous version"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="next_versions",
    )
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("based on the assessment"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="plans",
    )
    change_reason = models.TextField(_("reason for the change"), blank=True)
    # Handbook form B: what the person can build on, and what stands in the way.
    resources = models.TextField(_("resources"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="plan_version_unique_per_case"),
            models.CheckConstraint(
                name="plan_ends_after_it_starts",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                violation_error_message=_("A plan cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="agreed_plan_has_agreement_date",
                condition=~Q(status=PlanStatus.AGREED) | Q(agreed_on__isnull=False),
                violation_error_message=_("An agreed plan needs the date of the agreement."),
            ),
            ExclusionConstraint(
                name="agreed_plan_versions_do_not_overlap",
                expressions=[
                    ("case", RangeOperators.EQUAL),
                    (inclusive_range("valid_from", "valid_to"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status=PlanStatus.AGREED),
                violation_error_message=_("Another agreed version of this plan is in force in this period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({self.case.number})"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT


class PlanLineQuerySet(models.QuerySet):
    def in_force_between(self, start, end) -> "PlanLineQuerySet":
        """Lines that buy on at least one day of ``start``..``end``: the plan version is agreed
        and in force then, and so is the line itself. The one home of "a plan line in force"
        (:meth:`PlanLine.is_in_force_on` says it for one line and day; SQL twins in
        billing.rules and billing.plans are held to it by tests)."""
        return self.filter(
            in_force_q(start, end, prefix="plan__"), in_force_q(start, end), plan__status=PlanStatus.AGREED
        )

    def in_force_on(self, day) -> "PlanLineQuerySet":
        return self.in_force_between(day, day)


class PlanLine(models.Model):
    """A component bought for the person: from which provider, in which form, how
    many hours a month, for which period, at the unit price of the contract."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines")
    component = models.ForeignKey(Component, verbose_name=_("component"), on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="plan_lines")
    form = models.CharField(
        _("form"), max_length=1, choices=[(Form.INDIVIDUAL, _("individual")), (Form.GROUP, _("group"))]
    )
    monthly_quantity = models.DecimalField(
        _("hours a month"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    unit_price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)],
        help_text=_("Looked up from the provider's contract when the line is made."),
    )
    history = HistoricalRecords()

    objects = PlanLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["plan", "component__code", "valid_from"]
        constraints = [
            models.CheckConstraint(
                name="plan_line_ends_after_it_starts",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                violation_error_message=_("A plan line cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="plan_line_quantity_and_price_not_negative",
                condition=Q(monthly_quantity__gte=0) & Q(unit_price__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component.code} · {self.provider} · {self.monthly_quantity} h"

    def is_in_force_on(self, day) -> bool:
        """The line buys on ``day``: its plan version is agreed and in force and so is the line
        itself (the queryset twin is :func:`assessments.selectors.plan_lines_on`)."""
        plan = self.plan
        return (
            plan.status == PlanStatus.AGREED
            and plan.valid_from <= day and (plan.valid_to is None or day <= plan.valid_to)
            and self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
        )

    @property
    def ends_on(self):
        """The last day the line is in force: its own end or its plan version's, the earlier."""
        ends = [day for day in (self.valid_to, self.plan.valid_to) if day]
        return min(ends) if ends else None

    def clean(self) -> None:
        super().clean()
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("A plan line cannot end before it starts.")})


class Goal(models.Model):
    """A goal of the plan, tied to a life domain of the assessment."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals")
    domain = models.ForeignKey(
        InstrumentItem, verbose_name=_("life domain"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("goal"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class SubGoal(models.Model):
    """A measurable step towards a goal: what, how it is measured, by when."""

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="subgoals")
    text = models.CharField(_("sub-goal"), max_length=300)
    measure = models.CharField(
        _("how it is measured"), max_length=300, help_text=_("E.g. goes to the shop alone twice a week.")
    )
    target_date = models.DateField(_("by"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sub-goal")
        verbose_name_plural = _("sub-goals")
        ordering = ["goal", "target_date", "pk"]

    def __str__(self) -> str:
        return self.text


class PlanActivity(models.Model):
    """What is done towards a goal, how often, and who is responsible."""

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="activities")
    text = models.CharField(_("activity"), max_length=300)
    schedule = models.CharField(_("schedule"), max_length=200, help_text=_("E.g. every Tuesday, 2 hours."))
    responsible = models.CharField(_("responsible"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["goal", "pk"]

    def __str__(self) -> str:
        return self.text


class ReviewKind(models.TextChoices):
    INTERIM = "interim", _("interim evaluation")
    FOLLOW_UP = "follow_up", _("follow-up evaluation")


class Progress(models.TextChoices):
    ACHIEVED = "achieved", _("achieved")
    PARTLY = "partly", _("partly achieved")
    NOT_YET = "not_yet", _("not achieved yet")
    DROPPED = "dropped", _("no longer relevant")


class PlanReview(models.Model):
    """Vahehindamine or järelhindamine of a plan (handbook form B1): period, progress per
    goal, overall assessment and recommendations."""

    Kind = ReviewKind

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=10, choices=ReviewKind.choices, default=ReviewKind.INTERIM)
    sequence = models.PositiveSmallIntegerField(_("number of the review"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    overall = models.TextField(_("overall assessment of how the plan was carried out"))
    recommendations = models.TextField(_("recommendations"), blank=True)
    reviewed_on = models.DateField(_("date"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["plan", "-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="review_period_in_order",
                condition=Q(period_end__gte=F("period_start")),
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reviewed_on:%d.%m.%Y}"


class GoalProgress(models.Model):
    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="progress")
    progress = models.CharField(_("progress"), max_length=10, choices=Progress.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("progress of a goal")
        verbose_name_plural = _("progress of goals")
        ordering = ["review", "goal__order", "goal__pk"]
        constraints = [models.UniqueConstraint(fields=["review", "goal"], name="goal_progress_once_per_review")]

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_progress_display()}"


class QolOccasion(models.TextChoices):
    ENTRY = "entry", _("at entry")
    YEAR = "year", _("after 12 months")
    EXIT = "exit", _("at exit")


class QolRespondent(models.TextChoices):
    PERSON = "person", _("the person")
    SPECIALIST = "specialist", _("base-support specialist")


class QolSurvey(models.Model):
    """A quality-of-life survey (elukvaliteedi hinnang), answered by the person or, separately,
    by the base-support specialist."""

    Occasion = QolOccasion
    Respondent = QolRespondent

    case = models.ForeignKey(Case, verbose_name=_("case file"), on_delete=models.PROTECT, related_name="qol_surveys")
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("questionnaire version"), on_delete=models.PROTECT, related_name="surveys"
    )
    occasion = models.CharField(_("occasion"), max_length=10, choices=QolOccasion.choices)
    respondent = models.CharField(_("answered by"), max_length=12, choices=QolRespondent.choices)
    answered_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quality-of-life survey")
        verbose_name_plural = _("quality-of-life surveys")
        ordering = ["case", "-answered_on", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "occasion", "respondent"], name="qol_survey_once_per_occasion",
                violation_error_message=_("This survey has already been recorded for this occasion."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} · {self.get_respondent_display()} {self.answered_on:%d.%m.%Y}"


class QolAnswer(models.Model):
    survey = models.ForeignKey(QolSurvey, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(InstrumentItem, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(ScaleLevel, verbose_name=_("answer"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["survey", "item__order"]
        constraints = [models.UniqueConstraint(fields=["survey", "item"], name="qol_answer_one_per_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.level}"
