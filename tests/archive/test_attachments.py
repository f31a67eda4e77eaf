"""Signed documents in the case file: allowed by content, capped in size, private to the
case file's municipality, every download logged and in the person's access report, every
upload, replacement and removal in the history."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from archive import services
from archive.models import Attachment, AttachmentKind, evidence_storage
from tests.archive.files import (
    EXE_BYTES,
    JPEG_BYTES,
    PNG_BYTES,
    asice_bytes,
    pdf,
    upload,
)
from tests.cases.factories import EnteredCaseFactory


@pytest.fixture
def case(kov_a, case_manager_a):
    return EnteredCaseFactory(municipality=kov_a, case_manager=case_manager_a)


def post(client, case, file, kind="consent", **extra):
    return client.post(
        reverse("archive:case_documents", args=[case.pk]),
        {"kind": kind, "document_date": "2026-03-02", "file": file, **extra},
    )


def test_a_case_manager_keeps_a_signed_consent_in_the_file(client, case, case_manager_a):
    client.force_login(case_manager_a)
    response = post(client, case, pdf())
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.case, attachment.kind, attachment.document_date) == (
        case,
        AttachmentKind.CONSENT,
        date(2026, 3, 2),
    )
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "nousolek.pdf"
    # Stored under a random name, outside MEDIA and every served directory.
    assert attachment.file.name.startswith(f"cases/{case.pk}/")
    assert "nousolek" not in attachment.file.name
    assert evidence_storage.exists(attachment.file.name)
    page = client.get(reverse("archive:case_documents", args=[case.pk])).content.decode()
    assert "Isikuandmete töötlemise nõusolek" in page and "02.03.2026" in page


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("skann.jpg", JPEG_BYTES, "image/jpeg", "jpg"),
        ("skann.png", PNG_BYTES, "image/png", "png"),
        ("leping.asice", asice_bytes(), "application/vnd.etsi.asic-e+zip", "asice"),
        ("leping.bdoc", asice_bytes(), "application/vnd.etsi.asic-e+zip", "bdoc"),
        # Named wrongly, but a PDF by its content: kept as a PDF.
        ("skann.png", b"%PDF-1.7\n%%EOF\n", "application/pdf", "pdf"),
    ],
)
def test_scans_and_signature_containers_are_accepted_by_their_content(
    case, case_manager_a, name, content, content_type, extension
):
    attachment = services.add_attachment(
        case=case,
        kind=AttachmentKind.COOPERATION,
        document_date=date(2026, 3, 2),
        upload=upload(name, content),
        by=case_manager_a,
    )
    assert attachment.content_type == content_type
    assert attachment.file.name.endswith(f".{extension}")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("nousolek.pdf", EXE_BYTES),
        ("leping.asice", b"PK\x03\x04" + b"\x00" * 100),
        ("leping.asice", asice_bytes(mimetype=b"application/zip")),
        ("leping.asice", asice_bytes(stored=False)),
        ("leht.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_renamed_program_or_any_other_content_is_refused(
    client, case, case_manager_a, name, content
):
    client.force_login(case_manager_a)
    response = post(client, case, upload(name, content, "application/pdf"))
    assert response.status_code == 400
    assert "Seda failitüüpi ei võeta vastu" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not Attachment.history.exists()


def test_an_over_size_file_is_refused(client, case, case_manager_a, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    client.force_login(case_manager_a)
    response = post(client, case, pdf(content=b"%PDF-1.4\n" + b"0" * 2000))
    assert response.status_code == 400
    assert "Fail on liiga suur: kõige rohkem 1,0" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_attendance_sheet_needs_its_month(client, case, case_manager_a):
    client.force_login(case_manager_a)
    response = post(client, case, pdf(), kind="attendance_sheet")
    assert response.status_code == 400
    assert "Valige osalemise lehe kuu." in response.content.decode()
    assert post(client, case, pdf(), kind="attendance_sheet", month="2026-03").status_code == 302
    assert Attachment.objects.get().month == date(2026, 3, 1)


def test_another_municipalitys_case_file_takes_no_file_and_shows_none(
    client, case, case_manager_a, case_manager_b
):
    client.force_login(case_manager_b)
    assert post(client, case, pdf()).status_code == 404
    assert not Attachment.objects.exists()
    client.force_login(case_manager_a)
    post(client, case, pdf())
    attachment = Attachment.objects.get()
    client.force_login(case_manager_b)
    for name in ("archive:download", "archive:replace"):
        assert client.get(reverse(name, args=[attachment.pk])).status_code == 404
    assert client.post(reverse("archive:remove", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_download_by_another_kovs_user_gets_404_and_is_not_logged(
    client, case, case_manager_a, coordinator_b
):
    attachment = services.add_attachment(
        case=case, kind="consent", document_date=date(2026, 3, 2), upload=pdf(), by=case_manager_a
    )
    client.force_login(coordinator_b)
    assert client.get(reverse("archive:download", args=[attachment.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_every_download_is_logged_and_returns_the_file(client, case, case_manager_a, coordinator_a):
    attachment = services.add_attachment(
        case=case, kind="consent", document_date=date(2026, 3, 2), upload=pdf(), by=case_manager_a
    )
    client.force_login(coordinator_a)
    for _n in range(2):
        response = client.get(reverse("archive:download", args=[attachment.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
        assert response["Content-Type"] == "application/pdf"
        assert "attachment;" in response["Content-Disposition"]
    rows = AccessLog.objects.filter(action=AccessLog.Action.DOWNLOAD)
    assert rows.count() == 2
    assert {(r.user, r.person_id, r.subject, r.municipality) for r in rows} == {
        (coordinator_a, case.person_id, attachment, case.municipality)
    }


def test_upload_replacement_and_removal_are_kept_in_the_history(
    client, case, case_manager_a, coordinator_a, django_capture_on_commit_callbacks
):
    client.force_login(case_manager_a)
    post(client, case, pdf("skann.pdf"))
    attachment = Attachment.objects.get()
    first_file = attachment.file.name
    client.force_login(coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("archive:replace", args=[attachment.pk]),
            {"document_date": "2026-03-05", "file": upload("allkirjastatud.asice", asice_bytes())},
        )
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.content_type == "application/vnd.etsi.asic-e+zip"
    assert not evidence_storage.exists(first_file)
    second_file = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("archive:remove", args=[attachment.pk])).status_code == 302
    assert not Attachment.objects.exists()
    assert not evidence_storage.exists(second_file)
    history = list(Attachment.history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.history_user, h.original_name) for h in history] == [
        ("+", case_manager_a, "skann.pdf"),
        ("~", coordinator_a, "allkirjastatud.asice"),
        ("-", coordinator_a, "allkirjastatud.asice"),
    ]
    page = client.get(reverse("archive:case_documents", args=[case.pk])).content.decode()
    assert "laaditi üles" in page and "asendati" in page and "eemaldati" in page


def test_every_download_appears_in_the_persons_access_report(
    client, case, case_manager_a, coordinator_a, django_capture_on_commit_callbacks
):
    from tests.reporting.test_access_report import ask, pages_of

    attachment = services.add_attachment(
        case=case, kind="consent", document_date=date(2026, 3, 2), upload=pdf(), by=case_manager_a
    )
    client.force_login(coordinator_a)
    for _n in range(3):
        client.get(reverse("archive:download", args=[attachment.pk]))
    client.force_login(case_manager_a)
    text = " ".join(pages_of(ask(client, case, django_capture_on_commit_callbacks)))
    assert text.count(f"Kati Alfa Teenuste koordinaator laadis alla {attachment}") == 3


def test_the_documents_page_runs_the_same_queries_however_many_documents(
    client, case, case_manager_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(case_manager_a)
    url = reverse("archive:case_documents", args=[case.pk])
    services.add_attachment(
        case=case, kind="consent", document_date=date(2026, 3, 2), upload=pdf(), by=case_manager_a
    )
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for kind in ("cooperation", "entry_questionnaire", "meeting_minutes"):
        services.add_attachment(
            case=case, kind=kind, document_date=date(2026, 3, 2), upload=pdf(), by=case_manager_a
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
