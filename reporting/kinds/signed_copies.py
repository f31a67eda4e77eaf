"""The month's participants' signed documents for SKA (ZIP): for everyone who entered, the
signed consent, cooperation agreement and entry questionnaire; for everyone who left, the
signed exit questionnaire. Where a questionnaire has no signed copy in the case file, the
bundle holds the copy generated from the recorded answers instead, and the table of
contents (``sisukord.csv``) says which is which."""

from __future__ import annotations

import csv
import io
import zipfile

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.models import AttachmentKind
from archive.selectors import signed_copies
from reporting.kinds.participants import PARTICIPANT_ROLES, entered_in, exited_in, listed_in_month
from reporting.registry import report_kind
from tugi.documents import render_pdf

ENTRY_KINDS = [AttachmentKind.CONSENT, AttachmentKind.COOPERATION, AttachmentKind.ENTRY_QUESTIONNAIRE]
EXIT_KINDS = [AttachmentKind.EXIT_QUESTIONNAIRE]


def _generated(case, *, entry: bool, municipality, month) -> bytes:
    return render_pdf(
        "documents/questionnaire_copies.html",
        {
            "title": _("Entry questionnaire") if entry else _("Exit questionnaire"),
            "municipality": municipality.name,
            "month": month,
            "entries": [case] if entry else [],
            "exits": [] if entry else [case],
        },
    )


def _bundle(archive, contents, cases, kinds, questionnaire, *, entry, municipality, month):
    signed = signed_copies(cases, kinds)
    for case in cases:
        found = {a.kind: a for a in signed.get(case.pk, [])}
        for kind in kinds:
            attachment = found.get(kind)
            if attachment is not None:
                extension = attachment.file.name.rsplit(".", 1)[-1]
                name = f"{case.number}/{kind}.{extension}"
                with attachment.file.open("rb") as handle:
                    archive.writestr(name, handle.read())
                contents.append([case.number, str(case.person), attachment.get_kind_display(), _("signed copy"), name])
            elif kind == questionnaire and getattr(case, questionnaire, None) is not None:
                name = f"{case.number}/{kind}-koostatud.pdf"
                archive.writestr(
                    name, _generated(case, entry=entry, municipality=municipality, month=month)
                )
                contents.append(
                    [case.number, str(case.person), AttachmentKind(kind).label, _("generated from the answers, not signed"), name]
                )
            else:
                contents.append([case.number, str(case.person), AttachmentKind(kind).label, _("missing"), ""])


@report_kind(
    "signed_copies",
    label=gettext_lazy("Signed documents of the month's participants (ZIP)"),
    extension="zip",
    roles=PARTICIPANT_ROLES,
    scope="municipality_month",
    listed_people=listed_in_month,
)
def signed_copies_bundle(job, *, out, progress) -> str:
    with translation.override("et"):
        municipality, month = job.municipality, job.month
        contents: list[list[str]] = []
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            progress(10, _("People who entered"))
            entered = list(entered_in(municipality, month))
            _bundle(archive, contents, entered, ENTRY_KINDS, "entry_questionnaire", entry=True, municipality=municipality, month=month)
            progress(50, _("People who left"))
            exited = list(exited_in(municipality, month))
            _bundle(archive, contents, exited, EXIT_KINDS, "exit_questionnaire", entry=False, municipality=municipality, month=month)
            progress(90, _("Writing the file"))
            table = io.StringIO()
            writer = csv.writer(table, delimiter=";")
            writer.writerow([_("Case number"), _("Person"), _("Document"), _("Copy"), _("File")])
            writer.writerows(contents)
            archive.writestr("sisukord.csv", "\ufeff" + table.getvalue())
    return f"allkirjastatud-{municipality.code}-{month:%Y-%m}.zip"
