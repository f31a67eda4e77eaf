"""Signed evidence kept in the case file, and the retention runs that remove old case files."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EvidenceStorage(LazyObject):
    """The private store of signed documents (``STORAGES["evidence"]``): never under a URL,
    served only by the download view after the permission check."""

    def _setup(self):
        self._wrapped = storages["evidence"]


evidence_storage = EvidenceStorage()


def evidence_store():
    """The field's storage as a callable, so migrations name this function, not a path of one
    machine (``STORAGES["evidence"]`` differs between production, development and tests)."""
    return storages["evidence"]


def evidence_path(instance: Attachment, filename: str) -> str:
    """A random name per file, in a folder per case file; the uploader's file name is kept
    only as text (``original_name``), never as a path."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}{suffix}"


class AttachmentKind(models.TextChoices):
    CONSENT = "consent", _("consent to process personal data")
    COOPERATION = "cooperation", _("cooperation agreement")
    ENTRY_QUESTIONNAIRE = "entry_questionnaire", _("entry questionnaire")
    EXIT_QUESTIONNAIRE = "exit_questionnaire", _("exit questionnaire")
    ATTENDANCE_SHEET = "attendance_sheet", _("attendance sheet")
    MEETING_MINUTES = "meeting_minutes", _("network meeting minutes")


class Attachment(models.Model):
    """A signed document of the case file: a scan (PDF, JPEG, PNG) or a digitally signed
    container (.asice / .bdoc). An attendance sheet names its month and provider."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case file"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    kind = models.CharField(_("document"), max_length=30, choices=AttachmentKind.choices)
    document_date = models.DateField(
        _("date of the document"), help_text=_("The date it was signed or filled in.")
    )
    month = models.DateField(
        _("month"), null=True, blank=True, help_text=_("For an attendance sheet: its month.")
    )
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(
        _("file"), storage=evidence_store, upload_to=evidence_path, max_length=300
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        ordering = ["-document_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="attachment_month_only_for_attendance_sheets",
                condition=Q(kind="attendance_sheet", month__isnull=False, month__day=1)
                | (~Q(kind="attendance_sheet") & Q(month__isnull=True)),
                violation_error_message=_(
                    "An attendance sheet names its month; other documents do not."
                ),
            ),
            models.CheckConstraint(name="attachment_not_empty", condition=Q(size__gt=0)),
        ]
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_date:%d.%m.%Y}"

    @property
    def is_signed_container(self) -> bool:
        return self.content_type == "application/vnd.etsi.asic-e+zip"


class RetentionRun(models.Model):
    """One run of the retention job: a dry run lists what is past the retention period, a
    real run removes it. ``report`` names case files by id, number and municipality only:
    never what was removed."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    dry_run = models.BooleanField(_("dry run"))
    cutoff = models.DateField(_("ended on or before"))
    case_count = models.PositiveIntegerField(_("case files"), default=0)
    skipped_count = models.PositiveIntegerField(_("left for an open invoice"), default=0)
    report = models.JSONField(_("report"), default=list, blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        kind = _("dry run") if self.dry_run else _("removal")
        return f"{self.started_at:%d.%m.%Y %H:%M} {kind}: {self.case_count}"


class RemovalRecord(models.Model):
    """That a case file was removed by the retention job: which one (id, number,
    municipality), when it ended, and how many records of each kind went. Nothing that was
    removed is kept here."""

    run = models.ForeignKey(
        RetentionRun, verbose_name=_("retention run"), on_delete=models.PROTECT, related_name="removals"
    )
    case_id = models.PositiveBigIntegerField(_("case file id"), unique=True)
    case_number = models.CharField(_("case number"), max_length=20)
    municipality = models.ForeignKey(
        "accounts.Municipality", verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(_("ended on"))
    removed_at = models.DateTimeField(_("removed at"), auto_now_add=True)
    counts = models.JSONField(_("records removed"), default=dict)

    class Meta:
        verbose_name = _("removed case file")
        verbose_name_plural = _("removed case files")
        ordering = ["-removed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_number} {self.removed_at:%d.%m.%Y}"
