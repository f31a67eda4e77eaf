"""What a signed document may be, decided by its content (magic bytes), never by its name."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

ASICE = "application/vnd.etsi.asic-e+zip"


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


PDF = FileType("application/pdf", ".pdf")
JPEG = FileType("image/jpeg", ".jpg")
PNG = FileType("image/png", ".png")


def _signature_container(upload, name: str) -> FileType | None:
    """An Estonian digital signature container (ASiC-E, .asice / .bdoc): a ZIP whose first
    entry is ``mimetype``, stored uncompressed, saying ``application/vnd.etsi.asic-e+zip``."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if not entries or entries[0].filename != "mimetype":
                return None
            if entries[0].compress_type != zipfile.ZIP_STORED:
                return None
            if archive.read("mimetype").strip() != ASICE.encode():
                return None
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    extension = ".bdoc" if name.lower().endswith(".bdoc") else ".asice"
    return FileType(ASICE, extension)


def sniff(upload, name: str = "") -> FileType | None:
    """The allowed type of ``upload`` (a file object) by its content, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _signature_container(upload, name)
    return None
