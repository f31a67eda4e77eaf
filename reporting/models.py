"""Report jobs: one row per generated (or to be generated) file, with its history."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Municipality

from .registry import get_kind, kind_choices


class ReportJob(models.Model):
    """A request to generate one file, and the file once it is done.

    The same (kind, municipality, month, subject) may be generated many times:
    exactly one done job is *current*, the older files stay as history."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("report job status", "Queued")
        RUNNING = "running", pgettext_lazy("report job status", "Running")
        DONE = "done", pgettext_lazy("report job status", "Done")
        FAILED = "failed", pgettext_lazy("report job status", "Failed")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("report"), max_length=50, choices=kind_choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    month = models.DateField(_("month"), null=True, blank=True)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    progress_message = models.CharField(_("progress message"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "month", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "municipality", "month", "subject_type", "subject_id"],
                condition=Q(is_current=True),
                nulls_distinct=False,
                name="one_current_report_file",
            ),
            models.UniqueConstraint(
                fields=[
                    "kind",
                    "municipality",
                    "month",
                    "subject_type",
                    "subject_id",
                    "parameters",
                ],
                condition=Q(status__in=["queued", "running"]),
                nulls_distinct=False,
                name="one_active_report_request",
            ),
            models.CheckConstraint(
                name="current_report_is_done",
                condition=Q(is_current=False) | Q(status="done"),
            ),
            models.CheckConstraint(
                name="done_report_has_file",
                condition=~Q(status="done") | (~Q(file="") & ~Q(checksum="")),
            ),
            models.CheckConstraint(
                name="report_progress_is_a_percentage", condition=Q(progress__lte=100)
            ),
            models.CheckConstraint(
                name="report_month_is_first_day",
                condition=Q(month__isnull=True) | Q(month__day=1),
            ),
            models.CheckConstraint(
                name="report_subject_is_complete",
                condition=Q(subject_type__isnull=True, subject_id__isnull=True)
                | Q(subject_type__isnull=False, subject_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        parts = [str(self.kind_label)]
        if self.municipality_id:
            parts.append(str(self.municipality))
        if self.month:
            parts.append(self.month.strftime("%m.%Y"))
        return " · ".join(parts)

    @property
    def report_kind(self):
        return get_kind(self.kind)

    @property
    def kind_label(self):
        try:
            return self.report_kind.label
        except KeyError:
            return self.kind

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)


class Reminder(models.Model):
    """A message the monthly calendar leaves on a user's start page (and, optionally, e-mails):
    the due date of the month's invoice for coordinators, the municipalities that have not
    submitted for SKA staff. ``key`` makes the daily run idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    key = models.CharField(_("key"), max_length=100)
    text = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="reminder_once_per_user_and_key"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
