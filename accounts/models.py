from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .validators import validate_registry_code


class Municipality(models.Model):
    """A local government (KOV). Every record of a KOV is scoped to one of these."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(
        _("EHAK code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("The EHAK code has exactly four digits."))],
        help_text=_(
            "The four-digit code of the municipality in the Estonian administrative classification (EHAK)."
        ),
    )
    registry_code = models.CharField(
        _("registry code"),
        max_length=8,
        blank=True,
        validators=[validate_registry_code],
        help_text=_(
            "The municipality's code in the register of state and local government institutions."
        ),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    COORDINATOR = "coordinator", _("KOV coordinator")
    PROVIDER = "provider", _("Provider specialist")
    SKA = "ska", _("SKA staff")
    ADMIN = "admin", _("Administrator")


#: Roles whose user works for one municipality and must be bound to it.
KOV_ROLES = frozenset({Role.CASE_MANAGER, Role.COORDINATOR})


class User(AbstractUser):
    """A person who signs in. KOV staff are bound to exactly one municipality;
    provider specialists to one provider (the providers app adds that binding);
    SKA staff and administrators to none."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The provider a provider specialist works for."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    REQUIRED_FIELDS = ["email", "role"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                name="kov_staff_bound_to_one_municipality",
                condition=(
                    Q(role__in=sorted(KOV_ROLES), municipality__isnull=False)
                    | Q(role__in=[Role.SKA, Role.ADMIN], municipality__isnull=True)
                    | Q(role=Role.PROVIDER)
                ),
                violation_error_message=_(
                    "Case managers and coordinators belong to exactly one municipality; "
                    "SKA staff and administrators to none."
                ),
            ),
            models.CheckConstraint(
                name="provider_specialists_bound_to_one_provider",
                condition=Q(role=Role.PROVIDER, provider__isnull=False)
                | (~Q(role=Role.PROVIDER) & Q(provider__isnull=True)),
                violation_error_message=_(
                    "A provider specialist works for exactly one provider; other roles for none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in KOV_ROLES and not self.municipality_id:
            raise ValidationError(
                {"municipality": _("Choose the municipality this user works for.")}
            )
        if self.role in (Role.SKA, Role.ADMIN) and self.municipality_id:
            raise ValidationError(
                {"municipality": _("SKA staff and administrators are not bound to a municipality.")}
            )
        if self.role == Role.PROVIDER and not self.provider_id:
            raise ValidationError({"provider": _("Choose the provider this specialist works for.")})
        if self.role != Role.PROVIDER and self.provider_id:
            raise ValidationError({"provider": _("Only provider specialists are bound to a provider.")})

    def save(self, *args, **kwargs):
        # Administrators manage the deployment through Django's admin site.
        if self.role == Role.ADMIN:
            self.is_staff = True
            self.is_superuser = True
        super().save(*args, **kwargs)

    @property
    def is_case_manager(self) -> bool:
        return self.role == Role.CASE_MANAGER

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_provider(self) -> bool:
        return self.role == Role.PROVIDER

    @property
    def is_ska(self) -> bool:
        return self.role == Role.SKA

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN


#: The model whose rows are "persons" for the access log (see ``AccessLog.person_id``).
PERSON_MODEL = "cases.Person"


class AccessLog(models.Model):
    """One row per view of (or download about) a person's record: who, whom, when, from where.

    Rows are never changed or deleted through the application."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        DOWNLOAD = "download", _("downloaded")
        EXPORT = "export", _("exported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("whom"), max_length=200)
    #: Whose data this was: the ``cases.Person`` the subject belongs to (the person
    #: themselves, their case file, a plan, an attachment...). A plain id, not a foreign
    #: key: accounts sits below cases, and the row outlives a pseudonymised person.
    person_id = models.PositiveBigIntegerField(_("person"), null=True, blank=True)
    action = models.CharField(
        _("action"), max_length=20, choices=Action.choices, default=Action.VIEW
    )
    path = models.CharField(_("address"), max_length=500)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("record view")
        verbose_name_plural = _("record views")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-at"], name="accesslog_subject"),
            models.Index(fields=["person_id", "-at"], name="accesslog_person"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%d.%m.%Y %H:%M} {self.user} {self.get_action_display()} {self.subject_label}"
        )
