"""A provider specialist prints a person's attendance sheet of a month for signature and
uploads the signed copy, which then sits in the person's case file."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AccessLog
from archive.models import Attachment, AttachmentKind
from billing import services as billing
from tests.archive.files import pdf
from tests.billing.factories import build_world


@pytest.fixture
def world(kov_a, provider_user, coordinator_a):
    built = build_world(kov_a, provider_user=provider_user)
    billing.record_deliveries(
        drafts=[
            built.draft(date=date(2026, 4, 6), minutes=60),
            built.draft(date=date(2026, 4, 13), minutes=45),
            built.draft(date=date(2026, 5, 4), minutes=30),
        ],
        by=coordinator_a,
    )
    return built


def text_of(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_a_specialist_prints_the_months_attendance_sheet_for_signature(
    client, world, provider_user
):
    client.force_login(provider_user)
    response = client.get(
        reverse("archive:attendance_sheet"), {"case": world.case.pk, "month": "2026-04"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"osalemise-leht-{world.case.number}-2026-04.pdf" in response["Content-Disposition"]
    text = text_of(response)
    assert "Osalemise leht 04.2026" in text
    assert str(world.case.person) in text and world.case.person.isikukood in text
    assert "06.04.2026" in text and "13.04.2026" in text and "04.05.2026" not in text
    assert "Minuteid kokku 105" in text
    assert "Isik või seaduslik esindaja" in text and "Spetsialist (MTÜ Persona Tugi)" in text
    row = AccessLog.objects.get()
    assert (row.user, row.person_id, row.action) == (
        provider_user,
        world.case.person_id,
        AccessLog.Action.DOWNLOAD,
    )


def test_a_specialist_uploads_the_signed_sheet_and_it_is_in_the_case_file(
    client, world, provider_user, case_manager_a
):
    client.force_login(provider_user)
    response = client.post(
        reverse("archive:attendance"),
        {"case": world.case.pk, "month": "2026-04", "document_date": "2026-05-02", "file": pdf("leht.pdf")},
    )
    assert response.status_code == 302
    sheet = Attachment.objects.get()
    assert (sheet.kind, sheet.month, sheet.provider, sheet.case) == (
        AttachmentKind.ATTENDANCE_SHEET,
        date(2026, 4, 1),
        provider_user.provider,
        world.case,
    )
    assert client.get(reverse("archive:download", args=[sheet.pk])).status_code == 200
    client.force_login(case_manager_a)
    page = client.get(reverse("archive:case_documents", args=[world.case.pk])).content.decode()
    assert "Osalemise leht" in page and "04.2026" in page and "leht.pdf" in page


def test_a_specialist_cannot_print_or_upload_for_someone_they_do_not_serve(
    client, world, provider_user, kov_b
):
    from tests.cases.factories import EnteredCaseFactory

    stranger = EnteredCaseFactory(municipality=kov_b)
    client.force_login(provider_user)
    url = reverse("archive:attendance_sheet")
    assert client.get(url, {"case": stranger.pk, "month": "2026-04"}).status_code == 404
    response = client.post(
        reverse("archive:attendance"),
        {"case": stranger.pk, "month": "2026-04", "file": pdf()},
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists()
    assert not AccessLog.objects.filter(person_id=stranger.person_id).exists()
