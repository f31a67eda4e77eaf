"""Attendance (deliveries), funding agreements, billing months, invoices and adjustments.

Two rules live in PostgreSQL, not only here: a delivery dated in a locked month
of its municipality can be neither inserted, changed nor deleted (a trigger,
migration 0002), and one specialist's timed sessions never overlap (an
exclusion constraint on ``slot``, which the same trigger fills in)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Municipality
from cases.models import Case
from components.models import Component
from providers.models import Contract, Provider, Specialist
from tugi.workdays import add_months, month_end, month_start

from .validators import validate_iban, validate_reference_number

MONEY = {"max_digits": 12, "decimal_places": 2}


class DeliveryForm(models.TextChoices):
    INDIVIDUAL = "I", _("individual")
    GROUP = "G", _("group")


class Status(models.TextChoices):
    OK = "ok", _("in order")
    WARNING = "warning", _("warning")
    ACCEPTED = "accepted", _("warning accepted")
    ERROR = "error", _("error")


#: The history rows of deliveries are read by delivery id and date only; their reference columns
#: are not indexed (an import writes one history row per delivery).
HISTORY_NOT_INDEXED = [
    "municipality", "case", "component", "provider", "specialist", "contract", "accepted_by", "created_by",
]


class Delivery(models.Model):
    """One session of one component delivered to one person (a line of the attendance sheet,
    *osalemise leht*). A group session is several deliveries sharing ``session_key``.

    Its references are checked by the database once per statement, not once per row (migration
    0011): a trigger on the inserted or updated rows as a set, and triggers on the referenced
    tables that refuse deleting a row a delivery names (``db_constraint=False`` below). The
    municipality, case and provider need no index of their own: the (…, date) indexes lead with
    them."""

    class Source(models.TextChoices):
        FORM = "form", pgettext_lazy("delivery source", "form")
        GRID = "grid", _("week grid")
        IMPORT = "import", _("import")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+",
        db_constraint=False, db_index=False,
    )
    case = models.ForeignKey(
        Case, verbose_name=_("person"), on_delete=models.PROTECT, related_name="deliveries",
        db_constraint=False, db_index=False,
    )
    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.PROTECT, related_name="+",
        db_constraint=False,
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="deliveries",
        db_constraint=False, db_index=False,
    )
    specialist = models.ForeignKey(
        Specialist, verbose_name=_("specialist"), on_delete=models.PROTECT, related_name="deliveries",
        db_constraint=False,
    )
    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="deliveries", db_constraint=False,
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(
        _("start time"), null=True, blank=True,
        help_text=_("When the session began; needed to catch overlapping sessions."),
    )
    minutes = models.PositiveIntegerField(_("duration (minutes)"), validators=[MinValueValidator(1)])
    form = models.CharField(_("form"), max_length=1, choices=DeliveryForm.choices)
    session_key = models.UUIDField(_("session"), default=uuid.uuid4, editable=False)
    recipient_name = models.CharField(
        _("recipient"), max_length=200, blank=True,
        help_text=_("Leave empty when the person themself received it; else the relative's name."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    unit_price = models.DecimalField(_("unit price"), null=True, blank=True, **MONEY)
    amount = models.DecimalField(_("amount"), null=True, blank=True, **MONEY)
    status = models.CharField(_("check"), max_length=10, choices=Status.choices, default=Status.OK)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    accepted_reason = models.CharField(_("reason for accepting"), max_length=300, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.FORM)
    # Filled in by the database trigger from date, start_time and minutes (never by Python).
    slot = DateTimeRangeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["slot"], no_db_index=HISTORY_NOT_INDEXED, user_db_constraint=False)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                name="delivery_minutes_positive", condition=Q(minutes__gt=0),
                violation_error_message=_("Minutes must be more than zero."),
            ),
            models.CheckConstraint(
                name="delivery_minutes_at_most_a_day", condition=Q(minutes__lte=480),
                violation_error_message=_("A session lasts at most one working day (480 minutes)."),
            ),
            models.CheckConstraint(
                name="delivery_amount_not_negative", condition=Q(amount__isnull=True) | Q(amount__gte=0),
            ),
            models.UniqueConstraint(
                fields=[
                    "case", "component", "provider", "specialist", "date", "start_time",
                    "minutes", "form", "recipient_name",
                ],
                nulls_distinct=False,
                name="delivery_no_exact_duplicate",
                violation_error_message=_("This session has already been recorded."),
            ),
            ExclusionConstraint(
                name="delivery_specialist_sessions_do_not_overlap",
                expressions=[
                    ("specialist", RangeOperators.EQUAL),
                    ("slot", RangeOperators.OVERLAPS),
                    ("session_key", RangeOperators.NOT_EQUAL),
                ],
                condition=Q(slot__isnull=False),
                violation_error_message=_("The specialist already has a session at this time."),
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "date"], name="delivery_kov_date"),
            models.Index(fields=["provider", "date"], name="delivery_provider_date"),
            models.Index(fields=["case", "date"], name="delivery_case_date"),
            # Only rows with a problem: the close's checks read these, never the whole month.
            models.Index(
                fields=["municipality", "date"], name="delivery_problems",
                condition=Q(status__in=["error", "warning"]) | Q(amount__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.component.code} {self.minutes} min"

    @property
    def month(self) -> date:
        return month_start(self.date)


class Payer(models.Model):
    """Reference data: who the consolidated invoices are addressed to (the buyer). In the pilot
    that is SKA, the one default row (migration 0007); an administrator may correct it."""

    name = models.CharField(_("name"), max_length=200)
    registry_code = models.CharField(_("registry code"), max_length=8, unique=True)
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country_code = models.CharField(_("country code"), max_length=2, default="EE")
    is_default = models.BooleanField(_("default payer"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payer")
        verbose_name_plural = _("payers")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="payer_one_default"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street_address}, {self.postal_code} {self.city}"

    def as_party(self) -> dict:
        """The buyer as an invoice keeps it (a snapshot: later edits do not change issued invoices)."""
        return {
            "name": self.name, "registry_code": self.registry_code, "street_address": self.street_address,
            "postal_code": self.postal_code, "city": self.city, "country_code": self.country_code,
        }


class FundingAgreement(models.Model):
    """The agreement between a KOV and SKA (*rahastusleping*): planned places P, monthly
    case-management fee F at full capacity, stage I = the first four months; and the KOV's
    invoicing details (the seller on every consolidated invoice under it)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT,
        related_name="funding_agreements",
    )
    number = models.CharField(_("agreement number"), max_length=50)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    planned_places = models.PositiveIntegerField(_("planned places"), validators=[MinValueValidator(1)])
    monthly_fee = models.DecimalField(
        _("monthly case-management fee"), validators=[MinValueValidator(0)], **MONEY,
        help_text=_("The fee for one month at full capacity (all planned places filled)."),
    )
    maximum_amount = models.DecimalField(_("maximum amount"), validators=[MinValueValidator(0)], **MONEY)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city or parish"), max_length=100, blank=True)
    iban = models.CharField(
        _("bank account (IBAN)"), max_length=34, blank=True, validators=[validate_iban],
        help_text=_("The account SKA pays the invoices into, e.g. EE382200221020145685."),
    )
    reference_number = models.CharField(
        _("reference number"), max_length=20, blank=True, validators=[validate_reference_number],
        help_text=_("Optional: the reference number (viitenumber) SKA should quote when paying."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    history = HistoricalRecords()

    STAGE_ONE_MONTHS = 4
    TARGET_SHARE = Decimal("0.90")

    class Meta:
        verbose_name = _("funding agreement")
        verbose_name_plural = _("funding agreements")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(name="funding_places_positive", condition=Q(planned_places__gt=0)),
            models.CheckConstraint(name="funding_fee_not_negative", condition=Q(monthly_fee__gte=0)),
            models.UniqueConstraint(fields=["municipality", "number"], name="funding_number_unique"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def stage_one_end(self) -> date:
        """The last day of stage I (the first four months from the start date)."""
        return add_months(self.start_date, self.STAGE_ONE_MONTHS) - timedelta(days=1)

    def in_stage_one(self, month: date) -> bool:
        return month_start(month) < month_start(add_months(self.start_date, self.STAGE_ONE_MONTHS))

    @property
    def target_participants(self) -> Decimal:
        return self.planned_places * self.TARGET_SHARE

    def clean(self):
        super().clean()
        self.iban = self.iban.replace(" ", "").upper()

    def latest_evaluation(self, month: date) -> InterimEvaluation | None:
        """The interim evaluation that decides ``month``'s fee: the latest on or before its end."""
        return self.evaluations.filter(date__lte=month_end(month)).order_by("-date").first()

    def missing_invoicing_details(self) -> list[str]:
        """What the seller block of an invoice (and the e-invoice) would lack, in words."""
        checks = [
            (self.municipality.registry_code, _("the municipality's registry code (ask the administrator)")),
            (self.street_address and self.postal_code and self.city, _("the address")),
            (self.iban, _("the bank account (IBAN)")),
            (self.contact_name, _("the contact person")),
        ]
        return [str(label) for present, label in checks if not present]

    def seller_party(self) -> dict:
        """The KOV as the seller of an invoice under this agreement (a snapshot)."""
        kov = self.municipality
        return {
            "name": kov.name, "registry_code": kov.registry_code, "street_address": self.street_address,
            "postal_code": self.postal_code, "city": self.city, "country_code": "EE", "iban": self.iban,
            "contact_name": self.contact_name, "contact_email": self.contact_email or kov.email,
            "contact_phone": self.contact_phone, "agreement_number": self.number,
        }


class InterimEvaluation(models.Model):
    """*Vahehindamine*: participants counted at the end of stage I, then yearly; sets the fee factor."""

    agreement = models.ForeignKey(
        FundingAgreement, verbose_name=_("funding agreement"), on_delete=models.PROTECT,
        related_name="evaluations",
    )
    date = models.DateField(_("date"))
    participants = models.PositiveIntegerField(_("participants counted"))
    decided_fee = models.DecimalField(
        _("monthly fee decided by SKA"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY,
        help_text=_("Only if SKA decided the monthly case-management fee itself; it then replaces the rule."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interim evaluation")
        verbose_name_plural = _("interim evaluations")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "date"], name="evaluation_one_per_day"),
            models.CheckConstraint(
                name="evaluation_decided_fee_not_negative",
                condition=Q(decided_fee__isnull=True) | Q(decided_fee__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}: {self.participants}"


class MonthState(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    SUBMITTED = "submitted", _("submitted to SKA")
    RETURNED = "returned", _("returned by SKA")
    ACCEPTED = "accepted", _("accepted by SKA")


#: States in which nothing dated in the month may change (the trigger uses the same list).
LOCKED_STATES = (MonthState.CLOSED, MonthState.SUBMITTED, MonthState.RETURNED, MonthState.ACCEPTED)


class BillingMonth(models.Model):
    """One calendar month of one municipality; the row a close locks (select_for_update)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    state = models.CharField(_("state"), max_length=10, choices=MonthState.choices, default=MonthState.OPEN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("billing month")
        verbose_name_plural = _("billing months")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month"], name="billing_month_unique"),
            models.CheckConstraint(name="billing_month_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.month:%m.%Y}"

    @property
    def is_locked(self) -> bool:
        return self.state in LOCKED_STATES

    #: The one rule of reopening: a month closed but not yet submitted, or returned by SKA.
    REOPENABLE_STATES = (MonthState.CLOSED, MonthState.RETURNED)

    @property
    def may_reopen(self) -> bool:
        """May the coordinator reopen this month for corrections? (Never once SKA has it.)"""
        return self.state in self.REOPENABLE_STATES


#: SKA counts an invoice once the municipality has submitted it, and until SKA returns it.
COUNTED_INVOICE_STATES = ("submitted", "accepted")


class InvoiceQuerySet(models.QuerySet):
    """The one home of "which invoices count"."""

    def counted_by_ska(self) -> InvoiceQuerySet:
        """Submitted and accepted versions: every SKA figure, report, chart and maximum-amount
        figure sums these and nothing else (never closed-unsubmitted, returned or withdrawn)."""
        return self.filter(state__in=COUNTED_INVOICE_STATES)

    def live(self) -> InvoiceQuerySet:
        """Versions still standing for their month (not withdrawn by a reopen); at most one
        per month is closed, submitted or accepted, and older returned ones may remain."""
        return self.exclude(state=Invoice.State.WITHDRAWN)


class Invoice(models.Model):
    """The consolidated invoice (*koondarve*) of one month, one version per close."""

    class State(models.TextChoices):
        CLOSED = "closed", _("closed, not submitted")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        ACCEPTED = "accepted", _("accepted")
        WITHDRAWN = "withdrawn", _("withdrawn (month reopened)")

    billing_month = models.ForeignKey(
        BillingMonth, verbose_name=_("month"), on_delete=models.PROTECT, related_name="invoices"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    version = models.PositiveSmallIntegerField(_("version"))
    number = models.CharField(_("invoice number"), max_length=30, unique=True)
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.CLOSED)
    case_management_fee = models.DecimalField(_("case-management fee"), **MONEY)
    components_total = models.DecimalField(_("components"), **MONEY)
    adjustments_total = models.DecimalField(_("adjustments"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT, null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_on_time = models.BooleanField(_("submitted on time"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    remarks = models.TextField(_("remarks"), blank=True)
    issue_date = models.DateField(_("invoice date"), null=True)
    fee_basis = models.CharField(_("basis of the case-management fee"), max_length=300, blank=True)
    seller = models.JSONField(_("seller"), default=dict)
    buyer = models.JSONField(_("buyer"), default=dict)
    reference_number = models.CharField(_("reference number"), max_length=20, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("consolidated invoice")
        verbose_name_plural = _("consolidated invoices")
        ordering = ["-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["billing_month", "version"], name="invoice_one_per_version"),
            models.UniqueConstraint(
                fields=["billing_month"],
                condition=~Q(state__in=["returned", "withdrawn"]),
                name="invoice_one_live_version_per_month",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def state_label(self) -> str:
        """The state in words, as get_state_display() but without translating every choice to
        find one (lists print it on every row)."""
        return str(self.State(self.state).label)

    @property
    def period_end(self) -> date:
        return month_end(self.month)


class InvoiceLine(models.Model):
    """A line of the invoice: the fee, one component, or one adjustment of an earlier month."""

    class Kind(models.TextChoices):
        FEE = "fee", _("case-management fee")
        COMPONENT = "component", _("component")
        ADJUSTMENT = "adjustment", _("adjustment")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    component = models.ForeignKey(Component, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(_("description"), max_length=300)
    hours = models.DecimalField(_("hours"), max_digits=14, decimal_places=4, null=True, blank=True)
    sessions = models.PositiveIntegerField(_("sessions"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    original_month = models.DateField(_("original month"), null=True, blank=True)
    adjustment = models.ForeignKey(
        "Adjustment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.description


class InvoicePersonLine(models.Model):
    """A row of the per-person cost report (*KOV_Teenuskomponentide andmekogu*) as closed."""

    # The close writes thousands of these rows in one statement. Their references are checked by
    # the database once per statement, not once per row: statement triggers (migration 0007)
    # lock and check the invoice and cases named, keep a named case from being deleted and take
    # an invoice's lines with it, as the foreign keys did. The invoice has no index of its own:
    # the unique (invoice, case) index starts with it.
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="person_lines", db_index=False, db_constraint=False
    )
    # No index of its own either: only deleting a case looks lines up by case (rare, and a case
    # with lines is refused), while every close would pay for it on each of its rows (migration 0014).
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False)
    hours = models.DecimalField(_("hours"), max_digits=14, decimal_places=4)
    sessions = models.PositiveIntegerField(_("sessions"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "case"], name="person_line_one_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.amount}"


class InvoiceContractTotal(models.Model):
    """The month's deliveries under one contract, summed when the invoice was closed (written
    by ``services.store_contract_totals``). The month is locked from the close on, and a
    correction after acceptance is an :class:`Adjustment`, never a change of the delivery, so
    these stay equal to the deliveries' sum; a contract's usage against its maximum reads them
    instead of every delivery of every counted month."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="contract_totals")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="+")
    sessions = models.PositiveIntegerField(_("sessions"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invoice", "contract"], name="contract_total_one_per_invoice"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.contract_id}: {self.amount}"


class Adjustment(models.Model):
    """A correction of a delivery in an accepted month, invoiced in a later open month."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("invoiced in month"))
    delivery = models.ForeignKey(
        Delivery, verbose_name=_("original delivery"), on_delete=models.PROTECT, related_name="adjustments"
    )
    original_month = models.DateField(_("original month"))
    new_minutes = models.PositiveIntegerField(
        _("correct minutes"), help_text=_("0 if the session did not take place.")
    )
    amount = models.DecimalField(_("change in amount"), **MONEY)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["month", "pk"]
        constraints = [
            models.CheckConstraint(
                name="adjustment_in_a_later_month", condition=Q(month__gt=models.F("original_month"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_month:%m.%Y} → {self.month:%m.%Y}: {self.amount}"


class ImportJob(models.Model):
    """An attendance file too large to import in the request: imported by a Celery task
    (:func:`billing.tasks.run_import`), its progress shown to the user who sent it. The file is
    kept until the import has ended."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import job status", "Queued")
        RUNNING = "running", pgettext_lazy("import job status", "Running")
        DONE = "done", pgettext_lazy("import job status", "Imported")
        REFUSED = "refused", pgettext_lazy("import job status", "Refused")
        FAILED = "failed", pgettext_lazy("import job status", "Failed")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10, default="et")
    filename = models.CharField(_("file"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content = models.BinaryField(_("content"), editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    progress_message = models.CharField(_("progress message"), max_length=200, blank=True)
    #: Done: {"created": n, "already": [[line, message], ...], "months": ["2026-04-01", ...]};
    #: refused: {"lines": [[line, reason], ...]}; failed: {"error": "..."}.
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
