"""PDF rendering: Estonian letters survive, page numbers show, nothing is fetched from the net."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from tugi.documents import DOCUMENT_BASE_URL, StaticFilesFetcher, installed_fonts, render_pdf


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_render_pdf_keeps_estonian_letters_header_slots_and_page_numbers(db):
    with translation.override("et"):
        data = render_pdf(
            "documents/base_document.html",
            {
                "title": "Tegevusplaan õpetajale",
                "municipality": "Jõgeva vald",
                "case_number": "J-2026/17",
                "person": "Šarlota Žukova-Äär",
                "signatures": [{"role": "Juhtumikorraldaja", "name": "Ülle Öövel"}],
            },
        )
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in ("Tegevusplaan õpetajale", "Jõgeva vald", "J-2026/17", "Šarlota Žukova-Äär"):
        assert expected in text
    assert "lk 1 / 1" in text


def test_signature_lines_are_printed_with_each_signers_role_and_name(db):
    with translation.override("et"):
        data = render_pdf(
            "documents/diagnostics.html",
            {
                "title": "Allkirjad",
                "version": "1",
                "extensions": [],
                "fonts": [],
                "users": [],
                "signatures": [{"role": "Juhtumikorraldaja", "name": "Ülle Öövel"}],
            },
        )
    text = pdf_text(data)
    assert "Juhtumikorraldaja: Ülle Öövel" in text
    assert "Allkiri ja kuupäev" in text


def test_the_fetcher_serves_our_static_files_only():
    fetcher = StaticFilesFetcher()
    response = fetcher.fetch(DOCUMENT_BASE_URL + "static/css/tugi.css")
    assert b".bg-tugi" in response.read()
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/static/css/tugi.css")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch(DOCUMENT_BASE_URL + "static/../config/settings.py")


def test_the_document_fonts_are_installed():
    assert installed_fonts() == {"DejaVu Sans": True, "DejaVu Serif": True}
