"""A person's access report (PDF) for a data-subject request: who viewed, downloaded or
changed the person's record in this municipality, when and in what role; the person's
legal basis and consent on the first page."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AccessLog, Role
from cases.models import Case, EntryQuestionnaire, ExitQuestionnaire, NetworkMeeting, Person
from cases.selectors import person_history_window
from reporting.case_documents import header, load_case
from reporting.registry import report_kind
from tugi.documents import render_pdf

CHANGE_TYPES = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}


def access_entries(case: Case):
    """Every access-log row about the person in this municipality: views of their pages and
    of lists that showed them, downloads of their documents (case file, meetings, plans,
    assessments, attachments) and of files that listed them. Another municipality's rows
    stay with that municipality."""
    types = ContentType.objects.get_for_models(Person, Case, NetworkMeeting)
    meetings = list(case.meetings.values_list("pk", flat=True))
    about = (
        Q(person_id=case.person_id)
        | Q(subject_type=types[Person], subject_id=case.person_id)
        | Q(subject_type=types[Case], subject_id=case.pk)
        | Q(subject_type=types[NetworkMeeting], subject_id__in=meetings)
    )
    return (
        AccessLog.objects.filter(about, municipality=case.municipality)
        .select_related("user")
        .order_by("at", "pk")
    )


def _changed_fields(record) -> str:
    older = record.prev_record
    if older is None:
        return ""
    meta = record.instance._meta
    names = [str(meta.get_field(c.field).verbose_name) for c in record.diff_against(older).changes]
    return ", ".join(names)


def changes(case: Case) -> list[dict]:
    """Every recorded change of the person, the case file and its questionnaires, oldest first.

    The person's own changes only while this was their current case file: what another
    municipality's staff changed before it began is theirs to report. The history keeps who
    changed what; the role shown is the user's role now."""
    sources = [
        Person.history.filter(id=case.person_id, **person_history_window(case)),
        Case.history.filter(id=case.pk),
        EntryQuestionnaire.history.filter(case_id=case.pk),
        ExitQuestionnaire.history.filter(case_id=case.pk),
    ]
    rows = []
    for records in sources:
        for record in records.select_related("history_user"):
            user = record.history_user
            rows.append(
                {
                    "at": record.history_date,
                    "who": str(user) if user else _("the system"),
                    "role": user.get_role_display() if user else "",
                    "what": record.instance._meta.verbose_name,
                    "type": CHANGE_TYPES.get(record.history_type, record.history_type),
                    "fields": _changed_fields(record),
                }
            )
    rows.sort(key=lambda row: row["at"])
    return rows


@report_kind(
    "person_access_report",
    label=gettext_lazy("Person's access report"),
    extension="pdf",
    roles=frozenset({Role.CASE_MANAGER, Role.COORDINATOR}),
    scope="subject",
    subject_model="cases.Case",
)
def generate(job, *, out, progress) -> str:
    with translation.override("et"):
        progress(10, _("Reading the access log"))
        case = load_case(job.subject_id)
        entries = list(access_entries(case))
        progress(40, _("Reading the history of changes"))
        history = changes(case)
        progress(70, _("Writing the PDF"))
        now = timezone.localtime()
        out.write(
            render_pdf(
                "documents/person_access_report.html",
                {
                    **header(case, title=_("Person's access report"), today=now.date()),
                    "case": case,
                    "subject": case.person,
                    "entry": getattr(case, "entry_questionnaire", None),
                    "entries": entries,
                    "changes": history,
                    "generated_at": now,
                    "requested_by": job.requested_by,
                    "signatures": [
                        {"role": _("Compiled by"), "name": str(job.requested_by or "")},
                    ],
                },
            )
        )
    return f"juurdepaasuaruanne-{case.number}-{now:%Y-%m-%d}.pdf"
