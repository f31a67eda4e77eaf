"""PDF documents of one case file: the case documentation form (handbook A–D), the entry and
exit questionnaires and a network meeting's minutes. Case managers and coordinators of the
case's municipality request them from the case file; SKA and providers never see them."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from cases.models import NetworkMeeting
from reporting.case_documents import (
    case_form_context,
    header,
    load_case,
    meeting_context,
    meeting_signatures,
    signatures_person_and_manager,
)
from reporting.registry import report_kind
from reporting.services import ReportingError
from tugi.documents import render_pdf

CASE_DOCUMENT_ROLES = frozenset({Role.CASE_MANAGER, Role.COORDINATOR})


@report_kind(
    "case_documentation_form",
    label=gettext_lazy("Case documentation form"),
    extension="pdf",
    roles=CASE_DOCUMENT_ROLES,
    scope="subject",
    subject_model="cases.Case",
)
def case_documentation_form(job, *, out, progress) -> str:
    with translation.override("et"):
        progress(10, _("Reading the case file"))
        case = load_case(job.subject_id)
        context = case_form_context(case)
        progress(60, _("Writing the PDF"))
        out.write(render_pdf("documents/case_documentation_form.html", context))
    return f"juhtumi-dokumenteerimise-vorm-{case.number}.pdf"


@report_kind(
    "entry_questionnaire",
    label=gettext_lazy("Entry questionnaire"),
    extension="pdf",
    roles=CASE_DOCUMENT_ROLES,
    scope="subject",
    subject_model="cases.Case",
)
def entry_questionnaire(job, *, out, progress) -> str:
    with translation.override("et"):
        progress(10, _("Reading the case file"))
        case = load_case(job.subject_id)
        entry = getattr(case, "entry_questionnaire", None)
        if entry is None:
            raise ReportingError(_("The entry questionnaire has not been filled in yet."))
        context = {
            **header(case, title=_("Entry questionnaire"), today=entry.filled_on),
            "case": case,
            "subject": case.person,
            "entry": entry,
            "signatures": signatures_person_and_manager(case),
        }
        progress(60, _("Writing the PDF"))
        out.write(render_pdf("documents/entry_questionnaire.html", context))
    return f"sisenemisankeet-{case.number}.pdf"


@report_kind(
    "exit_questionnaire",
    label=gettext_lazy("Exit questionnaire"),
    extension="pdf",
    roles=CASE_DOCUMENT_ROLES,
    scope="subject",
    subject_model="cases.Case",
)
def exit_questionnaire(job, *, out, progress) -> str:
    with translation.override("et"):
        progress(10, _("Reading the case file"))
        case = load_case(job.subject_id)
        exit_ = getattr(case, "exit_questionnaire", None)
        if exit_ is None:
            raise ReportingError(_("The person has not exited: there is no exit questionnaire."))
        context = {
            **header(case, title=_("Exit questionnaire"), today=exit_.exit_date),
            "case": case,
            "subject": case.person,
            "exit": exit_,
            "signatures": signatures_person_and_manager(case),
        }
        progress(60, _("Writing the PDF"))
        out.write(render_pdf("documents/exit_questionnaire.html", context))
    return f"valjumisankeet-{case.number}.pdf"


@report_kind(
    "meeting_minutes",
    label=gettext_lazy("Network meeting minutes"),
    extension="pdf",
    roles=CASE_DOCUMENT_ROLES,
    scope="subject",
    subject_model="cases.NetworkMeeting",
)
def meeting_minutes(job, *, out, progress) -> str:
    with translation.override("et"):
        progress(10, _("Reading the meeting"))
        meeting = NetworkMeeting.objects.get(pk=job.subject_id)
        case = load_case(meeting.case_id)
        context = {
            **header(
                case,
                title=_("Network meeting minutes"),
                today=meeting.minutes_written_on or timezone.localdate(meeting.starts_at),
            ),
            "case": case,
            "mc": (mc := meeting_context(meeting)),
            "signatures": meeting_signatures(case, mc),
        }
        progress(60, _("Writing the PDF"))
        out.write(render_pdf("documents/meeting_minutes.html", context))
    return f"vorgustiku-koosolek-{case.number}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.pdf"
