"""The service component catalogue: B1–B3 (base support) and L01–L24 (additional support).

The 27 components of the pilot conditions are loaded by a data migration; an
administrator may add components or retire one. A component's code is part of
the product's interface (imports, exports, reports) and is never reused."""

from datetime import date

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Domain(models.TextChoices):
    BASE_SUPPORT = "base_support", _("base support")
    PERSONAL_SUPPORT = "personal_support", _("personal support")
    FAMILY_SUPPORT = "family_support", _("family support")
    SOCIAL_RELATIONS = "social_relations", _("social relations")
    MENTAL_HEALTH = "mental_health", _("mental health")
    PHYSICAL_HEALTH = "physical_health", _("physical health")
    OCCUPATION = "occupation", _("occupation")
    LEISURE = "leisure", _("leisure")
    HOUSING = "housing", _("housing")
    DAILY_LIVING = "daily_living", _("daily living")


class Form(models.TextChoices):
    INDIVIDUAL = "I", _("individual")
    GROUP = "G", _("group")
    BOTH = "IG", _("individual and group")


class ComponentQuerySet(models.QuerySet):
    def in_use_on(self, on: date) -> "ComponentQuerySet":
        return self.filter(models.Q(retired_on__isnull=True) | models.Q(retired_on__gt=on))


class Component(models.Model):
    """A service component (*teenuskomponent*) a plan may include and a provider may deliver.

    Every component is priced per hour (a price is € per hour; a session costs price × minutes /
    60): there is no unit to choose, since billing would have no other way to count it."""

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z][A-Z0-9]{0,9}$", _("Use capital letters and digits, e.g. L25."))
        ],
        help_text=_("A stable code such as B1 or L07; it is never changed or reused."),
    )
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    form = models.CharField(_("form"), max_length=2, choices=Form.choices)
    is_base_support = models.BooleanField(
        _("base support"),
        default=False,
        help_text=_("Delivered by the person's base-support provider."),
    )
    required_qualification = models.CharField(
        _("required qualification"),
        max_length=200,
        blank=True,
        help_text=_("A qualification the specialist delivering this component must hold, if any."),
    )
    retired_on = models.DateField(
        _("retired on"),
        null=True,
        blank=True,
        help_text=_(
            "From this day the component can no longer be planned or priced; its history stays."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = ComponentQuerySet.as_manager()

    class Meta:
        verbose_name = _("service component")
        verbose_name_plural = _("service components")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                name="component_base_support_is_its_domain",
                condition=models.Q(is_base_support=False) | models.Q(domain="base_support"),
                violation_error_message=_(
                    "A base-support component belongs to the base-support domain."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def offers_individual(self) -> bool:
        return self.form in (Form.INDIVIDUAL, Form.BOTH)

    @property
    def offers_group(self) -> bool:
        return self.form in (Form.GROUP, Form.BOTH)

    def offers(self, form: str) -> bool:
        return self.offers_individual if form == Form.INDIVIDUAL else self.offers_group

    def is_retired_on(self, on: date) -> bool:
        return self.retired_on is not None and self.retired_on <= on
