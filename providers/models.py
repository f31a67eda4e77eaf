"""Service providers, their specialists, contracts with municipalities and unit prices.

A provider is a deployment-wide record (one legal entity may serve several
KOVs); a contract binds it to one municipality for a period, up to a maximum
amount, and lists the components it covers with their unit prices and the
periods those prices are valid. Prices of one component under one contract never
overlap in time: PostgreSQL refuses it with an exclusion constraint."""

from datetime import date

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Municipality
from accounts.validators import validate_registry_code
from components.models import Component

ZERO = 0


class DateRange(Func):
    """PostgreSQL's daterange(from, to, '[]'): an open end (NULL) is unbounded."""

    function = "DATERANGE"
    output_field = DateRangeField()


def inclusive_range(start: str, end: str) -> DateRange:
    return DateRange(start, end, RangeBoundary(inclusive_lower=True, inclusive_upper=True))


class ProviderType(models.TextChoices):
    KOV = "kov", _("the municipality itself")
    KOV_INSTITUTION = "kov_institution", _("institution managed by a municipality")
    NGO = "ngo", _("non-profit association")
    FOUNDATION = "foundation", _("foundation")
    COMPANY = "company", _("company")


class Provider(models.Model):
    """A legal entity that delivers service components (*teenuseosutaja*)."""

    name = models.CharField(_("name"), max_length=200)
    registry_code = models.CharField(
        _("registry code"),
        max_length=8,
        unique=True,
        validators=[validate_registry_code],
        help_text=_("The eight-digit code in the Estonian commercial or non-profit register."),
    )
    type = models.CharField(_("type"), max_length=20, choices=ProviderType.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fields_of_activity = models.TextField(_("fields of activity"), blank=True)
    offers_base_support = models.BooleanField(
        _("base-support provider"), default=False, help_text=_("Delivers base support (B1–B3).")
    )
    offers_additional_support = models.BooleanField(
        _("additional-support provider"),
        default=True,
        help_text=_("Delivers additional-support components (L01–L24)."),
    )
    target_groups = models.TextField(
        _("target groups served"), blank=True, help_text=_("Whom the provider works with.")
    )
    exclusions = models.TextField(
        _("exclusions"),
        blank=True,
        help_text=_("Whom the provider cannot serve, e.g. visually impaired people."),
    )
    works_offered = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("works offered"),
        default=list,
        blank=True,
        help_text=_(
            "Work the provider offers, separated by commas, e.g. sewing, cleaning, packing."
        ),
    )
    added_by = models.ForeignKey(
        Municipality,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The municipality whose coordinator entered the provider."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def roles_display(self) -> str:
        roles = []
        if self.offers_base_support:
            roles.append(str(_("base support")))
        if self.offers_additional_support:
            roles.append(str(_("additional support")))
        return ", ".join(roles)


class Specialist(models.Model):
    """A person working for a provider; optionally a user who signs in."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="specialists"
    )
    name = models.CharField(_("name"), max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="specialist",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("specialist")
        verbose_name_plural = _("specialists")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_qualified_for(self, component: Component, on: date) -> bool:
        """True if the component requires no qualification, or the specialist holds it on ``on``."""
        required = component.required_qualification.strip().lower()
        if not required:
            return True
        return any(
            q.name.strip().lower() == required and q.is_valid_on(on)
            for q in self.qualifications.all()
        )


class Qualification(models.Model):
    """A specialist's qualification and how long it is valid (a component may require one)."""

    specialist = models.ForeignKey(
        Specialist,
        verbose_name=_("specialist"),
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    name = models.CharField(_("qualification"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="qualification_ends_after_it_starts",
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                violation_error_message=_("A qualification cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


class ContractQuerySet(models.QuerySet):
    def in_force_on(self, on: date) -> "ContractQuerySet":
        """Contracts in force on ``on`` (:meth:`Contract.covers` says it for one)."""
        return self.filter(start__lte=on, end__gte=on)

    def in_force_between(self, start: date, end: date | None) -> "ContractQuerySet":
        """Contracts in force some day from ``start`` to ``end`` (None: open-ended)."""
        return self.filter(end__gte=start) if end is None else self.filter(end__gte=start, start__lte=end)


class Contract(models.Model):
    """A contract (*leping*) between a municipality and a provider."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("contract number"), max_length=50)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    maximum_amount = models.DecimalField(
        _("maximum amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("The most the municipality may pay under this contract, in euros."),
    )
    procurement_reference = models.CharField(
        _("procurement reference"),
        max_length=100,
        blank=True,
        help_text=_("The public procurement's reference number, if there was one."),
    )
    history = HistoricalRecords()

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"],
                name="contract_number_unique_per_municipality",
                violation_error_message=_(
                    "This municipality already has a contract with this number."
                ),
            ),
            models.CheckConstraint(
                name="contract_ends_after_it_starts",
                condition=Q(end__gte=F("start")),
                violation_error_message=_("A contract cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="contract_maximum_not_negative",
                condition=Q(maximum_amount__gte=0),
                violation_error_message=_("The maximum amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.provider})"

    def covers(self, on: date) -> bool:
        """In force on ``on``: :meth:`ContractQuerySet.in_force_on` for a contract already loaded."""
        return self.start <= on <= self.end


class PriceFields(models.Model):
    """Unit prices per form and the period they are valid (an open end runs on)."""

    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.PROTECT, related_name="+"
    )
    unit_price_individual = models.DecimalField(
        _("individual unit price"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Euros per unit for individual work; empty if not offered."),
    )
    unit_price_group = models.DecimalField(
        _("group unit price"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Euros per unit per participant for group work; empty if not offered."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Leave empty if the price runs on.")
    )

    class Meta:
        abstract = True

    def price(self, form: str):
        return self.unit_price_individual if form == "I" else self.unit_price_group

    def is_valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("A price cannot end before it starts.")
        if self.component_id:
            if self.unit_price_individual is not None and not self.component.offers_individual:
                errors["unit_price_individual"] = _("This component is not delivered individually.")
            if self.unit_price_group is not None and not self.component.offers_group:
                errors["unit_price_group"] = _("This component is not delivered in groups.")
        if self.unit_price_individual is None and self.unit_price_group is None:
            errors.setdefault("unit_price_individual", _("Enter at least one price."))
        if errors:
            raise ValidationError(errors)


def _price_constraints(prefix: str, owner: str) -> list:
    return [
        models.CheckConstraint(
            name=f"{prefix}_prices_not_negative",
            condition=(Q(unit_price_individual__isnull=True) | Q(unit_price_individual__gte=0))
            & (Q(unit_price_group__isnull=True) | Q(unit_price_group__gte=0)),
            violation_error_message=_("A price cannot be negative."),
        ),
        models.CheckConstraint(
            name=f"{prefix}_ends_after_it_starts",
            condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
            violation_error_message=_("A price cannot end before it starts."),
        ),
        ExclusionConstraint(
            name=f"{prefix}_periods_do_not_overlap",
            expressions=[
                (owner, RangeOperators.EQUAL),
                ("component", RangeOperators.EQUAL),
                (inclusive_range("valid_from", "valid_to"), RangeOperators.OVERLAPS),
            ],
            violation_error_message=_(
                "This component already has a price in this period; prices may not overlap."
            ),
        ),
    ]


class ContractPrice(PriceFields):
    """The unit prices of one component under one contract for one period."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="prices"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract price")
        verbose_name_plural = _("contract prices")
        ordering = ["component__order", "valid_from"]
        constraints = _price_constraints("contractprice", "contract")

    def __str__(self) -> str:
        return f"{self.component.code} {self.valid_from:%d.%m.%Y}"

    def clean(self) -> None:
        super().clean()
        if self.contract_id and self.valid_from:
            contract = self.contract
            end = self.valid_to or contract.end
            if self.valid_from < contract.start or end > contract.end:
                raise ValidationError(
                    {
                        "valid_from": _(
                            "A price must lie inside the contract period (%(start)s–%(end)s)."
                        )
                        % {"start": f"{contract.start:%d.%m.%Y}", "end": f"{contract.end:%d.%m.%Y}"}
                    }
                )

    @property
    def effective_end(self) -> date:
        return self.valid_to or self.contract.end


class DefaultPrice(PriceFields):
    """The municipality's default price list: a starting point for new contract prices."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="default_prices",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("default price")
        verbose_name_plural = _("default price list")
        ordering = ["component__order", "valid_from"]
        constraints = _price_constraints("defaultprice", "municipality")

    def __str__(self) -> str:
        return f"{self.municipality} {self.component.code}"
