"""The participants' signed documents of a month (ZIP): the signed copies from the case file
where they exist, the generated copy (marked as not signed) where they do not."""

import io
import zipfile
from datetime import date

from django.urls import reverse

from accounts.models import AccessLog
from archive import services as archive
from tests.archive.files import PDF_BYTES, asice_bytes, pdf, upload
from tests.reporting.factories import done_job, full_case


def test_the_bundle_holds_the_signed_copies_and_marks_what_was_generated(
    client, kov_a, case_manager_a, coordinator_a
):
    case = full_case(municipality=kov_a, case_manager=case_manager_a)
    archive.add_attachment(
        case=case, kind="consent", document_date=date(2026, 3, 2), upload=pdf(), by=case_manager_a
    )
    container = asice_bytes()
    archive.add_attachment(
        case=case,
        kind="cooperation",
        document_date=date(2026, 3, 2),
        upload=upload("leping.asice", container),
        by=case_manager_a,
    )
    job = done_job(kind="signed_copies", municipality=kov_a, month=date(2026, 3, 1))
    assert job.filename == "allkirjastatud-9101-2026-03.zip"
    with job.file.open("rb") as handle:
        bundle = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = set(bundle.namelist())
    assert bundle.read("9101-2026-0007/consent.pdf") == PDF_BYTES
    assert bundle.read("9101-2026-0007/cooperation.asice") == container
    generated = "9101-2026-0007/entry_questionnaire-koostatud.pdf"
    assert generated in names and bundle.read(generated).startswith(b"%PDF")
    contents = bundle.read("sisukord.csv").decode("utf-8-sig").splitlines()
    assert contents[0] == "Juhtumi number;Isik;Dokument;Ärakiri;Fail"
    assert (
        "9101-2026-0007;Õnne Pärnapuu;isikuandmete töötlemise nõusolek;allkirjastatud koopia;"
        "9101-2026-0007/consent.pdf" in contents
    )
    assert (
        f"9101-2026-0007;Õnne Pärnapuu;sisenemisankeet;vastuste põhjal koostatud, allkirjastamata;{generated}"
        in contents
    )

    client.force_login(coordinator_a)
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 200
    assert AccessLog.objects.filter(person_id=case.person_id, action="download").count() == 1
