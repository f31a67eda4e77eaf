"""Services of the archive: adding, replacing and removing signed documents.

Each checks the file by its content and size, saves inside a transaction with the user
recorded in the history, and deletes a replaced or removed file only once the database
change is committed."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tugi.errors import DomainError, validated_save

from .models import Attachment, AttachmentKind, evidence_storage
from .validators import FileType, sniff


class ArchiveError(DomainError):
    """A signed document was refused; the message says why."""


def max_upload_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_BYTES


def check_upload(upload) -> FileType:
    """The upload's type if it is an allowed document within the size cap."""
    if upload is None or not upload.size:
        raise ArchiveError(_("Choose a file."), field="file")
    if upload.size > max_upload_bytes():
        raise ArchiveError(
            _("The file is too large: at most %(size)s.")
            % {"size": filesizeformat(max_upload_bytes())},
            field="file",
        )
    kind = sniff(upload, upload.name or "")
    if kind is None:
        raise ArchiveError(
            _(
                "This file type is not accepted. Upload a PDF, JPEG or PNG scan or a "
                "digitally signed container (.asice, .bdoc)."
            ),
            field="file",
        )
    return kind


def _checksum(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _put_file(attachment: Attachment, upload, file_type: FileType) -> None:
    attachment.original_name = (upload.name or "")[:200]
    attachment.content_type = file_type.content_type
    attachment.size = upload.size
    attachment.checksum = _checksum(upload)
    # Saved under a random name with the extension its content has, not the one it came with.
    attachment.file.save(f"document{file_type.extension}", upload, save=False)


def _delete_on_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: evidence_storage.delete(name))


def add_attachment(
    *,
    case,
    kind: str,
    document_date: date,
    upload,
    by,
    month: date | None = None,
    provider=None,
) -> Attachment:
    """Keep a signed document in ``case``'s file."""
    file_type = check_upload(upload)
    if kind == AttachmentKind.ATTENDANCE_SHEET and month is None:
        raise ArchiveError(_("Choose the month of the attendance sheet."), field="month")
    if kind != AttachmentKind.ATTENDANCE_SHEET:
        month = None
    attachment = Attachment(
        case=case,
        kind=kind,
        document_date=document_date,
        month=month.replace(day=1) if month else None,
        provider=provider,
        uploaded_by=by,
    )
    attachment._history_user = by
    with transaction.atomic():
        _put_file(attachment, upload, file_type)
        try:
            validated_save(attachment, ArchiveError)
        except Exception:
            evidence_storage.delete(attachment.file.name)
            raise
    return attachment


def replace_attachment(*, attachment: Attachment, upload, by, document_date: date) -> Attachment:
    """A new file (e.g. the signed copy of a scan) in place of the old one; the history keeps
    who replaced it and when, and the old file's name, size and checksum."""
    file_type = check_upload(upload)
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        old_name = locked.file.name
        locked._history_user = by
        locked.document_date = document_date
        locked.uploaded_by = by
        _put_file(locked, upload, file_type)
        try:
            validated_save(locked, ArchiveError)
        except Exception:
            evidence_storage.delete(locked.file.name)
            raise
        _delete_on_commit(old_name)
    return locked


def remove_attachment(*, attachment: Attachment, by) -> None:
    """Remove a document from the case file; the history keeps that it was there."""
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        name = locked.file.name
        locked._history_user = by
        locked.delete()
        _delete_on_commit(name)
