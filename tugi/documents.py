"""The one place that renders a Django template to PDF (WeasyPrint).

Rendering never touches the network: the URL fetcher serves only our own static
files (``{% static %}`` URLs) and ``data:`` URIs; fonts come from the system's
fontconfig (DejaVu from Debian's ``fonts-dejavu-core``), which the base document
template names first.
"""

from __future__ import annotations

import mimetypes
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: The base URL documents are rendered against; only our fetcher understands it.
DOCUMENT_BASE_URL = "https://tugi.invalid/"
#: Font families the document templates use; the diagnostics report checks them.
DOCUMENT_FONTS = ("DejaVu Sans", "DejaVu Serif")


class StaticFilesFetcher(URLFetcher):
    """Serves ``/static/...`` from our static files and ``data:`` URIs; refuses anything else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        prefix = urlsplit(settings.STATIC_URL).path
        if parts.netloc not in ("", urlsplit(DOCUMENT_BASE_URL).netloc) or not (
            parts.path.startswith(prefix)
        ):
            raise ValueError(f"Documents may only use our static files, not {url}")
        relative = unquote(parts.path[len(prefix) :])
        found = finders.find(relative) if ".." not in relative.split("/") else None
        if not found and settings.STATIC_ROOT:
            candidate = Path(settings.STATIC_ROOT) / relative
            found = str(candidate) if candidate.is_file() and ".." not in relative else None
        if not found:
            raise ValueError(f"No static file {relative}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, Path(found).read_bytes(), headers={"Content-Type": content_type}
        )


def render_pdf(template_name: str, context: dict, *, base_url: str | None = None) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF's bytes.

    Templates extend ``documents/base_document.html`` (A4, Estonian, header and
    page numbers "lk X / Y")."""
    html = render_to_string(template_name, {"document_date": timezone.localdate(), **context})
    fonts = FontConfiguration()
    document = HTML(
        string=html,
        base_url=base_url or DOCUMENT_BASE_URL,
        url_fetcher=StaticFilesFetcher(),
    )
    return document.write_pdf(font_config=fonts)


def installed_fonts(families: tuple[str, ...] = DOCUMENT_FONTS) -> dict[str, bool]:
    """Which of ``families`` fontconfig knows (``fc-list``); all False when it is missing."""
    if not shutil.which("fc-list"):
        return dict.fromkeys(families, False)
    listed = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    names = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return {family: family in names for family in families}
